/**
 * X.509 certificate reader on forge's ASN.1 layer. forge.pki refuses GOST and ECDSA keys, so the
 * TBSCertificate is walked by hand; only what the office needs is read, strictly.
 */
import { createHash } from 'node:crypto';
import { UnreadableInputError } from '../errors.ts';
import { type AlgorithmName, Oid, publicKeyAlgorithmName, signatureAlgorithmName } from './algorithms.ts';
import {
  type Asn1Node,
  binaryToBytes,
  binaryToHex,
  bytesToBinary,
  childrenOf,
  encodeDer,
  isContext,
  isUniversal,
  octetStringContent,
  parseAsn1,
  primitiveContent,
  readIntegerHex,
  readOid,
  readSmallInteger,
  readTime,
  sequenceOf,
  setOf,
  Tag,
  utf8FromBinary,
} from './asn1.ts';
import { decodeInput } from './input.ts';
import { nameFieldOids } from './name-fields.ts';

export interface NameAttribute {
  readonly oid: string;
  readonly value: string;
}

/** A subject or issuer: the attributes Russian certificates carry, by their usual short names. */
export interface DistinguishedName {
  readonly CN?: string;
  readonly SN?: string;
  readonly G?: string;
  readonly T?: string;
  readonly O?: string;
  readonly OU?: string;
  readonly L?: string;
  readonly ST?: string;
  readonly street?: string;
  readonly INN?: string;
  readonly INNLE?: string;
  readonly OGRN?: string;
  readonly SNILS?: string;
  readonly E?: string;
  readonly C?: string;
  /** Every attribute in order of appearance, including those without a short name. */
  readonly attributes: readonly NameAttribute[];
}

export type NameField = Exclude<keyof DistinguishedName, 'attributes'>;

export interface PrivateKeyUsagePeriod {
  readonly notBefore: Date | null;
  readonly notAfter: Date | null;
}

export interface BasicConstraints {
  readonly cA: boolean;
  readonly pathLenConstraint: number | null;
}

/** RFC 5280 keyUsage bits, in bit order. */
export const keyUsageNames = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export type KeyUsage = (typeof keyUsageNames)[number];

export interface Certificate {
  /** Uppercase hex of the serial without one leading 00 byte (the form the stamp prints). */
  readonly serial: string;
  /** Uppercase hex of the INTEGER's content bytes exactly as stored. */
  readonly serialRawHex: string;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly privateKeyUsagePeriod: PrivateKeyUsagePeriod | null;
  readonly publicKeyAlgorithm: AlgorithmName;
  readonly signatureAlgorithm: AlgorithmName;
  /** Uppercase hex of the SubjectKeyIdentifier extension, when present. */
  readonly subjectKeyIdentifier: string | null;
  /** SHA-1 of the DER, uppercase hex, as Windows shows a thumbprint. */
  readonly thumbprint: string;
  /** SubjectPublicKeyInfo DER, for importing the key into node:crypto. */
  readonly spki: Uint8Array;
  readonly der: Uint8Array;
  /** The exact TBSCertificate bytes the issuer signed. */
  readonly tbs: Uint8Array;
  /** The issuer's signature value (the BIT STRING's bytes). */
  readonly signatureValue: Uint8Array;
  /** Uppercase hex of the AuthorityKeyIdentifier's keyIdentifier, when present. */
  readonly authorityKeyIdentifier: string | null;
  /** Null when the extension is absent (test CAs often lack it). */
  readonly basicConstraints: BasicConstraints | null;
  /** The keyUsage bits by name; null when the extension is absent (any use allowed). */
  readonly keyUsage: readonly KeyUsage[] | null;
  /** URIs of the CRL distribution points, in order. */
  readonly crlDistributionPoints: readonly string[];
  /** Surname and given names when the certificate has a surname, else the common name. */
  readonly owner: string;
}

/** Extensions read for chain building (algorithms.ts holds the rest). */
export const ExtensionOid = {
  authorityKeyIdentifier: '2.5.29.35',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  crlDistributionPoints: '2.5.29.31',
} as const;

/** Name attribute OID -> its short name (the table lives in name-fields.ts, which issuing uses too). */
const nameFields: Record<string, NameField> = Object.fromEntries(
  Object.entries(nameFieldOids).map(([field, oid]) => [oid, field as NameField]),
);

