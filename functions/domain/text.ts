/**
 * Rules for free text typed by people (organisation names, subjects, numbers, notes): what a
 * records office will store and print. Pure functions, one pass over the text each, so any length
 * is checked in linear time.
 */

export interface TextRules {
  /** Multi-line fields (a subject, a note) may hold tabs and line breaks; single-line fields may not. */
  readonly multiline?: boolean;
}

/** Characters that draw nothing: a value made only of these (and spaces) says nothing. */
const invisible = new Set([
  0x00ad, // soft hyphen
  0x034f, // combining grapheme joiner
  0x115f, // Hangul choseong filler
  0x1160, // Hangul jungseong filler
  0x17b4, // Khmer vowel inherent aq
  0x17b5, // Khmer vowel inherent aa
  0x180e, // Mongolian vowel separator
  0x200b, // zero-width space
  0x200c, // zero-width non-joiner
  0x200d, // zero-width joiner
  0x2060, // word joiner
  0x2061, // invisible function application
  0x2062, // invisible times
  0x2063, // invisible separator
  0x2064, // invisible plus
  0x3164, // Hangul filler
  0xfeff, // zero-width no-break space (byte order mark)
  0xffa0, // halfwidth Hangul filler
]);

const tab = 0x09;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;

const isControl = (code: number) => code <= 0x1f || (code >= 0x7f && code <= 0x9f);

/** Marks and overrides that reorder how text is displayed: `‮fdp.exe` reads as `exe.pdf`. */
const isBidiControl = (code: number) =>
  code === 0x061c ||
  code === 0x200e ||
  code === 0x200f ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);

/** White space as String.prototype.trim sees it (besides the invisible characters above). */
const isSpace = (code: number) =>
  code === 0x20 ||
  code === tab ||
  code === lineFeed ||
  code === carriageReturn ||
  code === 0x0b ||
  code === 0x0c ||
  code === 0xa0 ||
  code === 0x1680 ||
  (code >= 0x2000 && code <= 0x200a) ||
  code === 0x2028 ||
  code === 0x2029 ||
  code === 0x202f ||
  code === 0x205f ||
  code === 0x3000;

const codePointName = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why `text` cannot be stored as a person's text, or null when it can: control characters (NUL,
 * C0 but tab and line breaks in multi-line fields, DEL, C1), bidirectional controls, unpaired
 * surrogates, or nothing visible at all.
 */
export function textProblem(text: string, rules: TextRules = {}): string | null {
  let visible = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      const paired = code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
      if (!paired) return `must not contain an unpaired surrogate (${codePointName(code)})`;
      i++;
      visible = true;
      continue;
    }
    if (code === 0) return 'must not contain NUL characters';
    const allowedBreak =
      rules.multiline === true && (code === tab || code === lineFeed || code === carriageReturn);
    if (isControl(code) && !allowedBreak) {
      return `must not contain control characters (${codePointName(code)})`;
    }
    if (isBidiControl(code)) return `must not contain text direction controls (${codePointName(code)})`;
    if (!isSpace(code) && !invisible.has(code)) visible = true;
  }
  return visible || text.length === 0
    ? null
    : 'must contain visible characters, not only spaces or invisible ones';
}

/** The one spelling stored for a text: Unicode NFC (a Cyrillic й is one code point, not и + breve). */
export function normaliseText(text: string): string {
  return text.normalize('NFC');
}
