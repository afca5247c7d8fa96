/**
 * A private key that docroute signs with, whatever its algorithm: GOST R 34.10-2012 in its own
 * TypeScript, RSA and ECDSA through node:crypto. Certificates, CRLs and CMS signatures are all
 * written against this one shape.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto';
import { UnreadableInputError } from '../errors.ts';
import { Oid } from './algorithms.ts';
import { bytesToBinary, parseAsn1, readOid, sequenceOf } from './asn1.ts';
import { type Asn1Node, nullValue, oid, sequence } from './asn1-writer.ts';
import { gostParameterSet } from './gost-curves.ts';
import { encodeGostPrivateKeyInfo, encodeGostPublicKeyInfo, readGostPrivateKeyInfo } from './gost-keys.ts';
import { gostGenerateKey, gostPublicKey, gostSign } from './gost3410.ts';
import { streebog256, streebog512 } from './streebog.ts';

export type KeyAlgorithm = 'gost2012-256' | 'gost2012-512' | 'rsa' | 'ecdsa-p256' | 'ecdsa-p384';

export const keyAlgorithms: readonly KeyAlgorithm[] = [
  'gost2012-256',
  'gost2012-512',
  'rsa',
  'ecdsa-p256',
  'ecdsa-p384',
];

export interface SigningKey {
  readonly algorithm: KeyAlgorithm;
  /** The SubjectPublicKeyInfo, DER: what a certificate for this key carries. */
  readonly publicKeyInfo: Uint8Array;
  /** The key as PKCS#8 PrivateKeyInfo, DER, the way OpenSSL writes it. */
  readonly privateKeyInfo: Uint8Array;
  /** The digest a CMS signature with this key uses (its OID, and the function). */
  readonly digestOid: string;
  digest(data: Uint8Array): Uint8Array;
  /** AlgorithmIdentifier of a certificate's or CRL's signature made with this key. */
  signatureAlgorithm(): Asn1Node;
  /** AlgorithmIdentifier in a CMS SignerInfo (for GOST, the key's own OID, as CryptoPro and OpenSSL write). */
  cmsSignatureAlgorithm(): Asn1Node;
  /** Signs the bytes (hashing them first), in the form the certificate or CMS carries. */
  sign(data: Uint8Array): Uint8Array;
}

/** The parameter sets a GOST key may be made with, by the names OpenSSL's engine uses. */
export const gostParamSets: Readonly<
  Record<'gost2012-256' | 'gost2012-512', Readonly<Record<string, string>>>
> = {
  'gost2012-256': {
    A: '1.2.643.2.2.35.1',
    B: '1.2.643.2.2.35.2',
    C: '1.2.643.2.2.35.3',
    XA: '1.2.643.2.2.36.0',
    XB: '1.2.643.2.2.36.1',
    TCA: '1.2.643.7.1.2.1.1.1',
    TCB: '1.2.643.7.1.2.1.1.2',
    TCC: '1.2.643.7.1.2.1.1.3',
    TCD: '1.2.643.7.1.2.1.1.4',
  },
  'gost2012-512': { A: '1.2.643.7.1.2.1.2.1', B: '1.2.643.7.1.2.1.2.2', C: '1.2.643.7.1.2.1.2.3' },
};

/** A new key. GOST keys take a parameter set (default: TC26-256-A for 256 bits, TC26-512-A). */
export function generateSigningKey(algorithm: KeyAlgorithm, paramSet?: string): SigningKey {
  if (algorithm === 'gost2012-256' || algorithm === 'gost2012-512') {
    const sets = gostParamSets[algorithm];
    const chosen = paramSet ?? (algorithm === 'gost2012-256' ? 'TCA' : 'A');
    const parameterSetOid = sets[chosen];
    if (parameterSetOid === undefined)
      throw new RangeError(
        `unknown parameter set ${chosen} for ${algorithm}: one of ${Object.keys(sets).join(', ')}`,
      );
    return gostKey(parameterSetOid, gostGenerateKey(parameterSetOid).privateKey);
  }
  if (paramSet !== undefined) throw new RangeError(`${algorithm} keys take no parameter set`);
  const { privateKey } =
    algorithm === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: algorithm === 'ecdsa-p256' ? 'P-256' : 'P-384' });
  return nodeKey(privateKey);
}

/** A key from a PKCS#8 file, PEM or DER, as OpenSSL (with its GOST engine) writes it. */
export function readSigningKey(bytes: Uint8Array): SigningKey {
  const der = pkcs8Der(bytes);
  const algorithmOid = pkcs8AlgorithmOid(der);
  if (algorithmOid === Oid.gost2012Key256 || algorithmOid === Oid.gost2012Key512) {
    const info = readGostPrivateKeyInfo(der);
    return gostKey(info.parameterSetOid, info.privateKey);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw new UnreadableInputError(`закрытый ключ не читается как PKCS#8: ${(error as Error).message}`);
  }
  return nodeKey(key);
}

