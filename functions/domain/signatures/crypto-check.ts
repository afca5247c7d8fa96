/**
 * The cryptographic checks with node:crypto (RSA PKCS#1 v1.5, RSA-PSS and ECDSA): of a SignerInfo,
 * and of a certificate by its issuer. GOST R 34.10-2012 is reported as unsupported, never as valid,
 * until its mathematics is built; both checks have one GOST branch for it to plug into.
 */
import { constants, createPublicKey, type KeyObject, verify, X509Certificate } from 'node:crypto';
import {
  type DigestName,
  digestByOid,
  digestOfSignatureAlgorithm,
  isGostAlgorithm,
  Oid,
} from './algorithms.ts';
import type { Certificate, DistinguishedName } from './certificate.ts';
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

/**
 * Verifies the certificate's own signature (over its tbsCertificate) with the key of an issuer
 * among `available`: the certificates the CMS carries and any passed in, the certificate itself
 * included (a self-signed one is its own issuer). This is what catches a certificate whose owner
 * name was edited while the CMS signature over the content still verifies. It says nothing about
 * trust: an issuer found here is not yet a trusted CA. Issuers are found by name; with none, the
 * check is not done.
 */
export function checkCertificateSignature(
  certificate: Certificate,
  available: readonly Certificate[],
): SignatureCheck {
  const issuers = available.filter((candidate) => sameName(candidate.subject, certificate.issuer));
  if (issuers.length === 0) {
    return {
      result: 'not_checked',
      reason:
        'Сертификата издателя нет ни в подписи, ни среди переданных: подпись издателя под сертификатом не проверена, сертификат мог быть изменён.',
    };
  }
  if (isGostAlgorithm(certificate.signatureAlgorithm.oid)) {
    return {
      result: 'unsupported',
      reason: 'Подпись издателя под сертификатом (ГОСТ Р 34.10-2012) этой программой пока не проверяется.',
    };
  }
  const algorithm = certificate.signatureAlgorithm;
  // OpenSSL answers "false" for an algorithm it does not know: only known ones can fail.
  if (digestOfSignatureAlgorithm(algorithm.oid) === undefined && algorithm.oid !== Oid.rsassaPss) {
    return {
      result: 'unsupported',
      reason: `Алгоритм подписи сертификата ${algorithm.name} не поддерживается: подпись издателя не проверена.`,
    };
  }
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(Buffer.from(certificate.der));
  } catch {
    return {
      result: 'unsupported',
      reason: 'Сертификат не удалось разобрать для проверки подписи издателя.',
    };
  }
  for (const issuer of issuers) {
    try {
      // OpenSSL checks the exact tbsCertificate bytes, with the hash and padding the certificate names.
      if (parsed.verify(createPublicKey({ key: Buffer.from(issuer.spki), format: 'der', type: 'spki' }))) {
        return { result: 'valid', reason: null };
      }
    } catch {
      return {
        result: 'unsupported',
        reason: `Подпись издателя под сертификатом (${algorithm.name}) проверить не удалось.`,
      };
    }
  }
  return {
    result: 'invalid',
    reason:
      'Подпись издателя под сертификатом неверна: сертификат изменён после выпуска (например, исправлено имя владельца) или выпущен не этим издателем.',
  };
}

/** Names compared by decoded attributes in order, as signerMatches compares issuers. */
function sameName(a: DistinguishedName, b: DistinguishedName): boolean {
  return (
    a.attributes.length === b.attributes.length &&
    a.attributes.every(
      (attribute, i) => attribute.oid === b.attributes[i]?.oid && attribute.value === b.attributes[i]?.value,
    )
  );
}
