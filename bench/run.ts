import '../infra/local/polyfills.ts';
import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchRow } from './result.ts';

/**
 * `npm run bench [name...]`: runs every bench/*.bench.ts (or those named), each in a fresh process so
 * that one bench's heap and compiled code do not tilt the next, and prints their rows.
 */
const folder = fileURLToPath(new URL('.', import.meta.url));
const self = fileURLToPath(import.meta.url);

const format = (row: BenchRow) => {
  const value =
    row.value >= 100 ? row.value.toFixed(0) : row.value >= 1 ? row.value.toFixed(2) : row.value.toFixed(3);
  return `  ${row.name.padEnd(58)} ${`${value} ${row.unit}`.padStart(14)}${row.target ? `   (target ${row.target})` : ''}`;
};

const [flag, only] = process.argv.slice(2);
if (flag === '--one' && only !== undefined) {
  const bench = (await import(`./${only}`)) as { default: Bench };
  for (const row of await bench.default()) console.log(format(row));
} else {
  const wanted = process.argv.slice(2);
  const files = (await readdir(folder))
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
    .sort();
  for (const file of files) {
    console.log(file.replace('.bench.ts', ''));
    execFileSync(process.execPath, ['--import', 'tsx', self, '--one', file], { stdio: 'inherit' });
  }
}
