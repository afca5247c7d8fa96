import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallCounter } from '../functions/adapters/dynamodb/index.ts';
import { issueToken } from '../functions/api/auth.ts';
import { assignNumber } from '../functions/handlers/assign-number.ts';
import { findDuplicate } from '../functions/handlers/find-duplicate.ts';
import { recordEvents } from '../functions/handlers/record-events.ts';
import { saveCard } from '../functions/handlers/save-card.ts';
import { validateIncoming } from '../functions/handlers/validate-incoming.ts';
import { startLocalStack } from '../infra/local/stack.ts';
import { createLoadClient } from '../test/support/http-load.ts';
import { seedConfig, seedRequest } from '../test/support/local-stack.ts';
import type { Bench } from './result.ts';

const perRound = 600;
const concurrency = 64;
const rounds = 3;

/** Runs `count` jobs with at most `limit` in flight; returns registrations per second. */
async function throughput(count: number, limit: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) await job(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Registrations per second through the whole local path (HTTP, the workflow engine, dynalite) against
 * the same registrations made by calling the tasks directly on the same stores, in alternating rounds.
 */
const bench: Bench = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'docroute-bench-'));
  const counter: CallCounter = { calls: 0 };
  const stack = await startLocalStack({ dataDir, config: await seedConfig(), port: 0, callCounter: counter });
  const actor = { sub: 'bench', role: 'clerk' };
  const token = await issueToken(
    stack.tokenSecret,
    { sub: 'bench', role: 'clerk', ttlSeconds: 3600 },
    new Date(),
  );
  const client = createLoadClient(stack.apiUrl, concurrency);
  let letter = 0;
  const request = () => seedRequest({ theirRef: { number: `B-${letter++}`, date: '2014-06-10' } });

  const viaStack = async () => {
    const response = await client.send(
      'POST',
      '/v1/incoming',
      { Authorization: `Bearer ${token}` },
      request(),
    );
    if (response.status !== 201) throw new Error(`registration failed: ${JSON.stringify(response.body)}`);
  };
  const direct = async () => {
    const deps = stack.deps;
    const draft = await validateIncoming.run({ request: request(), actor }, { ...deps, newId: randomUUID });
    const duplicate = await findDuplicate.run({ draft }, deps);
    if (duplicate.found) throw new Error('unexpected duplicate');
    const number = await assignNumber.run(
      { documentId: draft.id, journal: draft.journal, regDate: draft.regDate },
      deps,
    );
    const card = await saveCard.run({ draft, number, actor }, deps);
    await recordEvents.run(
      {
        documentId: card.id,
        startsHistory: true,
        event: { type: 'registered', at: card.registeredAt, actor, data: { card } },
      },
      deps,
    );
  };

  try {
    await throughput(100, concurrency, viaStack); // warm-up: JIT, sockets, LevelDB caches
    await throughput(100, concurrency, direct);
    const stackRates: number[] = [];
    const directRates: number[] = [];
    let stackCalls = 0;
    for (let round = 0; round < rounds; round++) {
      const before = counter.calls;
      stackRates.push(await throughput(perRound, concurrency, viaStack));
      stackCalls += counter.calls - before;
      directRates.push(await throughput(perRound, concurrency, direct));
    }
    const viaStackRate = median(stackRates);
    const directRate = median(directRates);
    return [
      { name: 'registrations/s via HTTP -> workflow -> dynalite', value: viaStackRate, unit: '/s' },
      { name: 'registrations/s calling the tasks directly, same stores', value: directRate, unit: '/s' },
      { name: 'ratio stack / direct', value: viaStackRate / directRate, unit: 'x', target: '>= 0.7' },
      {
        name: 'DynamoDB calls per registration (HTTP path)',
        value: stackCalls / (perRound * rounds),
        unit: 'calls',
        target: '<= 6',
      },
    ];
  } finally {
    client.close();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
};

export default bench;
