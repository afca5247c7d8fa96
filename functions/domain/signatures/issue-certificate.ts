/**
 * Issuing X.509 v3 certificates: a test CA's own, and signer certificates with the owner's name as
 * Russian qualified certificates carry it (SN, G, T, O, INN, SNILS...), a chosen serial, validity
 * window and private-key usage period. Enough for a demo and for an office trying docroute without
 * OpenSSL; a test CA made here is never trusted unless the office lists it.
 */
import { createHash } from 'node:crypto';
import { Oid } from './algorithms.ts';
import { bytesToBinary, parseAsn1, sequenceOf } from './asn1.ts';
import {
  type Asn1Node,
  bitString,
  boolean,
  encoded,
  explicit,
  generalizedTime,
  ia5String,
  implicit,
  integer,
  namedBits,
  numericString,
  octetString,
  oid,
  printableString,
  sequence,
  setOf,
  toDer,
  utf8String,
  x509Time,
} from './asn1-writer.ts';
import { bitStringBytes } from './certificate.ts';
import { type NameField, nameFieldOids, nameFieldStringType } from './name-fields.ts';
import type { SigningKey } from './signing-key.ts';

/** A name as written, attribute by attribute, in order: [['CN', 'Куликов В.И.'], ['SN', 'Куликов'], ...]. */
export type NameSpec = readonly (readonly [NameField, string])[];

export interface CertificateOrder {
  readonly subject: NameSpec;
  /** The subject's SubjectPublicKeyInfo, DER. */
  readonly publicKeyInfo: Uint8Array;
  /** Hex, as printed in the signature mark (0118EC5A8BAE6CF293EB11EE5A2E22B808). */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The private key's own period (2.5.29.16), often shorter than the certificate's. */
  readonly privateKeyUsagePeriod?: { readonly notBefore?: Date; readonly notAfter?: Date };
  /** A certification authority's certificate (with basicConstraints cA and keyCertSign, cRLSign). */
  readonly ca?: { readonly pathLength?: number };
  /** Where the issuer publishes its CRL. */
  readonly crlDistributionPoint?: string;
}

/** Who signs a certificate: its name (DER), key and key identifier. */
export interface CertificateIssuer {
  readonly name: Uint8Array;
  readonly key: SigningKey;
  readonly keyIdentifier: Uint8Array;
}

const ExtensionOids = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  authorityKeyIdentifier: '2.5.29.35',
  crlDistributionPoints: '2.5.29.31',
} as const;

const KeyUsageBit = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

/** The certificate, DER. */
export function issueCertificate(order: CertificateOrder, issuer: CertificateIssuer): Uint8Array {
  const serial = BigInt(`0x${order.serial.replace(/^0x/i, '')}`);
  const extensions: Asn1Node[] = [
    extension(ExtensionOids.keyUsage, true, namedBits(keyUsageOf(order))),
    extension(Oid.subjectKeyIdentifier, false, octetString(keyIdentifierOf(order.publicKeyInfo))),
    extension(
      ExtensionOids.authorityKeyIdentifier,
      false,
      sequence(implicit(0, octetString(issuer.keyIdentifier))),
    ),
  ];
  if (order.ca !== undefined) {
    const pathLength = order.ca.pathLength === undefined ? [] : [integer(order.ca.pathLength)];
    extensions.unshift(
      extension(ExtensionOids.basicConstraints, true, sequence(boolean(true), ...pathLength)),
    );
  }
  if (order.privateKeyUsagePeriod !== undefined) {
    const { notBefore, notAfter } = order.privateKeyUsagePeriod;
    const bounds = [
      ...(notBefore === undefined ? [] : [implicit(0, generalizedTime(notBefore))]),
      ...(notAfter === undefined ? [] : [implicit(1, generalizedTime(notAfter))]),
    ];
    extensions.push(extension(Oid.privateKeyUsagePeriod, false, sequence(...bounds)));
  }
  if (order.crlDistributionPoint !== undefined) {
    const uri = implicit(6, ia5String(order.crlDistributionPoint));
    extensions.push(
      extension(
        ExtensionOids.crlDistributionPoints,
        false,
        sequence(sequence(explicit(0, implicit(0, sequence(uri))))),
      ),
    );
  }
  const tbs = toDer(
    sequence(
      explicit(0, integer(2)),
      integer(serial),
      issuer.key.signatureAlgorithm(),
      encoded(issuer.name),
      sequence(x509Time(order.notBefore), x509Time(order.notAfter)),
      encodeName(order.subject),
      encoded(order.publicKeyInfo),
      explicit(3, sequence(...extensions)),
    ),
  );
  return toDer(sequence(encoded(tbs), issuer.key.signatureAlgorithm(), bitString(issuer.key.sign(tbs))));
}

