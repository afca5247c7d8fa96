/** Object identifiers the module names and acts on. */

export interface AlgorithmName {
  readonly oid: string;
  readonly name: string;
}

export type DigestName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'streebog256' | 'streebog512';

export const Oid = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  gost2012Key256: '1.2.643.7.1.1.1.1',
  gost2012Key512: '1.2.643.7.1.1.1.2',
  gost2012Signature256: '1.2.643.7.1.1.3.2',
  gost2012Signature512: '1.2.643.7.1.1.3.3',
  privateKeyUsagePeriod: '2.5.29.16',
  subjectKeyIdentifier: '2.5.29.14',
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentTypeAttribute: '1.2.840.113549.1.9.3',
  messageDigestAttribute: '1.2.840.113549.1.9.4',
  signingTimeAttribute: '1.2.840.113549.1.9.5',
  timestampTokenAttribute: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
} as const;

const curveNames: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.10': 'secp256k1',
};

const publicKeyNames: Record<string, string> = {
  [Oid.rsaEncryption]: 'rsaEncryption',
  [Oid.rsassaPss]: 'RSASSA-PSS',
  [Oid.ecPublicKey]: 'id-ecPublicKey',
  [Oid.gost2012Key256]: 'GOST R 34.10-2012 256',
  [Oid.gost2012Key512]: 'GOST R 34.10-2012 512',
  '1.2.643.2.2.19': 'GOST R 34.10-2001',
};

const signatureNames: Record<string, string> = {
  [Oid.rsaEncryption]: 'rsaEncryption',
  [Oid.rsassaPss]: 'RSASSA-PSS',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  [Oid.ecPublicKey]: 'id-ecPublicKey',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  [Oid.gost2012Key256]: 'GOST R 34.10-2012 256',
  [Oid.gost2012Key512]: 'GOST R 34.10-2012 512',
  [Oid.gost2012Signature256]: 'GOST R 34.10-2012 with GOST R 34.11-2012 256',
  [Oid.gost2012Signature512]: 'GOST R 34.10-2012 with GOST R 34.11-2012 512',
  '1.2.643.2.2.3': 'GOST R 34.10-2001 with GOST R 34.11-94',
};

const digestNames: Record<string, DigestName> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.2.643.7.1.1.2.2': 'streebog256',
  '1.2.643.7.1.1.2.3': 'streebog512',
};

const digestOids = Object.fromEntries(
  Object.entries(digestNames).map(([oid, name]) => [name, oid]),
) as Record<DigestName, string>;

/** The hash a signature algorithm OID carries in itself (sha256WithRSAEncryption and the like). */
const signatureDigests: Record<string, DigestName> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

export function curveName(oid: string): string | undefined {
  return curveNames[oid];
}

export function publicKeyAlgorithmName(oid: string, curveOid?: string): AlgorithmName {
  const base = publicKeyNames[oid] ?? oid;
  if (oid === Oid.ecPublicKey && curveOid !== undefined) {
    return { oid, name: `${base} ${curveNames[curveOid] ?? curveOid}` };
  }
  return { oid, name: base };
}

export function signatureAlgorithmName(oid: string): AlgorithmName {
  return { oid, name: signatureNames[oid] ?? oid };
}

export function digestAlgorithmName(oid: string): AlgorithmName {
  return { oid, name: digestNames[oid] ?? oid };
}

export function digestByOid(oid: string): DigestName | undefined {
  return digestNames[oid];
}

export function digestOid(name: DigestName): string {
  return digestOids[name];
}

export function digestOfSignatureAlgorithm(oid: string): DigestName | undefined {
  return signatureDigests[oid];
}

export function isGostAlgorithm(oid: string): boolean {
  return oid.startsWith('1.2.643.');
}
