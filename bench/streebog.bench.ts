import { createHash } from 'node:crypto';
import { streebog256 } from '../functions/domain/signatures/streebog.ts';
import type { Bench } from './result.ts';

const BUFFER_MIB = 8;
const WARMUP_ROUNDS = 2;
const MEASURED_ROUNDS = 5;

/** Best throughput of several rounds after warm-up: the best round is the one least disturbed by the machine. */
function bestMibPerSecond(hashOnce: () => void): number {
  for (let round = 0; round < WARMUP_ROUNDS; round++) hashOnce();
  let fastestMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < MEASURED_ROUNDS; round++) {
    const start = performance.now();
    hashOnce();
    fastestMs = Math.min(fastestMs, performance.now() - start);
  }
  return BUFFER_MIB / (fastestMs / 1000);
}

/** Streebog-256 (pure TypeScript) against Node's native SHA-256 on the same 8 MiB buffer, in one run. */
const bench: Bench = async () => {
  const buffer = new Uint8Array(BUFFER_MIB * 1024 * 1024);
  for (let i = 0; i < buffer.length; i++) buffer[i] = (i * 31 + 7) & 0xff;

  const streebog = bestMibPerSecond(() => streebog256(buffer));
  const sha256 = bestMibPerSecond(() => createHash('sha256').update(buffer).digest());

  return [
    { name: 'streebog-256 (8 MiB buffer)', value: streebog, unit: 'MiB/s' },
    { name: 'sha-256, node:crypto (8 MiB buffer)', value: sha256, unit: 'MiB/s' },
    { name: 'streebog-256 / sha-256', value: streebog / sha256, unit: 'x' },
  ];
};

export default bench;
