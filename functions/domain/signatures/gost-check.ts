/**
 * GOST R 34.10-2012 signatures checked as the other algorithms are: of a SignerInfo, of a
 * certificate or a CRL by its issuer. What is signed is hashed with the Streebog of the key's size;
 * the signature value is s‖r, big-endian, in CMS and in certificates alike (SIGNATURES.md).
 */
import { UnreadableInputError } from '../errors.ts';
import { Oid } from './algorithms.ts';
import type { SignatureCheck } from './crypto-check.ts';
import { gostParameterSet } from './gost-curves.ts';
import { readGostPublicKeyInfo } from './gost-keys.ts';
import { gostVerify } from './gost3410.ts';
import { streebog256, streebog512 } from './streebog.ts';

/** The signature algorithm OIDs that go with each key size (the key OID itself is accepted too: CryptoPro writes it). */
const signatureOids: Record<256 | 512, readonly string[]> = {
  256: [Oid.gost2012Signature256, Oid.gost2012Key256],
  512: [Oid.gost2012Signature512, Oid.gost2012Key512],
};

/**
 * Checks `signature` over `signed` with the GOST key in `spki`. `signatureAlgorithmOid` is what
 * the signature says it is; a 512-bit signature claimed for a 256-bit key is a failure, not a pass.
 */
export function checkGostSignature(
  spki: Uint8Array,
  signatureAlgorithmOid: string,
  signed: Uint8Array,
  signature: Uint8Array,
): SignatureCheck {
  let key: ReturnType<typeof readGostPublicKeyInfo>;
  try {
    key = readGostPublicKeyInfo(spki);
  } catch (error) {
    if (!(error instanceof UnreadableInputError)) throw error;
    return { result: 'unsupported', reason: `Открытый ключ ГОСТ не прочитан: ${error.message}.` };
  }
  if (gostParameterSet(key.parameterSetOid) === undefined) {
    return {
      result: 'unsupported',
      reason: `Набор параметров ключа ${key.parameterSetOid} неизвестен: подпись ГОСТ не проверена.`,
    };
  }
  if (!signatureOids[key.bits].includes(signatureAlgorithmOid)) {
    return {
      result: 'invalid',
      reason: `Алгоритм подписи ${signatureAlgorithmOid} не подходит к ключу ГОСТ Р 34.10-2012 ${key.bits} бит.`,
    };
  }
  const digest = key.bits === 256 ? streebog256(signed) : streebog512(signed);
  const verdict = gostVerify({ curve: key.parameterSetOid, publicKey: key.publicKey, digest, signature });
  return verdict.ok ? { result: 'valid', reason: null } : { result: 'invalid', reason: verdict.reason };
}