/** Reads a certificate in any accepted form (DER, PEM, PEM with CRLF, bare base64). */
export function readCertificate(bytes: Uint8Array): Certificate {
  const { der } = decodeInput(bytes, 'certificate');
  return certificateFromAsn1(parseAsn1(bytesToBinary(der), 'сертификат'), der);
}

/**
 * Reads a parsed certificate. `der` is the certificate's own bytes when the caller has them (a
 * file); inside a CMS the element is re-encoded, which for a DER certificate gives the same bytes.
 */
export function certificateFromAsn1(node: Asn1Node, der?: Uint8Array): Certificate {
  const what = 'сертификат';
  const parts = sequenceOf(node, what);
  const [tbs, outerAlgorithm, signatureValue] = parts;
  if (parts.length !== 3 || signatureValue === undefined || !isUniversal(signatureValue, Tag.bitString)) {
    throw new UnreadableInputError(
      `${what}: ожидалась структура Certificate {tbsCertificate, алгоритм, подпись}`,
    );
  }
  const fields = sequenceOf(tbs, `${what}: tbsCertificate`);
  let index = 0;
  const first = fields[0];
  if (first !== undefined && isContext(first, 0)) index++; // [0] version, absent for v1
  const serialRawHex = readIntegerHex(fields[index++], `${what}: серийный номер`);
  const innerAlgorithm = readAlgorithmOid(fields[index++], `${what}: алгоритм подписи`);
  const issuer = readName(fields[index++], `${what}: издатель`);
  const validity = sequenceOf(fields[index++], `${what}: срок действия`);
  if (validity.length !== 2) {
    throw new UnreadableInputError(`${what}: срок действия должен содержать две даты`);
  }
  const notBefore = readTime(validity[0], `${what}: начало срока действия`);
  const notAfter = readTime(validity[1], `${what}: конец срока действия`);
  const subject = readName(fields[index++], `${what}: владелец`);
  const spkiNode = fields[index++];
  const publicKeyAlgorithm = readPublicKeyAlgorithm(spkiNode, `${what}: открытый ключ`);

  let privateKeyUsagePeriod: PrivateKeyUsagePeriod | null = null;
  let subjectKeyIdentifier: string | null = null;
  let authorityKeyIdentifier: string | null = null;
  let basicConstraints: BasicConstraints | null = null;
  let keyUsage: KeyUsage[] | null = null;
  let crlDistributionPoints: string[] = [];
  for (const field of fields.slice(index)) {
    if (isContext(field, 1) || isContext(field, 2)) continue; // issuer/subject unique IDs
    if (!isContext(field, 3)) throw new UnreadableInputError(`${what}: неожиданный элемент в tbsCertificate`);
    for (const extension of sequenceOf(childrenOf(field, `${what}: расширения`)[0], `${what}: расширения`)) {
      const parts = sequenceOf(extension, `${what}: расширение`);
      const extensionOid = readOid(parts[0], `${what}: расширение`);
      const valueNode = parts[parts.length - 1];
      if (parts.length < 2 || valueNode === undefined || !isUniversal(valueNode, Tag.octetString)) {
        throw new UnreadableInputError(`${what}: расширение ${extensionOid} без значения`);
      }
      if (extensionOid === Oid.privateKeyUsagePeriod) {
        privateKeyUsagePeriod = readPrivateKeyUsagePeriod(primitiveContent(valueNode, what));
      } else if (extensionOid === Oid.subjectKeyIdentifier) {
        const inner = parseAsn1(primitiveContent(valueNode, what), `${what}: идентификатор ключа`);
        if (!isUniversal(inner, Tag.octetString)) {
          throw new UnreadableInputError(`${what}: идентификатор ключа не OCTET STRING`);
        }
        subjectKeyIdentifier = binaryToHex(octetStringContent(inner, what));
      } else if (extensionOid === ExtensionOid.authorityKeyIdentifier) {
        authorityKeyIdentifier = readAuthorityKeyIdentifier(primitiveContent(valueNode, what), what);
      } else if (extensionOid === ExtensionOid.basicConstraints) {
        basicConstraints = readBasicConstraints(primitiveContent(valueNode, what));
      } else if (extensionOid === ExtensionOid.keyUsage) {
        keyUsage = readKeyUsage(primitiveContent(valueNode, what));
      } else if (extensionOid === ExtensionOid.crlDistributionPoints) {
        crlDistributionPoints = readCrlDistributionPoints(primitiveContent(valueNode, what));
      }
    }
  }
  readAlgorithmOid(outerAlgorithm, `${what}: алгоритм подписи`);

  const derBytes = der ?? binaryToBytes(encodeDer(node));
  return {
    serial: serialRawHex.startsWith('00') && serialRawHex.length > 2 ? serialRawHex.slice(2) : serialRawHex,
    serialRawHex,
    subject,
    issuer,
    notBefore,
    notAfter,
    privateKeyUsagePeriod,
    publicKeyAlgorithm,
    signatureAlgorithm: signatureAlgorithmName(innerAlgorithm),
    subjectKeyIdentifier,
    thumbprint: createHash('sha1').update(derBytes).digest('hex').toUpperCase(),
    // spkiNode was read above, so it exists.
    spki: binaryToBytes(encodeDer(spkiNode as Asn1Node)),
    der: derBytes,
    tbs: firstElementOf(derBytes) ?? binaryToBytes(encodeDer(tbs as Asn1Node)),
    signatureValue: bitStringBytes(signatureValue, `${what}: подпись издателя`),
    authorityKeyIdentifier,
    basicConstraints,
    keyUsage,
    crlDistributionPoints,
    owner: ownerOf(subject),
  };
}

