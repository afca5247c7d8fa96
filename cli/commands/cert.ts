import { parseArgs } from 'node:util';
import { describeCertificateFetchingCrls } from '../../functions/domain/signatures/crl-fetch.ts';
import {
  type CertificateReport,
  describeCertificate,
  readCertificate,
} from '../../functions/domain/signatures/index.ts';
import { type Command, UsageError } from '../io.ts';
import { trustOptions, verificationSettings } from './trust-options.ts';
import {
  certificateLines,
  chainLines,
  checkLines,
  exitCodeOf,
  readInputFile,
  readOrExplain,
  stampLines,
  withUsageErrors,
  withUsageErrorsAsync,
} from './verify.ts';

/**
 * `docroute cert FILE [--at TIME] [--trust FILE|DIR]... [--intermediate FILE|DIR]...
 * [--crl FILE|DIR]... [--fetch-crl] [--config FILE] [--json]`: what the certificate says and whether it is valid
 * at the moment asked (or now). Exit 0 valid, 1 invalid (not valid at that moment, altered,
 * revoked, a broken chain), 2 unreadable input, 3 indeterminate (no chain to a trusted CA, no
 * current CRL, or only a date was given and a boundary falls on it).
 */
export const cert: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      at: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...trustOptions,
    },
  });
  const [path, ...extra] = positionals;
  if (path === undefined || extra.length > 0) {
    throw new UsageError('укажите один файл сертификата: cert FILE');
  }
  const { timeZone, trustList, fetchCrl } = await verificationSettings(io, values);
  const certificate = readOrExplain(path, await readInputFile(io, path), readCertificate);
  const at = values.at ?? new Date();
  const report =
    fetchCrl === null
      ? withUsageErrors(() => describeCertificate(certificate, at, timeZone, { trustList }))
      : await withUsageErrorsAsync(() =>
          describeCertificateFetchingCrls(certificate, at, timeZone, { trustList, fetchCrl }),
        );
  io.out(
    values.json ? JSON.stringify(report, null, 2) : certificateText(report, certificate.thumbprint, timeZone),
  );
  return exitCodeOf(report.verdict);
};

const windowWords: Record<CertificateReport['window'], string> = {
  valid: 'действует',
  not_yet_valid: 'ещё не действует',
  expired: 'истёк',
  key_usage_period_exceeded:
    'сертификат действует, но срок действия закрытого ключа — нет: подписывать им нельзя',
  indeterminate: 'по одной дате нельзя сказать, действовал ли сертификат',
};

function certificateText(report: CertificateReport, thumbprint: string, timeZone: string): string {
  return [
    report.summary,
    '',
    ...certificateLines(report.certificate, timeZone),
    `Отпечаток (SHA-1): ${thumbprint}`,
    `Срок действия на этот момент: ${windowWords[report.window]}`,
    '',
    'Проверки:',
    ...checkLines(report.checks, { window: 'Сертификат действует на этот момент' }),
    ...chainLines(report.certificate.chain),
    '',
    'Замечания:',
    ...report.reasons.map((reason) => `  - ${reason}`),
    ...stampLines(report.stamp, report.summary),
  ].join('\n');
}
