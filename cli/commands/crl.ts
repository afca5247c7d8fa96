import { parseArgs } from 'node:util';
import { toPem } from '../../functions/domain/signatures/asn1-writer.ts';
import { issueCrl, type Revocation } from '../../functions/domain/signatures/issue-crl.ts';
import { type Command, UsageError } from '../io.ts';
import { instantOption, readCaIssuer, requiredOption, writeOutput } from './issuing.ts';

/**
 * `docroute crl --ca-key FILE --ca-cert FILE [--revoke SERIAL@TIME]... [--this-update T]
 * [--next-update T] [--number N] --out FILE`: the CA's list of revoked certificates. By default it
 * is issued now and valid for 30 days.
 */
export const crl: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'ca-key': { type: 'string' },
      'ca-cert': { type: 'string' },
      revoke: { type: 'string', multiple: true },
      'this-update': { type: 'string' },
      'next-update': { type: 'string' },
      number: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
  });
  const thisUpdate = instantOption('--this-update', values['this-update']) ?? new Date();
  const nextUpdate =
    instantOption('--next-update', values['next-update']) ?? new Date(thisUpdate.getTime() + 30 * 86_400_000);
  if (nextUpdate <= thisUpdate) throw new UsageError('--next-update must come after --this-update');
  const number = Number(values.number);
  if (!Number.isInteger(number) || number < 0) throw new UsageError('--number must be a whole number');
  const revoked = (values.revoke ?? []).map(revocationOf);
  const issuer = await readCaIssuer(io, values);
  const out = requiredOption('--out', values.out);
  await writeOutput(
    io,
    out,
    toPem(issueCrl({ thisUpdate, nextUpdate, revoked, number }, issuer), 'X509 CRL'),
  );
  io.out(`${out}: CRL ${number}, ${revoked.length} revoked, next update ${nextUpdate.toISOString()}`);
  return 0;
};

/** `0118EC5A@2021-12-24T10:00:00Z` */
function revocationOf(value: string): Revocation {
  const [serial = '', time] = value.split('@');
  if (!/^[0-9A-Fa-f]{1,40}$/.test(serial) || time === undefined)
    throw new UsageError(`--revoke ${value}: must be SERIAL@TIME (hexadecimal serial, ISO 8601 time)`);
  return { serial, at: requiredOption('--revoke', instantOption('--revoke', time)) };
}
