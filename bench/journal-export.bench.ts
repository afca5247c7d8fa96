import { drain } from '../test/support/journal-fakes.ts';
import type { Bench, BenchRow } from './result.ts';

/**
 * Journal export rows per second and peak memory at 10,000 and 100,000 rows, CSV and XLSX, on
 * stores that make each entry and card when read: the time grows with the rows, the memory must not.
 */
const bench: Bench = async () => {
  const rows: BenchRow[] = [];
  for (const format of ['csv', 'xlsx'] as const) {
    const peaks: number[] = [];
    for (const numbers of [10_000, 100_000]) {
      const { bytes, ms, peakHeap } = await drain(numbers, format);
      peaks.push(peakHeap);
      const label = `${format.toUpperCase()} ${numbers.toLocaleString('en')} rows`;
      rows.push(
        { name: `${label}: rows per second`, value: numbers / (ms / 1000), unit: 'rows/s' },
        { name: `${label}: size`, value: bytes / 1024 / 1024, unit: 'MB' },
        { name: `${label}: peak heap + buffers`, value: peakHeap / 1024 / 1024, unit: 'MB' },
        { name: `${label}: peak RSS so far`, value: process.resourceUsage().maxRSS / 1024, unit: 'MB' },
      );
    }
    const [small = 1, large = 0] = peaks;
    rows.push({
      name: `${format.toUpperCase()} peak heap 100k / 10k`,
      value: large / small,
      unit: 'x',
      target: 'about 1',
    });
  }
  return rows;
};

export default bench;
