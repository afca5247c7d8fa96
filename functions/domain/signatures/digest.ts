/** Hashing by algorithm OID, and the comparison of a document with the signer's messageDigest. */
import { createHash } from 'node:crypto';
import { type DigestName, digestByOid } from './algorithms.ts';
import type { SignerInfo } from './cms.ts';
import type { SignatureResult } from './crypto-check.ts';
import { streebog256, streebog512 } from './streebog.ts';

export type DigestResult = 'match' | 'mismatch' | 'not_checked';

export interface DigestCheck {
  readonly result: DigestResult;
  /** Why the digest was not checked or did not match, in words for a clerk. */
  readonly reason: string | null;
}

export function computeDigest(name: DigestName, data: Uint8Array): Uint8Array {
  switch (name) {
    case 'streebog256':
      return streebog256(data);
    case 'streebog512':
      return streebog512(data);
    default:
      return createHash(name).update(data).digest();
  }
}

/** The digest for an algorithm OID, or null when the OID names no hash this module computes. */
export function digestByAlgorithmOid(oid: string, data: Uint8Array): Uint8Array | null {
  const name = digestByOid(oid);
  return name === undefined ? null : computeDigest(name, data);
}

/**
 * Compares the content's hash with the signed messageDigest attribute. Without signed attributes
 * there is no separate digest: the signature is over the content itself, so the document is known
 * unchanged exactly when that signature verifies (`signatureOverContent`), and unknown otherwise.
 */
export function checkDigest(
  signer: SignerInfo,
  content: Uint8Array | null,
  signatureOverContent: SignatureResult = 'not_checked',
): DigestCheck {
  if (content === null) {
    return { result: 'not_checked', reason: 'Документ не передан: его соответствие подписи не проверялось.' };
  }
  const expected = signer.signedAttributes?.messageDigest ?? null;
  if (signer.signedAttributes === null) {
    return signatureOverContent === 'valid'
      ? { result: 'match', reason: null }
      : {
          result: 'not_checked',
          reason:
            'В подписи нет подписанных атрибутов: документ сверяется только проверкой самой подписи, а она не подтвердилась.',
        };
  }
  if (expected === null) {
    return { result: 'not_checked', reason: 'В подписи нет хэша документа (атрибута messageDigest).' };
  }
  const actual = digestByAlgorithmOid(signer.digestAlgorithm.oid, content);
  if (actual === null) {
    return {
      result: 'not_checked',
      reason: `Алгоритм хэширования ${signer.digestAlgorithm.name} не поддерживается: документ не сверялся.`,
    };
  }
  return Buffer.from(actual).equals(Buffer.from(expected))
    ? { result: 'match', reason: null }
    : {
        result: 'mismatch',
        reason: 'Документ изменён после подписания: его хэш не совпадает с подписанным.',
      };
}
