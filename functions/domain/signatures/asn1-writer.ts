/**
 * Writing DER, on the same node-forge ASN.1 layer the readers use: what docroute issues (keys,
 * certificates, CRLs, CMS signatures) is built from these few constructors.
 */
import forge from 'node-forge';
import { type Asn1Node, binaryToBytes, bytesToBinary, encodeDer, parseAsn1, Tag } from './asn1.ts';

const { Class } = forge.asn1;
const create = forge.asn1.create;

export type { Asn1Node };

export const sequence = (...items: Asn1Node[]): Asn1Node =>
  create(Class.UNIVERSAL, Tag.sequence, true, items);

/** A SET OF in DER order: its elements sorted by their encodings. */
export function setOf(...items: Asn1Node[]): Asn1Node {
  const sorted = items
    .map((item) => ({ item, der: encodeDer(item) }))
    .sort((a, b) => (a.der < b.der ? -1 : a.der > b.der ? 1 : 0))
    .map(({ item }) => item);
  return create(Class.UNIVERSAL, Tag.set, true, sorted);
}

export const oid = (dotted: string): Asn1Node =>
  create(Class.UNIVERSAL, Tag.oid, false, forge.asn1.oidToDer(dotted).getBytes());

export const nullValue = (): Asn1Node => create(Class.UNIVERSAL, Tag.null, false, '');

export const boolean = (value: boolean): Asn1Node =>
  create(Class.UNIVERSAL, Tag.boolean, false, value ? '\u00ff' : '\u0000');

/** An INTEGER from a non-negative big integer, in the fewest bytes DER allows. */
export function integer(value: bigint | number): Asn1Node {
  let hex = BigInt(value).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return create(Class.UNIVERSAL, Tag.integer, false, Buffer.from(hex, 'hex').toString('latin1'));
}

export const octetString = (bytes: Uint8Array): Asn1Node =>
  create(Class.UNIVERSAL, Tag.octetString, false, bytesToBinary(bytes));

/** A BIT STRING of whole bytes. */
export const bitString = (bytes: Uint8Array): Asn1Node =>
  create(Class.UNIVERSAL, Tag.bitString, false, `\u0000${bytesToBinary(bytes)}`);

/** A BIT STRING of named bits (bit 0 first), as KeyUsage is written: trailing zero bits dropped. */
export function namedBits(bits: readonly number[]): Asn1Node {
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  const unused = 7 - (highest & 7);
  return create(Class.UNIVERSAL, Tag.bitString, false, String.fromCharCode(unused) + bytesToBinary(bytes));
}

const text = (type: number, value: string, encoding: BufferEncoding) =>
  create(Class.UNIVERSAL, type, false, Buffer.from(value, encoding).toString('latin1'));

export const utf8String = (value: string) => text(Tag.utf8String, value, 'utf8');
export const printableString = (value: string) => text(Tag.printableString, value, 'latin1');
export const numericString = (value: string) => text(Tag.numericString, value, 'latin1');
export const ia5String = (value: string) => text(Tag.ia5String, value, 'latin1');

const digits = (n: number, width = 2) => String(n).padStart(width, '0');

function timeDigits(date: Date): string {
  return `${digits(date.getUTCMonth() + 1)}${digits(date.getUTCDate())}${digits(date.getUTCHours())}${digits(date.getUTCMinutes())}${digits(date.getUTCSeconds())}Z`;
}

export const utcTime = (date: Date) =>
  text(Tag.utcTime, `${digits(date.getUTCFullYear() % 100)}${timeDigits(date)}`, 'latin1');

export const generalizedTime = (date: Date) =>
  text(Tag.generalizedTime, `${digits(date.getUTCFullYear(), 4)}${timeDigits(date)}`, 'latin1');

/** RFC 5280 times: UTCTime through 2049, GeneralizedTime from 2050. */
export const x509Time = (date: Date) =>
  date.getUTCFullYear() < 2050 && date.getUTCFullYear() >= 1950 ? utcTime(date) : generalizedTime(date);

/** [n] EXPLICIT: the element wrapped in a context tag. */
export const explicit = (tagNumber: number, item: Asn1Node): Asn1Node =>
  create(Class.CONTEXT_SPECIFIC, tagNumber, true, [item]);

/** [n] IMPLICIT: the element's own tag replaced by the context tag. */
export function implicit(tagNumber: number, item: Asn1Node): Asn1Node {
  return create(Class.CONTEXT_SPECIFIC, tagNumber, item.constructed, item.value as never);
}

/** An element already encoded elsewhere (a certificate, a Name), embedded as it is. */
export const encoded = (der: Uint8Array): Asn1Node => parseAsn1(bytesToBinary(der), 'вложенный элемент');

export const toDer = (item: Asn1Node): Uint8Array => binaryToBytes(encodeDer(item));

/** PEM armour, 64 base64 characters a line, as OpenSSL writes it. */
export function toPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