function gostKey(parameterSetOid: string, privateKey: bigint): SigningKey {
  const set = gostParameterSet(parameterSetOid);
  if (set === undefined)
    throw new UnreadableInputError(`неизвестный набор параметров ГОСТ ${parameterSetOid}`);
  const bits = set.curve.bits;
  const algorithm: KeyAlgorithm = bits === 256 ? 'gost2012-256' : 'gost2012-512';
  const digest = bits === 256 ? streebog256 : streebog512;
  return {
    algorithm,
    publicKeyInfo: encodeGostPublicKeyInfo(parameterSetOid, gostPublicKey(set.curve, privateKey)),
    privateKeyInfo: encodeGostPrivateKeyInfo(parameterSetOid, privateKey),
    digestOid: bits === 256 ? '1.2.643.7.1.1.2.2' : '1.2.643.7.1.1.2.3',
    digest,
    signatureAlgorithm: () =>
      sequence(oid(bits === 256 ? Oid.gost2012Signature256 : Oid.gost2012Signature512)),
    cmsSignatureAlgorithm: () => sequence(oid(bits === 256 ? Oid.gost2012Key256 : Oid.gost2012Key512)),
    sign: (data) => gostSign({ curve: set.curve, privateKey, digest: digest(data) }),
  };
}

const nodeDigests = {
  rsa: { hash: 'sha256', oid: '2.16.840.1.101.3.4.2.1', signature: '1.2.840.113549.1.1.11' },
  'ecdsa-p256': { hash: 'sha256', oid: '2.16.840.1.101.3.4.2.1', signature: '1.2.840.10045.4.3.2' },
  'ecdsa-p384': { hash: 'sha384', oid: '2.16.840.1.101.3.4.2.2', signature: '1.2.840.10045.4.3.3' },
} as const;

function nodeKey(privateKey: KeyObject): SigningKey {
  const algorithm = nodeAlgorithmOf(privateKey);
  const { hash, oid: digestOid, signature } = nodeDigests[algorithm];
  // RSA signature algorithms carry NULL parameters; ECDSA ones carry none (RFC 5754).
  const algorithmIdentifier = () =>
    algorithm === 'rsa' ? sequence(oid(signature), nullValue()) : sequence(oid(signature));
  return {
    algorithm,
    publicKeyInfo: new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })),
    privateKeyInfo: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
    digestOid,
    digest: (data) => new Uint8Array(createHash(hash).update(data).digest()),
    signatureAlgorithm: algorithmIdentifier,
    cmsSignatureAlgorithm: algorithmIdentifier,
    sign: (data) => new Uint8Array(sign(hash, data, privateKey)),
  };
}

function nodeAlgorithmOf(key: KeyObject): 'rsa' | 'ecdsa-p256' | 'ecdsa-p384' {
  if (key.asymmetricKeyType === 'rsa') return 'rsa';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType === 'ec' && curve === 'prime256v1') return 'ecdsa-p256';
  if (key.asymmetricKeyType === 'ec' && curve === 'secp384r1') return 'ecdsa-p384';
  throw new UnreadableInputError(
    `ключ ${key.asymmetricKeyType ?? 'неизвестного типа'}${curve ? ` (${curve})` : ''} не поддерживается: нужен ГОСТ Р 34.10-2012, RSA, ECDSA P-256 или P-384`,
  );
}

/** DER as is, or the body of a PEM PRIVATE KEY block. */
function pkcs8Der(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  const begin = text.indexOf('-----BEGIN PRIVATE KEY-----');
  if (begin === -1) {
    if (text.includes('-----BEGIN'))
      throw new UnreadableInputError('закрытый ключ должен быть в PKCS#8 (BEGIN PRIVATE KEY)');
    return bytes;
  }
  const end = text.indexOf('-----END PRIVATE KEY-----', begin);
  if (end === -1) throw new UnreadableInputError('в PEM нет строки END PRIVATE KEY');
  return new Uint8Array(Buffer.from(text.slice(begin + 27, end), 'base64'));
}

/** The algorithm OID a PKCS#8 PrivateKeyInfo names: SEQUENCE { version, SEQUENCE { OID, ... }, key }. */
function pkcs8AlgorithmOid(der: Uint8Array): string {
  const what = 'закрытый ключ PKCS#8';
  const [, algorithm] = sequenceOf(parseAsn1(bytesToBinary(der), what), what);
  const [algorithmOid] = sequenceOf(algorithm, `${what}: алгоритм`);
  return readOid(algorithmOid, `${what}: алгоритм`);
}
