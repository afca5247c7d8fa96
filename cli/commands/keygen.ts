import { parseArgs } from 'node:util';
import { toPem } from '../../functions/domain/signatures/asn1-writer.ts';
import {
  generateSigningKey,
  gostParamSets,
  type KeyAlgorithm,
  keyAlgorithms,
} from '../../functions/domain/signatures/signing-key.ts';
import { type Command, UsageError } from '../io.ts';
import { requiredOption, writeOutput } from './issuing.ts';

/**
 * `docroute keygen --alg gost2012-256|gost2012-512|rsa|ecdsa-p256|ecdsa-p384 [--paramset NAME] --out
 * FILE`: a new private key, PKCS#8 PEM as OpenSSL writes it (readable only by its owner). GOST
 * parameter sets by OpenSSL's names: A, B, C, XA, XB, TCA..TCD for 256 bits; A, B, C for 512.
 */
export const keygen: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { alg: { type: 'string' }, paramset: { type: 'string' }, out: { type: 'string' } },
  });
  const algorithm = requiredOption('--alg', values.alg);
  if (!keyAlgorithms.includes(algorithm as KeyAlgorithm))
    throw new UsageError(`--alg must be one of: ${keyAlgorithms.join(', ')}`);
  const gost = algorithm === 'gost2012-256' || algorithm === 'gost2012-512';
  if (values.paramset !== undefined && !gost) throw new UsageError(`--paramset is for GOST keys only`);
  if (gost && values.paramset !== undefined && gostParamSets[algorithm][values.paramset] === undefined)
    throw new UsageError(
      `--paramset for ${algorithm}: one of ${Object.keys(gostParamSets[algorithm]).join(', ')}`,
    );
  const out = requiredOption('--out', values.out);
  const key = generateSigningKey(algorithm as KeyAlgorithm, values.paramset);
  await writeOutput(io, out, toPem(key.privateKeyInfo, 'PRIVATE KEY'), true);
  io.out(`${out}: ${key.algorithm} private key`);
  return 0;
};
