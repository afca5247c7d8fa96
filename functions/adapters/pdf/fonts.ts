/**
 * Tinos (Times New Roman metrics, full Cyrillic) from @expo-google-fonts/tinos, parsed once per
 * process: parsing is most of a letter's time when it is done per letter.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A parsed font as fontkit gives it; pdfkit takes it where it takes a font file. */
export type ParsedFont = { readonly postscriptName: string; layout(text: string): unknown };

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
  const load = (file: string) => fontkit.create(readFileSync(require.resolve(file))) as ParsedFont;
  parsed = { regular: load(fontFiles.regular), bold: load(fontFiles.bold) };
  return parsed;
}
