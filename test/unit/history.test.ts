import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../functions/domain/documents.ts';
import {
  canonicalJson,
  chainEvent,
  type EventDraft,
  genesisHash,
  type HistoryEvent,
  verifyChain,
} from '../../functions/domain/history.ts';

const clerk: Actor = { sub: 'plaksina', role: 'clerk' };
const system: Actor = { sub: 'system', role: 'system' };

const drafts: EventDraft[] = [
  { type: 'registered', at: '2014-06-16T06:30:00.000Z', actor: clerk, data: { channel: 'post' } },
  {
    type: 'numbered',
    at: '2014-06-16T06:30:01.000Z',
    actor: system,
    data: { regNumber: '01-05/11180', seq: 11180 },
  },
  { type: 'received_again', at: '2014-06-16T06:30:02.000Z', actor: system, data: { regDate: '2014-06-16' } },
  {
    type: 'assigned',
    at: '2014-06-16T07:00:00.000Z',
    actor: clerk,
    data: { executor: 'plaksina', due: '2014-07-16' },
  },
];

function buildChain(documentId = 'doc-1'): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const draft of drafts) events.push(chainEvent(documentId, events.at(-1) ?? null, draft));
  return events;
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

describe('chainEvent', () => {
  const chain = buildChain();

  it('GIVEN the first event THEN it is seq 1 and points back to the genesis hash', () => {
    const first = at(chain, 0);
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(genesisHash);
    expect(genesisHash).toBe('0'.repeat(64));
  });

  it('GIVEN later events THEN seq increases by one and each prevHash is the previous hash', () => {
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < chain.length; i++) expect(at(chain, i).prevHash).toBe(at(chain, i - 1).hash);
  });

  it('keeps the draft and the document id, and hashes the canonical JSON of everything but the hash', () => {
    const second = at(chain, 1);
    expect(second).toMatchObject({ documentId: 'doc-1', ...at(drafts, 1) });
    const { hash, ...unhashed } = second;
    expect(hash).toBe(createHash('sha256').update(canonicalJson(unhashed)).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('GIVEN the same history THEN the hashes are the same; another document gives other hashes', () => {
    expect(buildChain().map((e) => e.hash)).toEqual(chain.map((e) => e.hash));
    expect(at(buildChain('doc-2'), 0).hash).not.toBe(at(chain, 0).hash);
  });

  it('GIVEN all hashes THEN they are distinct', () => {
    expect(new Set(chain.map((e) => e.hash)).size).toBe(chain.length);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level, including inside arrays', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('GIVEN the same object with keys in another order THEN the text is identical', () => {
    expect(canonicalJson({ x: 1, y: { q: 2, p: 3 } })).toBe(canonicalJson({ y: { p: 3, q: 2 }, x: 1 }));
  });

  it('drops undefined properties, at every level, but keeps null', () => {
    expect(canonicalJson({ a: undefined, b: null, c: { d: undefined, e: 1 } })).toBe(
      '{"b":null,"c":{"e":1}}',
    );
  });

  it('is valid JSON that reads back to the same value', () => {
    const value = { ключ: 'значение «в кавычках»\n', n: -1.5, list: [true, false, null, 'a"b'], empty: {} };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  // Source bug: an undefined array element maps to `undefined` and joins as nothing, giving `[1,,2]`.
  it('GIVEN undefined inside an array THEN it writes null there, as JSON.stringify does, so the text stays JSON', () => {
    const value = { list: [1, undefined, 2] };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
    expect(() => JSON.parse(canonicalJson(value))).not.toThrow();
  });

  it('writes scalars as JSON does', () => {
    expect(canonicalJson('текст')).toBe('"текст"');
    expect(canonicalJson(42)).toBe('42');
    expect(canonicalJson(null)).toBe('null');
  });
});

describe('verifyChain', () => {
  it('GIVEN an untouched chain THEN it is intact', () => {
    expect(verifyChain(buildChain())).toEqual({ intact: true });
  });

  it('GIVEN an empty history THEN it is not intact: the history of a registered document begins with its registration', () => {
    expect(verifyChain([])).toEqual({ intact: false, seq: 1, problem: expect.stringContaining('empty') });
  });

  it('GIVEN a history whose registration event was removed and the rest re-chained THEN it is not intact', () => {
    const rest = buildChain().slice(1);
    const rechained: HistoryEvent[] = [];
    for (const { type, at: when, actor, data } of rest)
      rechained.push(chainEvent('doc-1', rechained.at(-1) ?? null, { type, at: when, actor, data }));
    expect(verifyChain(rechained)).toMatchObject({
      intact: false,
      seq: 1,
      problem: expect.stringContaining('begin'),
    });
  });

  it('GIVEN an event whose data was changed afterwards THEN it is not intact, at that event', () => {
    const chain = buildChain();
    const tampered = at(chain, 1);
    chain[1] = { ...tampered, data: { ...tampered.data, regNumber: '01-05/11181' } };
    const verdict = verifyChain(chain);
    expect(verdict).toMatchObject({ intact: false, seq: 2 });
    expect(verdict.intact ? '' : verdict.problem).toMatch(/hash/);
  });

  it('GIVEN an event whose actor was changed THEN it is not intact', () => {
    const chain = buildChain();
    chain[0] = { ...at(chain, 0), actor: { sub: 'someone-else', role: 'clerk' } };
    expect(verifyChain(chain)).toMatchObject({ intact: false, seq: 1 });
  });

  it('GIVEN a middle event deleted THEN it is not intact, at the event after the gap', () => {
    const chain = buildChain();
    chain.splice(1, 1);
    const verdict = verifyChain(chain);
    expect(verdict).toMatchObject({ intact: false, seq: 3 });
    expect(verdict.intact ? '' : verdict.problem).toBe('expected event 2');
  });

  it('GIVEN a middle event deleted and the rest renumbered THEN the broken link is found', () => {
    const chain = buildChain();
    chain.splice(1, 1);
    const renumbered = chain.map((e, i) => ({ ...e, seq: i + 1 }));
    const verdict = verifyChain(renumbered);
    expect(verdict.intact).toBe(false);
    expect(verdict).toMatchObject({ seq: 2 });
  });

  it('GIVEN two events swapped THEN it is not intact', () => {
    const chain = buildChain();
    const [second, third] = [at(chain, 1), at(chain, 2)];
    chain[1] = third;
    chain[2] = second;
    const verdict = verifyChain(chain);
    expect(verdict).toMatchObject({ intact: false, seq: 3 });
    expect(verdict.intact ? '' : verdict.problem.length).toBeGreaterThan(0);
  });

  it('GIVEN two events swapped with their seq numbers swapped back THEN the links give it away', () => {
    const chain = buildChain();
    const [second, third] = [at(chain, 1), at(chain, 2)];
    chain[1] = { ...third, seq: 2 };
    chain[2] = { ...second, seq: 3 };
    expect(verifyChain(chain)).toMatchObject({ intact: false, seq: 2 });
  });

  it('GIVEN a forged hash on the last event THEN its content does not match', () => {
    const chain = buildChain();
    const last = at(chain, 3);
    chain[3] = { ...last, hash: 'f'.repeat(64) };
    const verdict = verifyChain(chain);
    expect(verdict).toMatchObject({ intact: false, seq: 4 });
    expect(verdict.intact ? '' : verdict.problem).toBe('its content does not match its hash');
  });

  it('GIVEN a tampered event whose hash was recomputed THEN the next link breaks', () => {
    const chain = buildChain();
    const original = at(chain, 1);
    const { hash: _old, ...unhashed } = { ...original, data: { regNumber: '01-05/99999', seq: 99999 } };
    const rehashed = createHash('sha256').update(canonicalJson(unhashed)).digest('hex');
    chain[1] = { ...unhashed, hash: rehashed };
    const verdict = verifyChain(chain);
    expect(verdict).toMatchObject({ intact: false, seq: 3 });
    expect(verdict.intact ? '' : verdict.problem).toBe('does not link to the event before it');
  });

  it('GIVEN a first event that does not start at genesis THEN it is not intact', () => {
    const chain = buildChain();
    chain.shift();
    expect(verifyChain(chain)).toMatchObject({ intact: false, seq: 2 });
  });
});
