/**
 * Tinos (Times New Roman metrics, full Cyrillic) from @expo-google-fonts/tinos, parsed once per
 * process: parsing is most of a letter's time when it is done per letter. A Lambda bundle carries
 * the two files next to itself (infra/aws copies them); in the project they are read from the package.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
// The same fontkit pdfkit uses (one copy in the lock file): pdfkit takes its fonts as they are.
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

/** A parsed font as fontkit gives it; pdfkit takes it where it takes a font file. */
export type ParsedFont = {
  readonly postscriptName: string;
  readonly characterSet: readonly number[];
  layout(text: string): unknown;
  glyphForCodePoint(codePoint: number): unknown;
};

export interface LetterFonts {
  readonly regular: ParsedFont;
  readonly bold: ParsedFont;
}

/** The font files, as package paths: what a bundle must carry next to itself. */
export const fontFiles = {
  regular: '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
  bold: '@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf',
} as const;

let parsed: LetterFonts | undefined;

/** The file beside this module (in a bundle), else from its package. */
function fontBytes(file: string): Buffer {
  const beside = fileURLToPath(new URL(`./${basename(file)}`, import.meta.url));
  return readFileSync(existsSync(beside) ? beside : require.resolve(file));
}

export function letterFonts(): LetterFonts {
  if (parsed) return parsed;
  const load = (file: string) =>
    withCharacterGlyphs(fontkit.create(fontBytes(file)) as unknown as ParsedFont);
  parsed = { regular: load(fontFiles.regular), bold: load(fontFiles.bold) };
  return parsed;
}

/**
 * fontkit caches each glyph with the characters it was first looked up by. Writing a subset looks up
 * the components of composite glyphs by id alone (Cyrillic А, В, С are built from Latin A, B, C), so
 * a font shared between documents would give later documents a Latin A with no character: the
 * text layer would lose it (a certificate serial reading back without its A, B and C). Looking every
 * character up once, first, caches each glyph with its character.
 */
function withCharacterGlyphs(font: ParsedFont): ParsedFont {
  for (const codePoint of font.characterSet) font.glyphForCodePoint(codePoint);
  return font;
}
