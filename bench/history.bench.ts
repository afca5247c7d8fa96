import { randomUUID } from 'node:crypto';
import type { ChainHead } from '../functions/domain/anchors.ts';
import { cardHashOf, chainEvent, type HistoryEvent, verifyHistory } from '../functions/domain/history.ts';
import type { TaskDeps } from '../functions/handlers/task.ts';
import { writeAnchor } from '../functions/handlers/write-anchor.ts';
import type { EventLog } from '../functions/ports/event-log.ts';
import { memoryBlobStore } from '../test/support/memory-blob-store.ts';
import type { Bench } from './result.ts';

/** A card as a long-running document's card looks: a few dozen fields, some nested. */
function cardAt(id: string, revision: number) {
  return {
    id,
    regNumber: '01-05/4711',
    regDate: '2021-03-02',
    subject: 'О предоставлении информации о ходе исполнения муниципальной программы',
    correspondent: { organization: 'Аппарат Правительства Ставропольского края', person: 'А.Д. Литовкин' },
    theirRef: { number: '25-24/6781', date: '2021-02-26' },
    executor: revision % 2 === 0 ? 'plaksina' : 'ivanova',
    control: { dueDate: '2021-04-01', controlDate: '2021-03-31', state: 'on_control' },
    revision,
    lastChange: { revision, at: new Date(Date.UTC(2021, 2, 2) + revision * 60_000).toISOString() },
  };
}

function longHistory(events: number): { events: HistoryEvent[]; card: ReturnType<typeof cardAt> } {
  const id = randomUUID();
  const list: HistoryEvent[] = [];
  let card = cardAt(id, 0);
  for (let seq = 1; seq <= events; seq++) {
    card = cardAt(id, seq - 1);
    list.push(
      chainEvent(id, list.at(-1) ?? null, {
        type: seq === 1 ? 'registered' : 'executor_changed',
        at: card.lastChange.at,
        actor: { sub: 'clerk-1', role: 'clerk' },
        data: { card, cardHash: cardHashOf(card), revision: seq - 1 },
      }),
    );
  }
  return { events: list, card };
}

/** An event log with only what an anchor reads: the heads, and the events at anchored numbers. */
function headsLog(heads: ChainHead[], earlier: Map<string, string>): EventLog {
  return {
    async *heads() {
      yield* heads;
    },
    async at(documentId, seq) {
      const hash = earlier.get(`${documentId}#${seq}`);
      return hash === undefined ? null : ({ hash } as HistoryEvent);
    },
    append: () => Promise.reject(new Error('not in this bench')),
    list: () => Promise.reject(new Error('not in this bench')),
    last: () => Promise.reject(new Error('not in this bench')),
  };
}

const hex = (n: number, salt: string) => `${salt}${n.toString(16)}`.padStart(64, '0');

/**
 * A day's anchor over `chains` histories: the previous anchor holds all of them, and 2% moved on
 * since (each moved head's anchored event is looked up). Milliseconds and the heap it added.
 */
async function dayAnchor(chains: number): Promise<{ ms: number; heapMb: number }> {
  const blobs = memoryBlobStore();
  const ids = Array.from({ length: chains }, () => randomUUID());
  const first = ids.map((documentId, i) => ({ documentId, seq: 3, hash: hex(i, 'a') }));
  const deps = (log: EventLog) =>
    ({ events: log, blobs, clock: { now: () => new Date('2026-12-01T20:50:00Z') } }) as unknown as TaskDeps;
  await writeAnchor.run({ requestedBy: null }, deps(headsLog(first, new Map())));
  const earlier = new Map<string, string>();
  const today = first.map((head, i) => {
    if (i % 50 !== 0) return head;
    earlier.set(`${head.documentId}#3`, head.hash);
    return { documentId: head.documentId, seq: 5, hash: hex(i, 'b') };
  });
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  const start = performance.now();
  const written = await writeAnchor.run({ requestedBy: null }, deps(headsLog(today, earlier)));
  const ms = performance.now() - start;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  if (written.chains !== chains || written.findingCount !== 0)
    throw new Error('the anchor is not what was planned');
  return { ms, heapMb: (peak - heapBefore) / 2 ** 20 };
}

const bench: Bench = async () => {
  const { events, card } = longHistory(1000);
  if (!verifyHistory(events, card).ok) throw new Error('the bench history does not verify');
  verifyHistory(events, card);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    verifyHistory(events, card);
    best = Math.min(best, performance.now() - start);
  }
  const small = await dayAnchor(10_000);
  const large = await dayAnchor(100_000);
  return [
    { name: 'verify a 1,000-event history (chain and card)', value: best, unit: 'ms' },
    { name: 'day anchor, 10,000 chains (2% moved on)', value: small.ms, unit: 'ms' },
    { name: 'day anchor, 100,000 chains (2% moved on)', value: large.ms, unit: 'ms' },
    {
      name: 'day anchor, time per chain, 100,000 / 10,000',
      value: large.ms / 100_000 / (small.ms / 10_000),
      unit: 'ratio',
      target: 'about 1: linear',
    },
    { name: 'day anchor, 100,000 chains: heap added', value: large.heapMb, unit: 'MB' },
  ];
};

export default bench;
