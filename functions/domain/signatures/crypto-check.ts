/**
 * The cryptographic checks: of a SignerInfo, of a certificate by its issuer, of a CRL by its issuer.
 * RSA PKCS#1 v1.5, RSA-PSS and ECDSA with node:crypto; GOST R 34.10-2012 with docroute's own
 * TypeScript (gost-check.ts), one branch for the content signature and one for certificates and CRLs.
 */
import { constants, createPublicKey, type KeyObject, verify, X509Certificate } from 'node:crypto';
import {
  type AlgorithmName,
  type DigestName,
  digestByOid,
  digestOfSignatureAlgorithm,
  digestOid,
  isGostAlgorithm,
  Oid,
} from './algorithms.ts';
import type { Certificate, DistinguishedName } from './certificate.ts';
import type { SignerInfo } from './cms.ts';
import { checkGostSignature } from './gost-check.ts';

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
    return checkGostSignature(certificate.spki, signer.signatureAlgorithm.oid, signed, signer.signature);
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

/** What an issuer signs and how: a certificate's or a CRL's to-be-signed part. */
export interface IssuerSigned {
  readonly signatureAlgorithm: AlgorithmName;
  readonly tbs: Uint8Array;
  readonly signatureValue: Uint8Array;
}

/**
 * Verifies the certificate's own signature (over its exact tbsCertificate bytes) with the issuer's
 * key: one link of a chain. This is what catches a certificate whose owner name was edited while
 * the CMS signature over the content still verifies. It says nothing about trust. Every link of
 * every chain is checked here, so GOST certificates need only the GOST branch below.
 */
export function checkCertificateSignature(certificate: Certificate, issuer: Certificate): SignatureCheck {
  if (isGostAlgorithm(certificate.signatureAlgorithm.oid) || isGostAlgorithm(issuer.publicKeyAlgorithm.oid)) {
    return checkGostIssuerSignature(certificate, issuer, 'сертификатом');
  }
  const algorithm = certificate.signatureAlgorithm;
  // OpenSSL answers "false" for an algorithm it does not know: only known ones can fail.
  if (digestOfSignatureAlgorithm(algorithm.oid) === undefined && algorithm.oid !== Oid.rsassaPss) {
    return {
      result: 'unsupported',
      reason: `Алгоритм подписи сертификата ${algorithm.name} не поддерживается: подпись издателя не проверена.`,
    };
  }
  const key = publicKeyOf(issuer);
  if (key === null) return unloadableKey(issuer);
  try {
    // OpenSSL checks the exact tbsCertificate bytes, with the hash and padding (PSS too) the
    // certificate names.
    if (nativeCertificate(certificate).verify(key)) return { result: 'valid', reason: null };
  } catch {
    return {
      result: 'unsupported',
      reason: `Подпись издателя под сертификатом (${algorithm.name}) проверить не удалось.`,
    };
  }
  return {
    result: 'invalid',
    reason:
      'Подпись издателя под сертификатом неверна: сертификат изменён после выпуска (например, исправлено имя владельца) или выпущен не этим издателем.',
  };
}

/** Verifies a CRL's signature with its issuer's key; a CRL that fails is never trusted. */
export function checkCrlSignature(crl: IssuerSigned, issuer: Certificate): SignatureCheck {
  if (isGostAlgorithm(crl.signatureAlgorithm.oid) || isGostAlgorithm(issuer.publicKeyAlgorithm.oid)) {
    return checkGostIssuerSignature(crl, issuer, 'списком отозванных сертификатов');
  }
  const hash = digestOfSignatureAlgorithm(crl.signatureAlgorithm.oid);
  const hashName = hash === undefined ? null : nativeDigest(digestOid(hash));
  if (hashName === null) {
    return {
      result: 'unsupported',
      reason: `Алгоритм подписи CRL ${crl.signatureAlgorithm.name} не поддерживается: подпись CRL не проверена.`,
    };
  }
  const key = publicKeyOf(issuer);
  if (key === null) return unloadableKey(issuer);
  const options =
    issuer.publicKeyAlgorithm.oid === Oid.ecPublicKey
      ? { key, dsaEncoding: 'der' as const }
      : { key, padding: constants.RSA_PKCS1_PADDING };
  try {
    if (verify(hashName, crl.tbs, options, crl.signatureValue)) return { result: 'valid', reason: null };
  } catch {
    // A malformed signature value is a failed signature, as in checkSignature.
  }
  return {
    result: 'invalid',
    reason:
      'Подпись под списком отозванных сертификатов (CRL) неверна: список изменён или выпущен не этим издателем.',
  };
}

/** The GOST R 34.10-2012 branch for certificates and CRLs alike: Streebog over `signed.tbs`, then the issuer's key. */
function checkGostIssuerSignature(signed: IssuerSigned, issuer: Certificate, under: string): SignatureCheck {
  const check = checkGostSignature(
    issuer.spki,
    signed.signatureAlgorithm.oid,
    signed.tbs,
    signed.signatureValue,
  );
  if (check.result !== 'invalid') return check;
  return {
    result: 'invalid',
    reason:
      `Подпись издателя под ${under} неверна: документ изменён после выпуска (например, исправлено имя владельца) или выпущен не этим издателем. ${check.reason ?? ''}`.trim(),
  };
}

// Chains repeat the same few CA certificates: their keys and native forms are made once.
const keyCache = new WeakMap<Certificate, KeyObject | null>();
const nativeCache = new WeakMap<Certificate, X509Certificate>();

function publicKeyOf(certificate: Certificate): KeyObject | null {
  let key = keyCache.get(certificate);
  if (key === undefined) {
    try {
      key = createPublicKey({ key: Buffer.from(certificate.spki), format: 'der', type: 'spki' });
    } catch {
      key = null;
    }
    keyCache.set(certificate, key);
  }
  return key;
}

function nativeCertificate(certificate: Certificate): X509Certificate {
  let native = nativeCache.get(certificate);
  if (native === undefined) {
    native = new X509Certificate(Buffer.from(certificate.der));
    nativeCache.set(certificate, native);
  }
  return native;
}

function unloadableKey(issuer: Certificate): SignatureCheck {
  return {
    result: 'unsupported',
    reason: `Открытый ключ издателя (${issuer.publicKeyAlgorithm.name}) не удалось загрузить: подпись издателя не проверена.`,
  };
}

/** Names compared by decoded attributes in order, as signerMatches compares issuers. */
export function sameName(a: DistinguishedName, b: DistinguishedName): boolean {
  return (
    a.attributes.length === b.attributes.length &&
    a.attributes.every(
      (attribute, i) => attribute.oid === b.attributes[i]?.oid && attribute.value === b.attributes[i]?.value,
    )
  );
}
