/**
 * Reading a JSON request body without trusting it: the media type and charset it declares, bytes
 * that must really be text in that charset, and a nesting depth checked before JSON.parse (whose
 * recursion a body of 100,000 `[` would otherwise exhaust). Each check is one pass over the input.
 */

/** Deeper than any request this API takes, shallow enough for every parser and validator after it. */
export const maxJsonDepth = 64;

/** The charsets Russian offices send, by the labels Content-Type may give them, as TextDecoder names them. */
const decoderByCharset: Readonly<Record<string, string>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1251': 'windows-1251',
  cp1251: 'windows-1251',
  'koi8-r': 'koi8-r',
};

export type BodyRefusal =
  | { readonly status: 415; readonly field: 'Content-Type'; readonly message: string }
  | { readonly status: 400; readonly field: '(body)'; readonly message: string };

const unsupported = (message: string): BodyRefusal => ({ status: 415, field: 'Content-Type', message });
const unreadable = (message: string): BodyRefusal => ({ status: 400, field: '(body)', message });

/** The decoder for a Content-Type that announces JSON, or why it does not. */
export function jsonDecoderFor(contentType: string | undefined): { encoding: string } | BodyRefusal {
  if (contentType === undefined || contentType.trim() === '') {
    return unsupported('must be application/json');
  }
  const [mediaType = '', ...parameters] = contentType.split(';');
  const type = mediaType.trim().toLowerCase();
  const isJson = type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
  if (!isJson) return unsupported(`must be application/json, not ${type.slice(0, 100) || 'empty'}`);
  let charset = 'utf-8';
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=');
    if (equals < 0) continue;
    if (parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    charset = unquote(parameter.slice(equals + 1).trim()).toLowerCase();
  }
  const encoding = decoderByCharset[charset];
  if (encoding === undefined) {
    return unsupported(`charset ${charset.slice(0, 40)} is not supported; use utf-8, windows-1251 or koi8-r`);
  }
  return { encoding };
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** The body's text, or why its bytes are not text in the declared charset. A UTF-8 BOM is dropped. */
export function decodeBody(bytes: Uint8Array, encoding: string): { text: string } | BodyRefusal {
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    return unreadable(`the body is not valid ${encoding} text`);
  }
}

/**
 * Whether JSON text nests arrays and objects deeper than `limit`. One pass that skips over strings
 * (and the escapes in them), so a `[` inside a string is not counted. Malformed JSON is left for
 * JSON.parse to refuse; this only has to be right about well-formed text (a stray `]` makes the text
 * malformed at that point, and JSON.parse stops there, before any nesting that follows).
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // a backslash escapes the next character, `\"` included
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** The parsed JSON body, or why it cannot be read. */
export function parseJsonBody(
  bytes: Uint8Array,
  contentType: string | undefined,
): { value: unknown; text: string } | BodyRefusal {
  const decoder = jsonDecoderFor(contentType);
  if ('status' in decoder) return decoder;
  const decoded = decodeBody(bytes, decoder.encoding);
  if ('status' in decoded) return decoded;
  const { text } = decoded;
  if (text.trim() === '') return unreadable('the request needs a JSON body');
  if (nestsDeeperThan(text, maxJsonDepth)) {
    return unreadable(`the body nests arrays or objects deeper than ${maxJsonDepth} levels`);
  }
  try {
    return { value: JSON.parse(text), text };
  } catch {
    return unreadable('the body is not valid JSON');
  }
}