/** The issuer of a self-signed certificate: the subject itself, with its own key. */
export function selfIssuer(subject: NameSpec, key: SigningKey): CertificateIssuer {
  return { name: toDer(encodeName(subject)), key, keyIdentifier: keyIdentifierOf(key.publicKeyInfo) };
}

/** The issuer that a CA certificate (DER) and its key make. */
export function issuerOf(caCertificate: Uint8Array, key: SigningKey): CertificateIssuer {
  const what = 'сертификат УЦ';
  const [tbs] = sequenceOf(parseAsn1(bytesToBinary(caCertificate), what), what);
  const fields = sequenceOf(tbs, what);
  // version [0] is present in every v3 certificate: serial, signature, issuer, validity, subject, spki.
  const subject = fields[5];
  const spki = fields[6];
  if (subject === undefined || spki === undefined) throw new RangeError(`${what}: not a v3 certificate`);
  return { name: toDer(subject), key, keyIdentifier: keyIdentifierOf(toDer(spki)) };
}

export function encodeName(name: NameSpec): Asn1Node {
  return sequence(
    ...name.map(([field, value]) =>
      setOf(sequence(oid(nameFieldOids[field]), directoryString(field, value))),
    ),
  );
}

function directoryString(field: NameField, value: string): Asn1Node {
  switch (nameFieldStringType[field]) {
    case 'numeric':
      return numericString(value);
    case 'printable':
      return printableString(value);
    case 'ia5':
      return ia5String(value);
    case 'utf8':
      return utf8String(value);
  }
}

/** Whether a key is the one a certificate (DER) was issued for: the same public key bits. */
export function keyMatchesCertificate(key: SigningKey, certificate: Uint8Array): boolean {
  const what = 'сертификат';
  const [tbs] = sequenceOf(parseAsn1(bytesToBinary(certificate), what), what);
  const spki = sequenceOf(tbs, what)[6];
  if (spki === undefined) return false;
  return Buffer.from(keyIdentifierOf(toDer(spki))).equals(Buffer.from(keyIdentifierOf(key.publicKeyInfo)));
}

/** RFC 5280's method 1: SHA-1 of the subjectPublicKey BIT STRING's bytes. */
export function keyIdentifierOf(publicKeyInfo: Uint8Array): Uint8Array {
  const what = 'открытый ключ';
  const [, key] = sequenceOf(parseAsn1(bytesToBinary(publicKeyInfo), what), what);
  if (key === undefined) throw new RangeError(`${what}: no subjectPublicKey`);
  return new Uint8Array(createHash('sha1').update(bitStringBytes(key, what)).digest());
}

function keyUsageOf(order: CertificateOrder): number[] {
  return order.ca !== undefined
    ? [KeyUsageBit.digitalSignature, KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign]
    : [KeyUsageBit.digitalSignature, KeyUsageBit.nonRepudiation];
}

function extension(extensionOid: string, critical: boolean, value: Asn1Node): Asn1Node {
  return sequence(oid(extensionOid), ...(critical ? [boolean(true)] : []), octetString(toDer(value)));
}
