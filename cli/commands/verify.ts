import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UnreadableInputError, ValidationError } from '../../functions/domain/errors.ts';
import type { ChainLinkSummary } from '../../functions/domain/signatures/chain.ts';
import { verifyParsedSignatureFetchingCrls } from '../../functions/domain/signatures/crl-fetch.ts';
import {
  type CertificateSummary,
  readCertificate,
  readSignedData,
  russianDateTimeIn,
  type TimeSource,
  type VerificationReport,
  verifyParsedSignature,
} from '../../functions/domain/signatures/index.ts';
import type { Check, CheckName, CheckStatus, Verdict } from '../../functions/domain/signatures/report.ts';
import { type CliIo, type Command, UsageError } from '../io.ts';
import { trustOptions, verificationSettings } from './trust-options.ts';

/**
 * `docroute verify --sig FILE [--data FILE] [--cert FILE] [--at TIME] [--trust FILE|DIR]...
 * [--intermediate FILE|DIR]... [--crl FILE|DIR]... [--fetch-crl] [--config FILE] [--json]`.
 * Exit 0: valid (every check done and passed). 1: invalid (a check failed). 2: unreadable input
 * (a trust or CRL file too) or bad arguments. 3: indeterminate (nothing failed, but something could
 * not be checked: no chain to a trusted CA, no current CRL, GOST mathematics, no --data).
 */
export const verify: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      sig: { type: 'string' },
      data: { type: 'string' },
      cert: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...trustOptions,
    },
  });
  if (values.sig === undefined) throw new UsageError('укажите файл подписи: --sig FILE');
  const { timeZone, trustList, fetchCrl } = await verificationSettings(io, values);

  const signedData = readOrExplain(values.sig, await readInputFile(io, values.sig), readSignedData);
  const content = values.data === undefined ? undefined : await readInputFile(io, values.data);
  const certificate =
    values.cert === undefined
      ? undefined
      : readOrExplain(values.cert, await readInputFile(io, values.cert), readCertificate);

  const input = { signedData, content, certificate, at: values.at, now: new Date(), timeZone };
  const report =
    fetchCrl === null
      ? withUsageErrors(() => verifyParsedSignature(input, { trustList }))
      : await withUsageErrorsAsync(() => verifyParsedSignatureFetchingCrls(input, { trustList, fetchCrl }));
  if (report.window === 'unparseable') throw new UsageError(`${values.sig}: ${report.reasons.join(' ')}`);

  io.out(values.json ? JSON.stringify(report, null, 2) : verificationText(report, timeZone));
  return exitCodeOf(report.verdict);
};

/** The exit codes of `verify` and `cert`; 2 (unreadable input) comes from UsageError. */
export function exitCodeOf(verdict: Verdict): number {
  return { valid: 0, invalid: 1, indeterminate: 3 }[verdict];
}

const timeSourceWords: Record<TimeSource, string> = {
  timestamp: 'метка времени (CAdES-T)',
  signingTime: 'время подписания, указанное подписавшим (signingTime)',
  asserted: 'указанное вами время (--at)',
  check: 'момент проверки',
};

const checkNames: Record<CheckName, string> = {
  format: 'Файл читается',
  window: 'Сертификат действовал в момент подписания',
  digest: 'Документ не изменён после подписания',
  signature: 'Подпись математически верна',
  certificate_signature: 'Сертификат подписан издателем и не изменён',
  chain: 'Сертификат выдан доверенным удостоверяющим центром',
  revocation: 'Сертификат не отозван',
};

const statusWords: Record<CheckStatus, string> = { passed: 'да', failed: 'НЕТ', not_checked: 'не проверено' };

/** One line per check: what was asked and the answer. */
export function checkLines(
  checks: readonly Check[],
  names: Partial<Record<CheckName, string>> = {},
): string[] {
  return checks.map((c) => `  ${names[c.check] ?? checkNames[c.check]}: ${statusWords[c.status]}`);
}

/**
 * The five lines of the mark say only that the document was signed (ГОСТ Р 7.0.97); the caption
 * above them carries the verdict, so that a copied mark never claims more than was checked.
 */
export function stampLines(stamp: readonly string[], summary: string): string[] {
  return ['', `Отметка об электронной подписи. ${summary}`, ...stamp.map((line) => `  ${line}`)];
}

function verificationText(report: VerificationReport, timeZone: string): string {
  const lines = [report.summary, ''];
  if (report.certificate !== null) lines.push(...certificateLines(report.certificate, timeZone));
  if (report.timeSource !== null) lines.push(`Проверено на: ${timeSourceWords[report.timeSource]}`);
  lines.push(
    '',
    'Проверки:',
    ...checkLines(report.checks),
    ...chainLines(report.certificate?.chain ?? []),
    '',
    'Замечания:',
    ...report.reasons.map((reason) => `  - ${reason}`),
  );
  if (report.stamp !== null) lines.push(...stampLines(report.stamp, report.summary));
  return lines.join('\n');
}

/** The chain, signer first, one line per certificate with its answer. */
export function chainLines(chain: readonly ChainLinkSummary[]): string[] {
  if (chain.length === 0) return [];
  return [
    '',
    'Цепочка сертификатов:',
    ...chain.map(
      (link, index) =>
        `  ${index + 1}. ${link.subject} (${link.serial})${link.isTrustAnchor ? ', доверенный' : ''}: ${statusWords[link.status]}. ${link.reason}`,
    ),
  ];
}

/** The certificate's facts as a clerk reads them; dates in the organisation's zone. */
export function certificateLines(certificate: CertificateSummary, timeZone: string): string[] {
  const at = (iso: string | null) => (iso === null ? '…' : russianDateTimeIn(new Date(iso), timeZone));
  const lines = [
    `Владелец: ${certificate.owner}`,
    `Сертификат: ${certificate.serial}`,
    `Издатель: ${certificate.issuer.CN ?? certificate.issuer.O ?? '—'}`,
    `Срок действия сертификата: с ${at(certificate.notBefore)} по ${at(certificate.notAfter)} (${timeZone})`,
  ];
  const period = certificate.privateKeyUsagePeriod;
  if (period !== null)
    lines.push(`Срок действия закрытого ключа: с ${at(period.notBefore)} по ${at(period.notAfter)}`);
  lines.push(`Алгоритм ключа: ${certificate.algorithm}`);
  return lines;
}

export async function readInputFile(io: CliIo, path: string): Promise<Uint8Array> {
  try {
    return await readFile(resolve(io.cwd, path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'нет такого файла'
        : code === 'EISDIR'
          ? 'это каталог, а не файл'
          : code === 'EACCES'
            ? 'нет доступа'
            : String(code ?? error);
    throw new UsageError(`${path}: ${problem}`);
  }
}

/** Reads with `reader`, turning unreadable bytes into a one-line usage error naming the file. */
export function readOrExplain<T>(path: string, bytes: Uint8Array, reader: (bytes: Uint8Array) => T): T {
  try {
    return reader(bytes);
  } catch (error) {
    if (error instanceof UnreadableInputError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
}

/** A malformed --at (or time zone) is a usage error: exit 2 with the problem. */
export function withUsageErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw usageErrorOf(error);
  }
}

/** withUsageErrors for a verification that fetches CRLs first. */
export async function withUsageErrorsAsync<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw usageErrorOf(error);
  }
}

function usageErrorOf(error: unknown): unknown {
  if (error instanceof ValidationError) {
    const names: Record<string, string> = { at: '--at', timeZone: 'timeZone (configuration)' };
    return new UsageError(error.problems.map((p) => `${names[p.field] ?? p.field}: ${p.problem}`).join('; '));
  }
  return error;
}
