/**
 * Which form a certificate or signature file arrived in, from its bytes alone: DER/BER, PEM (strict
 * armour, LF or CRLF) or bare base64. Anything else is rejected with the reason.
 */
import { UnreadableInputError } from '../errors.ts';

export type InputForm = 'der' | 'pem' | 'base64';
export type InputKind = 'certificate' | 'signature';

export interface DecodedInput {
  readonly form: InputForm;
  /** The DER (or BER) bytes the form carried. */
  readonly der: Uint8Array;
  /** The PEM label, for PEM input. */
  readonly label: string | null;
}

const pemLabels: Record<string, InputKind> = {
  CERTIFICATE: 'certificate',
  'X509 CERTIFICATE': 'certificate',
  PKCS7: 'signature',
  'PKCS #7 SIGNED DATA': 'signature',
  CMS: 'signature',
  'SIGNED DATA': 'signature',
};

const kindNames: Record<InputKind, string> = { certificate: 'сертификат', signature: 'подпись' };

const sequenceTag = 0x30;
const beginLine = /^-----BEGIN ([^-]*)-----$/;
const endLine = /^-----END ([^-]*)-----$/;

/**
 * Decodes the input to DER. `expected` names what the caller wants, so a PEM file labelled as the
 * other kind is refused here with a plain reason rather than failing later in the ASN.1 reader.
 */
export function decodeInput(bytes: Uint8Array, expected: InputKind): DecodedInput {
  if (bytes.length === 0) throw new UnreadableInputError('файл пуст');
  if (bytes[0] === sequenceTag) return { form: 'der', der: bytes, label: null };

  const text = readAsciiText(bytes);
  if (text.includes('-----BEGIN') || text.includes('-----END')) return decodePem(text, expected);
  return { form: 'base64', der: decodeBase64(text.replace(/[ \t\r\n]/g, ''), 'base64'), label: null };
}

function readAsciiText(bytes: Uint8Array): string {
  // Notepad on Windows prepends a UTF-8 byte order mark; it carries no data.
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    const printable = byte >= 0x20 && byte < 0x7f;
    if (!printable && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) {
      throw new UnreadableInputError(
        `данные не похожи ни на DER (первый байт 0x${hexByte(bytes[0] ?? 0)}, а не 0x30), ни на PEM или base64 (байт 0x${hexByte(byte)} на позиции ${i})`,
      );
    }
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start).toString('latin1');
}

function decodePem(text: string, expected: InputKind): DecodedInput {
  const lines = text.split(/\r\n|\n|\r/).map((line) => line.trim());
  let first = 0;
  let last = lines.length - 1;
  while (first <= last && lines[first] === '') first++;
  while (last >= first && lines[last] === '') last--;

  const begin = beginLine.exec(lines[first] ?? '');
  if (begin === null) {
    throw new UnreadableInputError(
      lines[first]?.startsWith('-----BEGIN')
        ? 'PEM: неверная строка BEGIN'
        : 'PEM: перед строкой -----BEGIN есть посторонний текст или её нет',
    );
  }
  const end = endLine.exec(lines[last] ?? '');
  if (end === null || last === first) {
    throw new UnreadableInputError(
      lines.slice(first + 1, last + 1).some((line) => line.startsWith('-----END'))
        ? 'PEM: после строки -----END есть посторонний текст'
        : 'PEM: нет строки -----END',
    );
  }
  const label = begin[1] ?? '';
  const endLabel = end[1] ?? '';
  if (label !== endLabel) {
    throw new UnreadableInputError(`PEM: метки не совпадают: BEGIN ${label}, END ${endLabel}`);
  }
  const kind = pemLabels[label];
  if (kind === undefined) {
    throw new UnreadableInputError(`PEM: метка «${label}» не означает ни сертификат, ни подпись`);
  }
  if (kind !== expected) {
    throw new UnreadableInputError(
      `PEM с меткой «${label}» содержит ${kindNames[kind]}, а ожидался ${kindNames[expected]}`,
    );
  }
  const body = lines.slice(first + 1, last);
  if (body.some((line) => line.startsWith('-----'))) {
    throw new UnreadableInputError('PEM: в файле больше одного блока; ожидался один');
  }
  if (body.some((line) => line.includes(':'))) {
    throw new UnreadableInputError('PEM: заголовки внутри блока (зашифрованный PEM?) не поддерживаются');
  }
  return { form: 'pem', der: decodeBase64(body.join(''), 'PEM'), label };
}

function decodeBase64(compact: string, form: string): Uint8Array {
  if (compact.length === 0) throw new UnreadableInputError(`${form}: нет данных`);
  if (!isBase64(compact, { lineBreaks: false }) || compact.length % 4 !== 0) {
    const bad = /[^A-Za-z0-9+/=]/.exec(compact);
    throw new UnreadableInputError(
      bad === null
        ? `${form}: неверная длина или дополнение base64`
        : `${form}: содержимое не является base64 (${bad[0] === ' ' ? 'пробел внутри строки' : `символ «${bad[0]}»`})`,
    );
  }
  const buffer = Buffer.from(compact, 'base64');
  const der = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (der[0] !== sequenceTag) {
    throw new UnreadableInputError(`${form}: после декодирования base64 получена не структура DER`);
  }
  return der;
}

const isBase64Digit = (code: number) =>
  (code >= 0x41 && code <= 0x5a) || // A-Z
  (code >= 0x61 && code <= 0x7a) || // a-z
  (code >= 0x30 && code <= 0x39) || // 0-9
  code === 0x2b || // +
  code === 0x2f; // /
const isLineBreak = (code: number) => code === 0x0a || code === 0x0d;
const paddingChar = 0x3d; // =

/**
 * True when `text` is base64 digits, then at most two `=`, with (when `lineBreaks`) CR and LF
 * allowed anywhere, as mail and PEM tools wrap it. One pass and no regular expression: a pattern
 * like /^[A-Za-z0-9+/\r\n]+={0,2}[\r\n]*$/ backtracks quadratically on a long run of line breaks.
 */
export function isBase64(text: string, { lineBreaks }: { lineBreaks: boolean }): boolean {
  let digits = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (lineBreaks && isLineBreak(code)) continue;
    if (code === paddingChar) {
      padding++;
      if (padding > 2 || digits === 0) return false;
    } else if (!isBase64Digit(code) || padding > 0) {
      // Data after the padding is not base64 either.
      return false;
    } else {
      digits++;
    }
  }
  return digits > 0;
}

function hexByte(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
