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
import { completeRegistration } from '../functions/handlers/complete-registration.ts';
import { findDuplicate } from '../functions/handlers/find-duplicate.ts';
import { recordEvents } from '../functions/handlers/record-events.ts';
import { saveCard } from '../functions/handlers/save-card.ts';
import type { SettleJournalOutput } from '../functions/handlers/settle-journal.ts';
import { validateIncoming } from '../functions/handlers/validate-incoming.ts';
import { startLocalStack } from '../infra/local/stack.ts';
import { movableClock, seedConfig, seedRequest } from '../test/support/local-stack.ts';
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
  const clock = movableClock();
  // Settling runs by hand below, so that its reads are counted apart from the registrations'.
  const stack = await startLocalStack({
    dataDir,
    config: await seedConfig(),
    port: 0,
    callCounter: counter,
    clock,
    schedule: false,
  });
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
      await completeRegistration.run(
        { journalKey: number.journalKey, seq: number.seq, documentId: card.id },
        deps,
      );
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

  /** Runs settling until no journal is left unsettled (each run takes up to a page per journal). */
  const settle = async () => {
    const runs: SettleJournalOutput[] = [];
    do {
      const outcome = await stack.runner.run('settle-registrations', {});
      if (outcome.status !== 'succeeded') throw new Error(`settling failed: ${outcome.error}`);
      runs.push(...(outcome.output as { journals: SettleJournalOutput[] }).journals);
    } while ((await stack.deps.journals.unsettledCounters()).length > 0);
    return runs;
  };

  /**
   * What settling reads: first over the registrations the rounds made (all complete), then over
   * registrations interrupted after taking their number, half before and half after saving the card.
   */
  const settlingCost = async () => {
    const completed = (await settle()).reduce((sum, run) => sum + run.itemsRead, 0);
    const registeredCount = (await stack.deps.journals.list('incoming#2014')).entries.length;
    const interrupted = 100;
    for (let i = 0; i < interrupted; i++) {
      const request = seedRequest({ theirRef: { number: `CUT-${i}`, date: '2014-06-10' } });
      const draft = await validateIncoming.run({ request, actor }, { ...stack.deps, newId: randomUUID });
      await findDuplicate.run({ draft }, stack.deps);
      const number = await assignNumber.run({ document: draft }, stack.deps);
      if (i % 2 === 0) await saveCard.run({ draft, number, actor }, stack.deps);
    }
    clock.advance(stack.deps.registrationLeaseMs + 1000);
    const before = counter.calls;
    const runs = await settle();
    const settled = runs.reduce((sum, run) => sum + run.completed + run.voided, 0);
    if (settled !== interrupted) throw new Error(`settling settled ${settled} of ${interrupted}`);
    return {
      perCompleted: completed / registeredCount,
      perInterrupted: runs.reduce((sum, run) => sum + run.itemsRead, 0) / interrupted,
      callsPerInterrupted: (counter.calls - before) / interrupted,
    };
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
    const settling = await settlingCost();
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
      {
        name: 'settling: items read per registration that completed',
        value: settling.perCompleted,
        unit: 'items',
      },
      {
        name: 'settling: items read per interrupted registration',
        value: settling.perInterrupted,
        unit: 'items',
      },
      {
        name: 'settling: DynamoDB calls per interrupted registration',
        value: settling.callsPerInterrupted,
        unit: 'calls',
      },
    ];
  } finally {
    generator.kill();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
};

export default bench;
