import { readFileSync } from 'node:fs';
import { parseConfig } from '../functions/domain/config.ts';
import { referenceLetter } from '../functions/domain/letter/index.ts';
import type { Bench, BenchRow } from './result.ts';

/**
 * The reference letter (3 pages) rendered to PDF in one process: the import of pdfkit and the
 * renderer, the first letter (which parses the fonts), later letters (fonts parsed once per
 * process), letters per second and the process's peak RSS.
 */
const LATER = 20;

const bench: Bench = async () => {
  const config = parseConfig(
    JSON.parse(readFileSync(new URL('../docroute.config.json', import.meta.url), 'utf8')) as unknown,
  );
  const letter = referenceLetter(config);

  const importStart = performance.now();
  const { renderLetterPdf } = await import('../functions/adapters/pdf/pdf-letter-renderer.ts');
  const importMs = performance.now() - importStart;

  const firstStart = performance.now();
  const first = await renderLetterPdf(letter);
  const firstMs = performance.now() - firstStart;

  const times: number[] = [];
  for (let i = 0; i < LATER; i++) {
    const start = performance.now();
    await renderLetterPdf(letter);
    times.push(performance.now() - start);
  }
  const laterMean = times.reduce((a, b) => a + b, 0) / times.length;
  const laterBest = Math.min(...times);
  const rows: BenchRow[] = [
    { name: 'import pdfkit + renderer', value: importMs, unit: 'ms' },
    { name: 'first letter (fonts parsed)', value: firstMs, unit: 'ms' },
    { name: `later letters, mean of ${LATER}`, value: laterMean, unit: 'ms' },
    { name: `later letters, best of ${LATER}`, value: laterBest, unit: 'ms' },
    { name: 'first / later (mean)', value: firstMs / laterMean, unit: 'x', target: '>= 3' },
    { name: 'letters per second (later)', value: 1000 / laterMean, unit: 'letters/s' },
    { name: 'letter size (3 pages)', value: first.bytes.length / 1024, unit: 'KB' },
    { name: 'peak RSS', value: process.resourceUsage().maxRSS / 1024, unit: 'MB' },
  ];
  return rows;
};

export default bench;
