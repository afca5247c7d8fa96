/**
 * The cryptographic check of a SignerInfo with node:crypto: RSA PKCS#1 v1.5, RSA-PSS and ECDSA.
 * GOST R 34.10-2012 has no trustworthy JavaScript implementation (see SIGNATURES.md), so it is
 * reported as unsupported, never as valid.
 */
import { constants, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { type DigestName, digestByOid, isGostAlgorithm, Oid } from './algorithms.ts';
import type { Certificate } from './certificate.ts';
import type { SignerInfo } from './cms.ts';

export type SignatureResult = 'valid' | 'invalid' | 'unsupported' | 'not_checked';

export interface SignatureCheck {
  readonly result: SignatureResult;
  readonly reason: string | null;
}

type NativeDigest = Exclude<DigestName, 'streebog256' | 'streebog512'>;

function nativeDigest(oid: string): NativeDigest | null {
  const name = digestByOid(oid);
  return name === undefined || name === 'streebog256' || name === 'streebog512' ? null : name;
}

/**
 * Verifies the signature over the re-encoded signed attributes, or over the content itself when
 * there are none. `content` is only needed in that second case.
 */
export function checkSignature(
  signer: SignerInfo,
  certificate: Certificate | null,
  content: Uint8Array | null,
): SignatureCheck {
  if (certificate === null) {
    return { result: 'not_checked', reason: 'Сертификат подписанта не найден: подпись не проверялась.' };
  }
  const signed = signer.signedAttributesDer ?? content;
  if (signed === null) {
    return {
      result: 'not_checked',
      reason:
        'Подпись без подписанных атрибутов покрывает сам документ, а он не передан: подпись не проверялась.',
    };
  }
  const keyOid = certificate.publicKeyAlgorithm.oid;
  if (isGostAlgorithm(keyOid) || isGostAlgorithm(signer.signatureAlgorithm.oid)) {
    return {
      result: 'unsupported',
      reason: 'Математическая проверка подписи по ГОСТ Р 34.10-2012 этой программой не выполняется.',
    };
  }
  const unsupported = (why: string): SignatureCheck => ({ result: 'unsupported', reason: why });

  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(certificate.spki), format: 'der', type: 'spki' });
  } catch {
    return unsupported(
      `Открытый ключ сертификата (${certificate.publicKeyAlgorithm.name}) не удалось загрузить.`,
    );
  }

  const pss = signer.signatureAlgorithm.pss;
  const hashOid = pss?.hashOid ?? signer.digestAlgorithm.oid;
  const hash = nativeDigest(hashOid);
  if (hash === null) {
    return unsupported(`Алгоритм хэширования ${hashOid} для этой подписи не поддерживается.`);
  }

  let options: Parameters<typeof verify>[2];
  if (pss !== null) {
    if (keyOid !== Oid.rsaEncryption && keyOid !== Oid.rsassaPss) {
      return unsupported('Подпись RSA-PSS при ключе не RSA.');
    }
    // node:crypto ties MGF1 to the signature hash; other combinations cannot be checked here.
    if (pss.maskGenHashOid !== pss.hashOid) {
      return unsupported('Параметры RSA-PSS (MGF1 с другим хэшем) не поддерживаются.');
    }
    options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength };
  } else if (keyOid === Oid.rsaEncryption) {
    options = { key, padding: constants.RSA_PKCS1_PADDING };
  } else if (keyOid === Oid.ecPublicKey) {
    options = { key, dsaEncoding: 'der' };
  } else {
    return unsupported(`Алгоритм ключа ${certificate.publicKeyAlgorithm.name} не поддерживается.`);
  }

  try {
    return verify(hash, signed, options, signer.signature)
      ? { result: 'valid', reason: null }
      : { result: 'invalid', reason: 'Подпись не соответствует подписанным данным и ключу сертификата.' };
  } catch {
    // OpenSSL rejects some malformed signature values outright rather than returning false.
    return { result: 'invalid', reason: 'Значение подписи повреждено.' };
  }
}
