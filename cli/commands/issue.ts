import { parseArgs } from 'node:util';
import { toPem } from '../../functions/domain/signatures/asn1-writer.ts';
import {
  type CertificateIssuer,
  issueCertificate,
  type NameSpec,
  selfIssuer,
} from '../../functions/domain/signatures/issue-certificate.ts';
import { isNameField, type NameField } from '../../functions/domain/signatures/name-fields.ts';
import { type Command, UsageError } from '../io.ts';
import { instantOption, readCaIssuer, readKeyFile, requiredOption, writeOutput } from './issuing.ts';

/**
 * `docroute issue --key FILE --name CN=... [--name SN=...]... --serial HEX --not-before T --not-after T
 * [--key-not-before T] [--key-not-after T] [--ca [--path-length N]] [--crl-url URL]
 * (--self-signed | --ca-key FILE --ca-cert FILE) --out FILE`: a certificate for the key's public key,
 * signed by the CA (or by the key itself, for a test root). A test CA made this way is trusted only
 * where an office lists it.
 */
export const issue: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      key: { type: 'string' },
      name: { type: 'string', multiple: true },
      serial: { type: 'string' },
      'not-before': { type: 'string' },
      'not-after': { type: 'string' },
      'key-not-before': { type: 'string' },
      'key-not-after': { type: 'string' },
      ca: { type: 'boolean', default: false },
      'path-length': { type: 'string' },
      'crl-url': { type: 'string' },
      'self-signed': { type: 'boolean', default: false },
      'ca-key': { type: 'string' },
      'ca-cert': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const subject = nameOf(values.name ?? []);
  const serial = requiredOption('--serial', values.serial);
  if (!/^[0-9A-Fa-f]{1,40}$/.test(serial))
    throw new UsageError('--serial must be 1 to 40 hexadecimal digits');
  const notBefore = requiredOption('--not-before', instantOption('--not-before', values['not-before']));
  const notAfter = requiredOption('--not-after', instantOption('--not-after', values['not-after']));
  if (notAfter <= notBefore) throw new UsageError('--not-after must come after --not-before');
  const keyNotBefore = instantOption('--key-not-before', values['key-not-before']);
  const keyNotAfter = instantOption('--key-not-after', values['key-not-after']);
  const pathLength = values['path-length'] === undefined ? undefined : Number(values['path-length']);
  if (pathLength !== undefined && (!Number.isInteger(pathLength) || pathLength < 0 || !values.ca))
    throw new UsageError('--path-length is a whole number, with --ca');
  const key = await readKeyFile(io, requiredOption('--key', values.key));
  const issuer = await issuerFrom(io, values, subject, key);
  const certificate = issueCertificate(
    {
      subject,
      publicKeyInfo: key.publicKeyInfo,
      serial,
      notBefore,
      notAfter,
      ...(keyNotBefore === undefined && keyNotAfter === undefined
        ? {}
        : {
            privateKeyUsagePeriod: {
              ...(keyNotBefore === undefined ? {} : { notBefore: keyNotBefore }),
              ...(keyNotAfter === undefined ? {} : { notAfter: keyNotAfter }),
            },
          }),
      ...(values.ca ? { ca: pathLength === undefined ? {} : { pathLength } } : {}),
      ...(values['crl-url'] === undefined ? {} : { crlDistributionPoint: values['crl-url'] }),
    },
    issuer,
  );
  const out = requiredOption('--out', values.out);
  await writeOutput(io, out, toPem(certificate, 'CERTIFICATE'));
  io.out(
    `${out}: certificate ${serial.toUpperCase()} for ${subject.map(([f, v]) => `${f}=${v}`).join(', ')}`,
  );
  return 0;
};

async function issuerFrom(
  io: Parameters<Command>[1],
  values: { 'self-signed': boolean; 'ca-key'?: string | undefined; 'ca-cert'?: string | undefined },
  subject: NameSpec,
  key: Awaited<ReturnType<typeof readKeyFile>>,
): Promise<CertificateIssuer> {
  const byCa = values['ca-key'] !== undefined || values['ca-cert'] !== undefined;
  if (values['self-signed'] === byCa)
    throw new UsageError('give either --self-signed or --ca-key with --ca-cert');
  if (values['self-signed']) return selfIssuer(subject, key);
  return readCaIssuer(io, values);
}

/** `--name SN=Куликов` pairs, in order. */
function nameOf(pairs: readonly string[]): NameSpec {
  if (pairs.length === 0) throw new UsageError('--name is required, at least CN=...');
  return pairs.map((pair) => {
    const at = pair.indexOf('=');
    const field = pair.slice(0, at);
    const value = pair.slice(at + 1).trim();
    if (at < 1 || !isNameField(field) || value === '')
      throw new UsageError(
        `--name ${pair}: must be FIELD=value, FIELD one of CN, SN, G, T, O, OU, L, ST, street, C, E, INN, INNLE, OGRN, SNILS`,
      );
    return [field as NameField, value] as const;
  });
}
