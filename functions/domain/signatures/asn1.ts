/**
 * A thin, strict layer over node-forge's ASN.1 reader. forge works on binary strings (one char per
 * byte), so bytes are converted once on the way in, and every structural surprise becomes an
 * UnreadableInputError with a reason a person can act on.
 */
import forge from 'node-forge';
import { UnreadableInputError } from '../errors.ts';

export type Asn1Node = forge.asn1.Asn1;

export const TagClass = { universal: 0x00, application: 0x40, context: 0x80, private: 0xc0 } as const;

export const Tag = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  utf8String: 12,
  sequence: 16,
  set: 17,
  numericString: 18,
  printableString: 19,
  teletexString: 20,
  ia5String: 22,
  utcTime: 23,
  generalizedTime: 24,
  visibleString: 26,
  universalString: 28,
  bmpString: 30,
} as const;

interface FromDerOptions {
  strict: boolean;
  parseAllBytes: boolean;
  decodeBitStrings: boolean;
}

// The typings only know the old boolean signature; the options object is what 1.3+ accepts.
const fromDer = forge.asn1.fromDer as unknown as (bytes: string, options: FromDerOptions) => Asn1Node;

// decodeBitStrings would try to read every BIT STRING (public keys, signatures) as nested ASN.1:
// slow, and it can misread random key bytes as structure.
const strictOptions: FromDerOptions = { strict: true, parseAllBytes: true, decodeBitStrings: false };

export function bytesToBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function binaryToBytes(binary: string): Uint8Array {
  const buffer = Buffer.from(binary, 'latin1');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * UTF-8 bytes (as a binary string) to text. Certificate strings are short, and decoding them in
 * place avoids two buffer copies per attribute; malformed input falls back to Buffer's decoder.
 */
export function utf8FromBinary(binary: string): string {
  let text = '';
  for (let i = 0; i < binary.length; ) {
    const a = binary.charCodeAt(i);
    if (a < 0x80) {
      text += binary[i];
      i++;
    } else if (a >= 0xc2 && a < 0xe0 && i + 1 < binary.length) {
      const b = binary.charCodeAt(i + 1);
      if ((b & 0xc0) !== 0x80) return Buffer.from(binary, 'latin1').toString('utf8');
      text += String.fromCharCode(((a & 0x1f) << 6) | (b & 0x3f));
      i += 2;
    } else {
      // Three- and four-byte sequences are rare in names; let Buffer handle them and any errors.
      return Buffer.from(binary, 'latin1').toString('utf8');
    }
  }
  return text;
}

export function binaryToHex(binary: string): string {
  return Buffer.from(binary, 'latin1').toString('hex').toUpperCase();
}

/** Parses one complete DER/BER element: truncation and trailing bytes are errors, not leniency. */
export function parseAsn1(binary: string, what: string): Asn1Node {
  if (binary.length === 0) throw new UnreadableInputError(`${what}: пустые данные`);
  try {
    // Options are copied: forge fills in defaults on the object it is given.
    return fromDer(binary, { ...strictOptions });
  } catch (error) {
    throw new UnreadableInputError(`${what}: ${explainForgeError(error)}`, { cause: error });
  }
}

function explainForgeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('Too few bytes')) {
    return 'данные обрываются раньше конца структуры ASN.1 (файл обрезан?)';
  }
  if (message.startsWith('Unparsed DER bytes remain')) {
    const remaining = (error as { remaining?: unknown }).remaining;
    return `после конца структуры ASN.1 остались лишние байты${typeof remaining === 'number' ? ` (${remaining})` : ''}`;
  }
  if (message.startsWith('Non-constructed ASN.1 object of indefinite length')) {
    return 'простой элемент ASN.1 с неопределённой длиной';
  }
  if (message.includes('Max depth')) return 'слишком глубокая вложенность ASN.1';
  if (message.startsWith('Negative length') || message.startsWith('Only 8, 16, 24, or 32 bits')) {
    return 'длина элемента ASN.1 записана неверно';
  }
  return `структура ASN.1 не читается (${message})`;
}

export function isTag(node: Asn1Node, tagClass: number, type: number): boolean {
  return node.tagClass === tagClass && node.type === type;
}

export function isUniversal(node: Asn1Node, type: number): boolean {
  return node.tagClass === TagClass.universal && node.type === type;
}

export function isContext(node: Asn1Node, tagNumber: number): boolean {
  return node.tagClass === TagClass.context && node.type === tagNumber;
}

/** The children of a constructed element, or an error naming what was expected. */
export function childrenOf(node: Asn1Node | undefined, what: string): Asn1Node[] {
  if (node === undefined) throw new UnreadableInputError(`${what}: элемент отсутствует`);
  if (!node.constructed || !Array.isArray(node.value)) {
    throw new UnreadableInputError(`${what}: ожидалась составная структура`);
  }
  return node.value;
}

export function sequenceOf(node: Asn1Node | undefined, what: string): Asn1Node[] {
  if (node === undefined) throw new UnreadableInputError(`${what}: элемент отсутствует`);
  if (!isUniversal(node, Tag.sequence)) throw new UnreadableInputError(`${what}: ожидалась SEQUENCE`);
  return childrenOf(node, what);
}

export function setOf(node: Asn1Node | undefined, what: string): Asn1Node[] {
  if (node === undefined) throw new UnreadableInputError(`${what}: элемент отсутствует`);
  if (!isUniversal(node, Tag.set)) throw new UnreadableInputError(`${what}: ожидался SET`);
  return childrenOf(node, what);
}

/** The content bytes of a primitive element, as a binary string. */
export function primitiveContent(node: Asn1Node | undefined, what: string): string {
  if (node === undefined) throw new UnreadableInputError(`${what}: элемент отсутствует`);
  if (node.constructed || typeof node.value !== 'string') {
    throw new UnreadableInputError(`${what}: ожидался простой элемент`);
  }
  return node.value;
}

