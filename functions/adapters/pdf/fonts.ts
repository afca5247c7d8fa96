/**
 * Tinos (Times New Roman metrics, full Cyrillic) from @expo-google-fonts/tinos, parsed once per
 * process: parsing is most of a letter's time when it is done per letter.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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

export const fontFiles = {
  regular: '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
  bold: '@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf',
} as const;

let parsed: LetterFonts | undefined;

/** The fontkit that pdfkit itself loads, so that its fonts are the kind pdfkit recognises. */
function pdfkitFontkit(): { create(data: Uint8Array): unknown } {
  return createRequire(require.resolve('pdfkit'))('fontkit') as { create(data: Uint8Array): unknown };
}

export function letterFonts(): LetterFonts {
  if (parsed) return parsed;
  const fontkit = pdfkitFontkit();
  const load = (file: string) =>
    withCharacterGlyphs(fontkit.create(readFileSync(require.resolve(file))) as ParsedFont);
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
