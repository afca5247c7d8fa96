import { pdfLetterRenderer } from '../../adapters/pdf/pdf-letter-renderer.ts';
import type { DepFactory } from './factory.ts';

/** pdfkit and fontkit, with the fonts copied beside the bundle: only the renderers carry them. */
export const letterPdf: DepFactory<'letterPdf'> = () => pdfLetterRenderer;