/**
 * The first element inside the outer SEQUENCE, as stored: the signed part of a certificate or CRL.
 * Re-encoding would change BER bytes the issuer signed; null for an indefinite length (BER), where
 * the caller falls back to re-encoding.
 */
export function firstElementOf(der: Uint8Array): Uint8Array | null {
  const outer = headerAt(der, 0);
  if (outer === null) return null;
  const inner = headerAt(der, outer.headerLength);
  if (inner === null) return null;
  return der.subarray(outer.headerLength, outer.headerLength + inner.headerLength + inner.length);
}

function headerAt(der: Uint8Array, at: number): { headerLength: number; length: number } | null {
  const first = der[at + 1];
  if (first === undefined || first === 0x80) return null;
  if (first < 0x80) return { headerLength: 2, length: first };
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[at + 2 + i] ?? 0);
  return { headerLength: 2 + count, length };
}

/** A BIT STRING's bytes without the unused-bits count (signatures are whole bytes). */
export function bitStringBytes(node: Asn1Node, what: string): Uint8Array {
  const content = primitiveContent(node, what);
  if (content.length === 0) throw new UnreadableInputError(`${what}: пустая битовая строка`);
  return binaryToBytes(content.slice(1));
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, ... } */
export function readAuthorityKeyIdentifier(extensionValue: string, what: string): string | null {
  const where = `${what}: идентификатор ключа издателя`;
  const keyIdentifier = sequenceOf(parseAsn1(extensionValue, where), where).find((item) =>
    isContext(item, 0),
  );
  return keyIdentifier === undefined ? null : binaryToHex(primitiveContent(keyIdentifier, where));
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL } */
function readBasicConstraints(extensionValue: string): BasicConstraints {
  const where = 'сертификат: основные ограничения (basicConstraints)';
  let cA = false;
  let pathLenConstraint: number | null = null;
  for (const item of sequenceOf(parseAsn1(extensionValue, where), where)) {
    if (isUniversal(item, Tag.boolean)) cA = primitiveContent(item, where) !== '\x00';
    else pathLenConstraint = readSmallInteger(item, `${where}: pathLenConstraint`);
  }
  return { cA, pathLenConstraint };
}

/** KeyUsage ::= BIT STRING, bit 0 first (the most significant bit of the first byte). */
function readKeyUsage(extensionValue: string): KeyUsage[] {
  const where = 'сертификат: назначение ключа (keyUsage)';
  const node = parseAsn1(extensionValue, where);
  if (!isUniversal(node, Tag.bitString)) throw new UnreadableInputError(`${where}: ожидалась BIT STRING`);
  const bytes = primitiveContent(node, where).slice(1);
  return keyUsageNames.filter((_, bit) => ((bytes.charCodeAt(bit >> 3) || 0) & (0x80 >> (bit & 7))) !== 0);
}

/**
 * The URIs of CRLDistributionPoints (fullName GeneralName [6]). Read leniently: a distribution
 * point written oddly must not make an otherwise good certificate unreadable; it only goes unused.
 */
