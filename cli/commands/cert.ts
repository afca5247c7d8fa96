import { parseArgs } from 'node:util';
import {
  type CertificateReport,
  describeCertificate,
  readCertificate,
} from '../../functions/domain/signatures/index.ts';
import { type Command, UsageError } from '../io.ts';
import { certificateLines, readInputFile, readOrExplain, timeZoneOf, withUsageErrors } from './verify.ts';

/**
 * `docroute cert FILE [--at TIME] [--json]`: what the certificate says and whether it is valid at
 * the moment asked (or now). Exit 0 valid, 1 not valid or undecidable, 2 unreadable input.
 */
export const cert: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      at: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [path, ...extra] = positionals;
  if (path === undefined || extra.length > 0) {
    throw new UsageError('укажите один файл сертификата: cert FILE');
  }
  const timeZone = await timeZoneOf(io);
  const certificate = readOrExplain(path, await readInputFile(io, path), readCertificate);
  const report = withUsageErrors(() => describeCertificate(certificate, values.at ?? new Date(), timeZone));
  io.out(
    values.json ? JSON.stringify(report, null, 2) : certificateText(report, certificate.thumbprint, timeZone),
  );
  return report.window === 'valid' ? 0 : 1;
};

const headlines: Record<CertificateReport['window'], string> = {
  valid: 'Сертификат действует.',
  not_yet_valid: 'Сертификат ещё не действует.',
  expired: 'Срок действия сертификата истёк.',
  key_usage_period_exceeded:
    'Сертификат действует, но срок действия закрытого ключа — нет: подписывать им нельзя.',
  indeterminate: 'По одной дате нельзя сказать, действовал ли сертификат.',
};

function certificateText(report: CertificateReport, thumbprint: string, timeZone: string): string {
  return [
    headlines[report.window],
    '',
    ...certificateLines(report.certificate, timeZone),
    `Отпечаток (SHA-1): ${thumbprint}`,
    '',
    'Замечания:',
    ...report.reasons.map((reason) => `  - ${reason}`),
    '',
    'Отметка об электронной подписи:',
    ...report.stamp.map((line) => `  ${line}`),
  ].join('\n');
}
