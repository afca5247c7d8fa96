/**
 * `node --import tsx test/unit/letter/render-seed.ts [folder]`: renders the reference letter (and
 * its draft) to PDF and each page to PNG (pdftoppm, 100 dpi) for a look. Default folder: /tmp/docroute-letter.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderLetterPdf } from '../../../functions/adapters/pdf/pdf-letter-renderer.ts';
import { parseConfig } from '../../../functions/domain/config.ts';
import { referenceDraftLetter, referenceLetter } from '../../../functions/domain/letter/index.ts';

const folder = process.argv[2] ?? '/tmp/docroute-letter';
mkdirSync(folder, { recursive: true });
const config = parseConfig(
  JSON.parse(readFileSync(new URL('../../../docroute.config.json', import.meta.url), 'utf8')) as unknown,
);
for (const [name, letter] of [
  ['letter', referenceLetter(config)],
  ['draft', referenceDraftLetter(config)],
] as const) {
  const rendered = await renderLetterPdf(letter);
  const pdf = join(folder, `${name}.pdf`);
  writeFileSync(pdf, rendered.bytes);
  try {
    execFileSync('pdftoppm', ['-png', '-r', process.env['DPI'] ?? '100', pdf, join(folder, name)]);
    console.log(
      `${pdf}: ${rendered.pages} pages, ${rendered.bytes.length} bytes; PNGs ${join(folder, name)}-N.png`,
    );
  } catch {
    console.log(`${pdf}: ${rendered.pages} pages; pdftoppm (poppler-utils) is not installed, no PNG`);
  }
}
