/** Turns a letter's requisites into its visualisation (the registered copy, or the draft's). */

import type { Letter } from '../domain/letter/letter.ts';

export interface RenderedLetter {
  readonly bytes: Uint8Array;
  readonly contentType: 'application/pdf';
  readonly pages: number;
}

export interface LetterRenderer {
  /** The same letter gives the same bytes: the file's dates come from the letter, not the clock. */
  render(letter: Letter): Promise<RenderedLetter>;
}

/** A letter in a format for editing (DOCX): bytes and their media type. */
export interface DocumentRenderer {
  render(letter: Letter): Promise<{ readonly bytes: Uint8Array; readonly contentType: string }>;
}
