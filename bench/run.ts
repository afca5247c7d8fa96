import '../infra/local/polyfills.ts';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchRow } from './result.ts';

/** `npm run bench [name...]`: runs every bench/*.bench.ts (or those named) and prints its rows. */
const folder = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = (await readdir(folder))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

const format = (row: BenchRow) => {
  const value =
    row.value >= 100 ? row.value.toFixed(0) : row.value >= 1 ? row.value.toFixed(2) : row.value.toFixed(3);
  return `  ${row.name.padEnd(58)} ${`${value} ${row.unit}`.padStart(14)}${row.target ? `   (target ${row.target})` : ''}`;
};

for (const file of files) {
  const bench = (await import(`./${file}`)) as { default: Bench };
  console.log(file.replace('.bench.ts', ''));
  for (const row of await bench.default()) console.log(format(row));
}