/**
 * The content of an OCTET STRING (or an implicitly tagged one). BER allows a constructed form made
 * of chunks, which CryptoPro uses for large content; the chunks are joined in order.
 */
export function octetStringContent(node: Asn1Node | undefined, what: string, depth = 0): string {
  if (node === undefined) throw new UnreadableInputError(`${what}: элемент отсутствует`);
  if (typeof node.value === 'string') return node.value;
  if (depth > 8) throw new UnreadableInputError(`${what}: слишком глубоко вложенная OCTET STRING`);
  const parts: string[] = [];
  for (const chunk of node.value) {
    if (!isUniversal(chunk, Tag.octetString)) {
      throw new UnreadableInputError(`${what}: часть составной OCTET STRING не является OCTET STRING`);
    }
    parts.push(octetStringContent(chunk, what, depth + 1));
  }
  return parts.join('');
}

// The same few dozen OIDs recur in every certificate; decoding each once saves a good share of a read.
const oidCache = new Map<string, string>();
const oidCacheLimit = 4096;

export function readOid(node: Asn1Node | undefined, what: string): string {
  if (node === undefined || !isUniversal(node, Tag.oid)) {
    throw new UnreadableInputError(`${what}: ожидался идентификатор объекта (OID)`);
  }
  const content = primitiveContent(node, what);
  const cached = oidCache.get(content);
  if (cached !== undefined) return cached;
  const oid = decodeOid(content);
  if (oid === null) throw new UnreadableInputError(`${what}: неверно закодированный OID`);
  if (oidCache.size < oidCacheLimit) oidCache.set(content, oid);
  return oid;
}

/** Strict OID decoding (forge's own accepts empty and truncated encodings). */
export function decodeOid(content: string): string | null {
  if (content.length === 0 || content.length > 256) return null;
  const arcs: number[] = [];
  let value = 0;
  let startOfArc = true;
  for (let i = 0; i < content.length; i++) {
    const byte = content.charCodeAt(i);
    if (startOfArc && byte === 0x80) return null; // non-minimal arc
    if (value > 2 ** 45) return null;
    value = value * 128 + (byte & 0x7f);
    startOfArc = (byte & 0x80) === 0;
    if (startOfArc) {
      arcs.push(value);
      value = 0;
    }
  }
  if (!startOfArc) return null; // last arc unterminated
  const first = arcs[0] ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** The content bytes of an INTEGER, as uppercase hex, exactly as stored. */
export function readIntegerHex(node: Asn1Node | undefined, what: string): string {
  if (node === undefined || !isUniversal(node, Tag.integer)) {
    throw new UnreadableInputError(`${what}: ожидалось целое число (INTEGER)`);
  }
  const content = primitiveContent(node, what);
  if (content.length === 0) throw new UnreadableInputError(`${what}: пустое целое число`);
  return binaryToHex(content);
}

/** A small non-negative INTEGER (versions, salt lengths). */
export function readSmallInteger(node: Asn1Node | undefined, what: string): number {
  const hex = readIntegerHex(node, what);
  if (hex.length > 12) throw new UnreadableInputError(`${what}: слишком большое число`);
  const value = Number.parseInt(hex, 16);
  if ((Number.parseInt(hex.slice(0, 2), 16) & 0x80) !== 0) {
    throw new UnreadableInputError(`${what}: отрицательное число`);
  }
  return value;
}

/** DER of a (possibly BER-parsed) element; forge writes definite lengths. */
export function encodeDer(node: Asn1Node): string {
  return forge.asn1.toDer(node).getBytes();
}

const utcTimePattern = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;
const generalizedTimePattern =
  /^(\d{4})(\d{2})(\d{2})(\d{2})(?:(\d{2})(?:(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{4})?$/;

/**
 * UTCTime or GeneralizedTime as an instant. RFC 5280 wants 'Z' and whole seconds, but signing
 * tools write fractions and offsets too; a GeneralizedTime without a zone is read as UTC, the only
 * reading a certificate profile allows.
 */
export function readTime(node: Asn1Node | undefined, what: string): Date {
  if (node === undefined) throw new UnreadableInputError(`${what}: время отсутствует`);
  const isUtc = isUniversal(node, Tag.utcTime);
  if (!isUtc && !isUniversal(node, Tag.generalizedTime)) {
    throw new UnreadableInputError(`${what}: ожидалось время (UTCTime или GeneralizedTime)`);
  }
  const text = primitiveContent(node, what);
  const date = isUtc ? parseUtcTime(text) : parseGeneralizedTime(text);
  if (date === null) throw new UnreadableInputError(`${what}: неверное значение времени`);
  return date;
}

export function parseUtcTime(text: string): Date | null {
  const m = utcTimePattern.exec(text);
  if (m === null) return null;
  const yy = Number(m[1]);
  // RFC 5280: UTCTime years 50-99 are 19xx, 00-49 are 20xx.
  const year = yy < 50 ? 2000 + yy : 1900 + yy;
  return buildInstant(
    year,
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
    0,
    m[7],
  );
}

export function parseGeneralizedTime(text: string): Date | null {
  const m = generalizedTimePattern.exec(text);
  if (m === null) return null;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  return buildInstant(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    fraction,
    m[8],
  );
}

function buildInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
  zone: string | undefined,
): Date | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  if (date.getUTCDate() !== day) return null; // 31 April and the like
  if (zone !== undefined && zone !== 'Z') {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMinutes = Number(zone.slice(3, 5));
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    const sign = zone.startsWith('-') ? -1 : 1;
    date.setTime(date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
  }
  return date;
}
