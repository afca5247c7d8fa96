/**
 * A detached CMS SignedData, CAdES-BES, over a document's bytes: what a qualified signature file
 * (.sig) is. Signed attributes: contentType, signingTime, messageDigest and signingCertificateV2
 * (CAdES-BES binds the signer's certificate by its hash). The signature covers the attributes as a
 * DER SET, and they are stored as [0] IMPLICIT.
 */
import { createHash } from 'node:crypto';
import { Oid } from './algorithms.ts';
import { bytesToBinary, parseAsn1, sequenceOf } from './asn1.ts';
import {
  type Asn1Node,
  encoded,
  explicit,
  implicit,
  integer,
  octetString,
  oid,
  sequence,
  setOf,
  toDer,
  utcTime,
} from './asn1-writer.ts';
import type { SigningKey } from './signing-key.ts';
import { streebog256 } from './streebog.ts';

export interface DetachedSignatureOrder {
  readonly content: Uint8Array;
  readonly key: SigningKey;
  /** The signer's certificate, DER; it goes into the signature and is named by issuer and serial. */
  readonly certificate: Uint8Array;
  /** The signer's claim of when it signed (signingTime). */
  readonly signingTime: Date;
}

const signingCertificateV2 = '1.2.840.113549.1.9.16.2.47';
const streebog256Oid = '1.2.643.7.1.1.2.2';

/** The .sig file, DER. */
export function signDetached(order: DetachedSignatureOrder): Uint8Array {
  const { key, certificate } = order;
  const { issuer, serial } = issuerAndSerialOf(certificate);
  const digestAlgorithm = sequence(oid(key.digestOid));
  const attributes = [
    attribute(Oid.contentTypeAttribute, oid(Oid.data)),
    attribute(Oid.signingTimeAttribute, utcTime(order.signingTime)),
    attribute(Oid.messageDigestAttribute, octetString(key.digest(order.content))),
    attribute(signingCertificateV2, essCertificateOf(certificate, key, issuer, serial)),
  ];
  const signedAttributes = setOf(...attributes);
  const signerInfo = sequence(
    integer(1),
    sequence(issuer, serial),
    digestAlgorithm,
    implicit(0, signedAttributes),
    key.cmsSignatureAlgorithm(),
    octetString(key.sign(toDer(signedAttributes))),
  );
  const signedData = sequence(
    integer(1),
    setOf(sequence(oid(key.digestOid))),
    sequence(oid(Oid.data)),
    implicit(0, setOf(encoded(certificate))),
    setOf(signerInfo),
  );
  return toDer(sequence(oid(Oid.signedData), explicit(0, signedData)));
}

function attribute(type: string, value: Asn1Node): Asn1Node {
  return sequence(oid(type), setOf(value));
}

function issuerAndSerialOf(certificate: Uint8Array): { issuer: Asn1Node; serial: Asn1Node } {
  const what = 'сертификат подписанта';
  const [tbs] = sequenceOf(parseAsn1(bytesToBinary(certificate), what), what);
  const [, serial, , issuer] = sequenceOf(tbs, what);
  if (serial === undefined || issuer === undefined) throw new RangeError(`${what}: not a v3 certificate`);
  return { issuer, serial };
}

/**
 * SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 { hashAlgorithm DEFAULT sha256, certHash,
 * issuerSerial { GeneralNames { [4] issuer }, serial } } }: the certificate's hash by SHA-256, or by
 * Streebog-256 for a GOST key, as CryptoPro writes it.
 */
function essCertificateOf(
  certificate: Uint8Array,
  key: SigningKey,
  issuer: Asn1Node,
  serial: Asn1Node,
): Asn1Node {
  const gost = key.algorithm.startsWith('gost');
  const certHash = gost
    ? streebog256(certificate)
    : new Uint8Array(createHash('sha256').update(certificate).digest());
  const hashAlgorithm = gost ? [sequence(oid(streebog256Oid))] : [];
  const issuerSerial = sequence(sequence(explicit(4, issuer)), serial);
  return sequence(sequence(sequence(...hashAlgorithm, octetString(certHash), issuerSerial)));
}
