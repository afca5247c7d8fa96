/**
 * An entry bundled like a Lambda function by test/infra/lambda-bundle.test.ts: renders the reference
 * letter with the bundled renderer and prints its page count, size and SHA-256.
 */
import { createHash } from 'node:crypto';
import defaultConfig from '../../docroute.config.json' with { type: 'json' };
import { docxLetterRenderer } from '../../functions/adapters/docx/docx-letter-renderer.ts';
import { renderLetterPdf } from '../../functions/adapters/pdf/pdf-letter-renderer.ts';
import { parseConfig } from '../../functions/domain/config.ts';
import { referenceLetter } from '../../functions/domain/letter/reference-letter.ts';

const letter = referenceLetter(parseConfig(defaultConfig));
const pdf = await renderLetterPdf(letter);
const docx = await docxLetterRenderer.render(letter);
console.log(
  JSON.stringify({
    pages: pdf.pages,
    sha256: createHash('sha256').update(pdf.bytes).digest('hex'),
    docxBytes: docx.bytes.byteLength,
  }),
);
