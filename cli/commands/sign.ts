import { parseArgs } from 'node:util';
import { signDetached } from '../../functions/domain/signatures/sign-detached.ts';
import type { Command } from '../io.ts';
import {
  ensureKeyMatches,
  instantOption,
  readCertificateFile,
  readKeyFile,
  requiredOption,
  writeOutput,
} from './issuing.ts';
import { readInputFile } from './verify.ts';

/**
 * `docroute sign --key FILE --cert FILE --in FILE --out FILE [--at ISO-TIME]`: a detached CMS
 * signature (CAdES-BES, DER) of the file, as qualified signature files are; --at sets the signingTime
 * it claims (by default, now).
 */
export const sign: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      key: { type: 'string' },
      cert: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
      at: { type: 'string' },
    },
  });
  const keyPath = requiredOption('--key', values.key);
  const certificatePath = requiredOption('--cert', values.cert);
  const key = await readKeyFile(io, keyPath);
  const certificate = await readCertificateFile(io, certificatePath);
  ensureKeyMatches(key, keyPath, certificate, certificatePath);
  const content = await readInputFile(io, requiredOption('--in', values.in));
  const signingTime = instantOption('--at', values.at) ?? new Date();
  const out = requiredOption('--out', values.out);
  await writeOutput(io, out, signDetached({ content, key, certificate, signingTime }));
  io.out(`${out}: detached signature of ${values.in}, signed at ${signingTime.toISOString()}`);
  return 0;
};