function readCrlDistributionPoints(extensionValue: string): string[] {
  const uris: string[] = [];
  const collect = (node: Asn1Node, depth: number): void => {
    if (depth > 6) return;
    if (isContext(node, 6) && typeof node.value === 'string') uris.push(node.value);
    else if (Array.isArray(node.value)) for (const child of node.value) collect(child, depth + 1);
  };
  try {
    collect(parseAsn1(extensionValue, 'CRLDistributionPoints'), 0);
  } catch {
    return [];
  }
  return uris;
}

export function ownerOf(subject: DistinguishedName): string {
  if (subject.SN !== undefined) return subject.G === undefined ? subject.SN : `${subject.SN} ${subject.G}`;
  return subject.CN ?? '';
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
export function readAlgorithmOid(node: Asn1Node | undefined, what: string): string {
  return readOid(sequenceOf(node, what)[0], what);
}

function readPublicKeyAlgorithm(node: Asn1Node | undefined, what: string): AlgorithmName {
  const [algorithm, key] = sequenceOf(node, what);
  if (key === undefined || !isUniversal(key, Tag.bitString)) {
    throw new UnreadableInputError(`${what}: нет битовой строки ключа`);
  }
  const [oidNode, parameters] = sequenceOf(algorithm, what);
  const oid = readOid(oidNode, what);
  const curve = oid === Oid.ecPublicKey && parameters !== undefined && isUniversal(parameters, Tag.oid);
  return publicKeyAlgorithmName(oid, curve ? readOid(parameters, what) : undefined);
}

/** Name ::= SEQUENCE OF SET OF AttributeTypeAndValue */
export function readName(node: Asn1Node | undefined, what: string): DistinguishedName {
  const attributes: NameAttribute[] = [];
  const named: { -readonly [K in NameField]?: string } & { attributes: NameAttribute[] } = { attributes };
  for (const rdn of sequenceOf(node, what)) {
    for (const pair of setOf(rdn, what)) {
      const [typeNode, valueNode] = sequenceOf(pair, what);
      const oid = readOid(typeNode, what);
      if (valueNode === undefined) throw new UnreadableInputError(`${what}: атрибут ${oid} без значения`);
      const value = readDirectoryString(valueNode);
      attributes.push({ oid, value });
      const field = nameFields[oid];
      // The first occurrence wins; repeats (a second OU) stay in `attributes`.
      if (field !== undefined && named[field] === undefined) named[field] = value;
    }
  }
  return named;
}

/** Decodes the string types certificates use; anything else is shown as hex. */
export function readDirectoryString(node: Asn1Node): string {
  if (node.constructed || typeof node.value !== 'string' || node.tagClass !== 0) {
    return `#${binaryToHex(encodeDer(node))}`;
  }
  const content = node.value;
  switch (node.type as number) {
    case Tag.utf8String:
      return utf8FromBinary(content);
    case Tag.bmpString:
      return content; // forge already read it as UCS-2 big-endian
    case Tag.universalString:
      return decodeUcs4(content);
    case Tag.printableString:
    case Tag.numericString:
    case Tag.ia5String:
    case Tag.visibleString:
    case Tag.teletexString: // T.61 in theory; latin1 in every certificate met in practice
      return content;
    default:
      return `#${binaryToHex(encodeDer(node))}`;
  }
}

function decodeUcs4(content: string): string {
  let text = '';
  for (let i = 0; i + 3 < content.length; i += 4) {
    const codePoint =
      ((content.charCodeAt(i) << 24) >>> 0) +
      (content.charCodeAt(i + 1) << 16) +
      (content.charCodeAt(i + 2) << 8) +
      content.charCodeAt(i + 3);
    text += codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '\uFFFD';
  }
  return text;
}

/** PrivateKeyUsagePeriod ::= SEQUENCE { notBefore [0] IMPLICIT GeneralizedTime OPTIONAL, notAfter [1] ... } */
function readPrivateKeyUsagePeriod(extensionValue: string): PrivateKeyUsagePeriod {
  const what = 'сертификат: срок действия ключа (PrivateKeyUsagePeriod)';
  let notBefore: Date | null = null;
  let notAfter: Date | null = null;
  for (const item of sequenceOf(parseAsn1(extensionValue, what), what)) {
    if (!isContext(item, 0) && !isContext(item, 1)) {
      throw new UnreadableInputError(`${what}: неожиданный элемент`);
    }
    // The implicit tag hides the GeneralizedTime type; read the content as one.
    const time = readTime({ ...item, tagClass: 0, type: Tag.generalizedTime }, what);
    if (item.type === 0) notBefore = time;
    else notAfter = time;
  }
  return { notBefore, notAfter };
}
