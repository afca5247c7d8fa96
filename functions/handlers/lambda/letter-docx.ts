import { docxLetterRenderer } from '../../adapters/docx/docx-letter-renderer.ts';
import type { DepFactory } from './factory.ts';

export const letterDocx: DepFactory<'letterDocx'> = () => docxLetterRenderer;
