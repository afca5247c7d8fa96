import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigFileError, loadConfig } from '../../functions/adapters/config/load-config.ts';
import { UnreadableInputError, ValidationError } from '../../functions/domain/errors.ts';
import {
  type CertificateSummary,
  readCertificate,
  readSignedData,
  russianDateTimeIn,
  type TimeSource,
  type VerificationReport,
  verifyParsedSignature,
  type WindowVerdict,
} from '../../functions/domain/signatures/index.ts';
import { settingsFrom } from '../../infra/local/settings.ts';
import { type CliIo, type Command, UsageError } from '../io.ts';

/**
 * `docroute verify --sig FILE [--data FILE] [--cert FILE] [--at TIME] [--json]`.
 * Exit 0: the certificate window is valid at the moment used, the document was not found changed
 * (a detached signature without --data is accepted, and the report says the document was not
 * compared) and the signature is not found invalid. Exit 1: judged not valid. Exit 2: unreadable input.
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
    },
  });
  if (values.sig === undefined) throw new UsageError('укажите файл подписи: --sig FILE');
  const timeZone = await timeZoneOf(io);

  const signedData = readOrExplain(values.sig, await readInputFile(io, values.sig), readSignedData);
  const content = values.data === undefined ? undefined : await readInputFile(io, values.data);
  const certificate =
    values.cert === undefined
      ? undefined
      : readOrExplain(values.cert, await readInputFile(io, values.cert), readCertificate);

  const report = withUsageErrors(() =>
    verifyParsedSignature({ signedData, content, certificate, at: values.at, now: new Date(), timeZone }),
  );
  if (report.window === 'unparseable') throw new UsageError(`${values.sig}: ${report.reasons.join(' ')}`);

  io.out(values.json ? JSON.stringify(report, null, 2) : verificationText(report, timeZone));
  return passes(report) ? 0 : 1;
};

/** Every check we do found nothing wrong (some may not have been possible). */
function passes(report: VerificationReport): boolean {
  return report.window === 'valid' && report.digest !== 'mismatch' && report.signature !== 'invalid';
}

function headline(report: VerificationReport): string {
  if (!passes(report)) return 'Подпись не подтверждена.';
  if (report.digest === 'match' && report.signature === 'valid') {
    return 'Подпись действительна (цепочка сертификатов и отзыв не проверялись).';
  }
  return 'Нарушений не найдено, но проверка неполная (см. замечания).';
}

const windowWords: Record<WindowVerdict, string> = {
  valid: 'сертификат действовал',
  not_yet_valid: 'сертификат ещё не действовал',
  expired: 'срок действия сертификата истёк',
  key_usage_period_exceeded: 'сертификат действовал, но срок действия закрытого ключа — нет',
  indeterminate: 'нельзя определить',
  unparseable: 'не читается',
};

const timeSourceWords: Record<TimeSource, string> = {
  timestamp: 'метка времени (CAdES-T)',
  signingTime: 'время подписания, указанное подписавшим (signingTime)',
  asserted: 'указанное вами время (--at)',
  check: 'момент проверки',
};

const digestWords = {
  match: 'не изменён после подписания',
  mismatch: 'ИЗМЕНЁН после подписания',
  not_checked: 'не сверялся',
} as const;

const signatureWords = {
  valid: 'верна',
  invalid: 'НЕВЕРНА',
  unsupported: 'не выполнялась (алгоритм не поддерживается)',
  not_checked: 'не выполнялась',
} as const;

function verificationText(report: VerificationReport, timeZone: string): string {
  const lines = [headline(report), ''];
  if (report.certificate !== null) lines.push(...certificateLines(report.certificate, timeZone));
  if (report.timeSource !== null) lines.push(`Проверено на: ${timeSourceWords[report.timeSource]}`);
  lines.push(
    `Срок действия на этот момент: ${windowWords[report.window]}`,
    `Документ: ${digestWords[report.digest]}`,
    `Математическая проверка подписи: ${signatureWords[report.signature]}`,
    '',
    'Замечания:',
    ...report.reasons.map((reason) => `  - ${reason}`),
  );
  if (report.stamp !== null)
    lines.push('', 'Отметка об электронной подписи:', ...report.stamp.map((line) => `  ${line}`));
  return lines.join('\n');
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

/** The organisation's time zone, from the same configuration the service runs with (DOCROUTE_CONFIG). */
export async function timeZoneOf(io: CliIo): Promise<string> {
  try {
    return (await loadConfig(settingsFrom(io.env, io.cwd).configPath)).timeZone;
  } catch (error) {
    if (error instanceof ConfigFileError) throw new UsageError(error.message);
    throw error;
  }
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
    if (error instanceof ValidationError) {
      const names: Record<string, string> = { at: '--at', timeZone: 'timeZone (configuration)' };
      throw new UsageError(
        error.problems.map((p) => `${names[p.field] ?? p.field}: ${p.problem}`).join('; '),
      );
    }
    throw error;
  }
}
