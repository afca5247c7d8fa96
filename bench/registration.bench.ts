import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallCounter } from '../functions/adapters/dynamodb/index.ts';
import { issueToken } from '../functions/api/auth.ts';
import { assignNumber } from '../functions/handlers/assign-number.ts';
import { findDuplicate } from '../functions/handlers/find-duplicate.ts';
import { recordEvents } from '../functions/handlers/record-events.ts';
import { saveCard } from '../functions/handlers/save-card.ts';
import { validateIncoming } from '../functions/handlers/validate-incoming.ts';
import { startLocalStack } from '../infra/local/stack.ts';
import { seedConfig, seedRequest } from '../test/support/local-stack.ts';
import type { Bench } from './result.ts';

const perRound = 600;
const concurrency = 64;
const rounds = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Registrations per second through the whole local path (HTTP, the workflow engine, dynalite) against
 * the same registrations made by calling the tasks directly on the same stores, in alternating rounds.
 * The HTTP clients run in a process of their own, as real clients do.
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
  const generator = fork(fileURLToPath(new URL('./load-generator.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
  });
  let batch = 0;
  let letter = 0;

  /** Registrations per second over HTTP, posted by the load generator. */
  const viaStack = async (count: number) => {
    generator.send({
      url: stack.apiUrl,
      token,
      count,
      prefix: `S${batch++}`,
      concurrency,
      request: seedRequest(),
    });
    const [result] = (await once(generator, 'message')) as [{ seconds: number; failures: number }];
    if (result.failures > 0) throw new Error(`${result.failures} registrations failed`);
    return count / result.seconds;
  };

  /** Registrations per second calling each task's `run` in turn, as the workflow would. */
  const direct = async (count: number) => {
    const deps = stack.deps;
    const one = async () => {
      const request = seedRequest({ theirRef: { number: `D-${letter++}`, date: '2014-06-10' } });
      const draft = await validateIncoming.run({ request, actor }, { ...deps, newId: randomUUID });
      if ((await findDuplicate.run({ draft }, deps)).found) throw new Error('unexpected duplicate');
      const number = await assignNumber.run({ document: draft }, deps);
      const card = await saveCard.run({ draft, number, actor }, deps);
      await recordEvents.run({ document: card, type: 'registered', actor, startsHistory: true }, deps);
    };
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < count) await one();
      }),
    );
    return count / ((performance.now() - started) / 1000);
  };

  try {
    await viaStack(200); // warm-up: JIT, sockets, LevelDB caches
    await direct(200);
    const stackRates: number[] = [];
    const directRates: number[] = [];
    let stackCalls = 0;
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so that neither always meets the store right after the other.
      const before = counter.calls;
      if (round % 2 === 0) {
        stackRates.push(await viaStack(perRound));
        stackCalls += counter.calls - before;
        directRates.push(await direct(perRound));
      } else {
        directRates.push(await direct(perRound));
        const afterDirect = counter.calls;
        stackRates.push(await viaStack(perRound));
        stackCalls += counter.calls - afterDirect;
      }
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
    generator.kill();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
};

export default bench;
