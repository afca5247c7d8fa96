import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type AnchorManifest,
  buildManifest,
  type ChainHead,
  checkAgainstAnchor,
  chunkFor,
  chunkLeaves,
  headsToCheck,
  leafHash,
  manifestBytes,
  merkleRoot,
  nextLeaves,
  parseChunk,
  sha256Hex,
  verifyAnchorLinks,
} from '../../functions/domain/anchors.ts';
import { chainEvent, type HistoryEvent } from '../../functions/domain/history.ts';

const head = (documentId: string, seq: number, hash = `${documentId}-${seq}`): ChainHead => ({
  documentId,
  seq,
  hash,
});
const mapOf = (...leaves: ChainHead[]) => new Map(leaves.map((l) => [l.documentId, l]));
const node = (a: Buffer, b: Buffer) =>
  createHash('sha256').update(Uint8Array.of(1)).update(a).update(b).digest();

describe('merkleRoot', () => {
  it('hashes leaves and nodes apart, pairs in order and carries an odd node up', () => {
    const [a, b, c] = [head('a', 1), head('b', 2), head('c', 3)].map(leafHash) as [Buffer, Buffer, Buffer];
    expect(merkleRoot([a])).toBe(a.toString('hex'));
    expect(merkleRoot([a, b])).toBe(node(a, b).toString('hex'));
    expect(merkleRoot([a, b, c])).toBe(node(node(a, b), c).toString('hex'));
    expect(merkleRoot([b, a])).not.toBe(merkleRoot([a, b]));
  });

  it('changes when any leaf changes', () => {
    const leaves = Array.from({ length: 9 }, (_, i) => head(`d${i}`, i + 1));
    const root = merkleRoot(leaves.map(leafHash));
    for (let i = 0; i < leaves.length; i++) {
      const changed = leaves.map((l, j) => (j === i ? { ...l, seq: l.seq + 1 } : l));
      expect(merkleRoot(changed.map(leafHash))).not.toBe(root);
    }
  });
});

describe('nextLeaves', () => {
  const previous = mapOf(head('a', 3), head('b', 2), head('c', 5), head('d', 1), head('e', 4));
  const heads = [
    head('a', 3), // unchanged
    head('b', 4), // moved on along its chain
    head('c', 5, 'forged'), // same length, other content
    head('d', 3), // moved on, but over a rewritten event 1
    head('f', 1), // new
    // e is gone
  ];
  const atPrevious: Record<string, string> = { 'b#2': 'b-2', 'd#1': 'not d-1' };

  it('asks only about heads that moved on', () => {
    expect(headsToCheck(previous, heads)).toEqual([
      { documentId: 'b', seq: 2 },
      { documentId: 'd', seq: 1 },
    ]);
  });

  it('fixes heads that continue their anchored chain, keeps the anchored leaf of any that does not', () => {
    const { leaves, findings } = nextLeaves(
      previous,
      heads,
      (id, seq) => atPrevious[`${id}#${seq}`] ?? null,
      7,
    );
    expect(leaves).toEqual([
      head('a', 3),
      head('b', 4),
      head('c', 5),
      head('d', 1),
      head('e', 4),
      head('f', 1),
    ]);
    expect(findings.map((f) => [f.documentId, f.anchoredSeq])).toEqual([
      ['c', 5],
      ['d', 1],
      ['e', 4],
    ]);
    expect(findings[0]?.problem).toMatch(/event 5 is not the one anchor 7 fixed/);
    expect(findings[2]?.problem).toMatch(/gone/);
  });

  it('names a history cut short below its anchored event', () => {
    const { leaves, findings } = nextLeaves(mapOf(head('a', 3)), [head('a', 2)], () => null, 1);
    expect(leaves).toEqual([head('a', 3)]);
    expect(findings[0]?.problem).toMatch(/ends at event 2.*fixed it at event 3/);
  });

  it('names an anchored event that is gone though the head moved on', () => {
    const { findings } = nextLeaves(mapOf(head('a', 3)), [head('a', 5)], () => null, 1);
    expect(findings[0]?.problem).toMatch(/event 3, fixed by anchor 1, is gone/);
  });
});

describe('chunks and manifests', () => {
  const leaves = Array.from({ length: 25 }, (_, i) => head(`doc-${String(i).padStart(3, '0')}`, i + 1));

  it('splits leaves into hashed runs whose ranges find each document', () => {
    const chunks = chunkLeaves(leaves, 10);
    expect(chunks.map((c) => c.chunk.count)).toEqual([10, 10, 5]);
    for (const { chunk, bytes } of chunks) {
      expect(chunk.sha256).toBe(sha256Hex(bytes));
      expect(chunk.key).toBe(`anchors/leaves/${chunk.sha256}.jsonl`);
    }
    const manifest = buildManifest({
      number: 1,
      at: new Date('2026-12-01T20:50:00Z'),
      requestedBy: { sub: 'docroute', role: 'system' },
      previous: null,
      leaves,
      chunks: chunks.map((c) => c.chunk),
      findings: [],
    });
    for (const leaf of leaves) {
      const chunk = chunkFor(manifest, leaf.documentId);
      const found = chunks.find((c) => c.chunk === chunk);
      expect(parseChunk(found?.bytes ?? new Uint8Array())).toContainEqual(leaf);
    }
    expect(chunkFor(manifest, 'doc-0095')).toBeUndefined();
    expect(chunkFor(manifest, 'a')).toBeUndefined();
    expect(manifest.root).toBe(merkleRoot(leaves.map(leafHash)));
  });

  it('links anchors by the hash of the stored manifest, and names a gap or a broken link', () => {
    const make = (number: number, previous: AnchorManifest['previous']) =>
      buildManifest({
        number,
        at: new Date(Date.UTC(2026, 11, number)),
        requestedBy: { sub: 'docroute', role: 'system' },
        previous,
        leaves: [],
        chunks: [],
        findings: [],
      });
    const first = make(1, null);
    const firstHash = sha256Hex(manifestBytes(first));
    const second = make(2, { number: 1, sha256: firstHash });
    const stored = [first, second].map((m) => ({ manifest: m, sha256: sha256Hex(manifestBytes(m)) }));
    expect(verifyAnchorLinks(stored)).toBeNull();
    expect(verifyAnchorLinks([stored[1] as (typeof stored)[number]])).toBe('anchor 1 is missing');
    const forged = make(2, { number: 1, sha256: '0'.repeat(64) });
    expect(verifyAnchorLinks([stored[0] as (typeof stored)[number], { manifest: forged, sha256: 'x' }])).toBe(
      'anchor 2 does not link to anchor 1',
    );
  });
});

describe('checkAgainstAnchor', () => {
  const actor = { sub: 'clerk', role: 'clerk' };
  const events: HistoryEvent[] = [];
  for (let i = 0; i < 3; i++)
    events.push(
      chainEvent('doc', events.at(-1) ?? null, {
        type: i === 0 ? 'registered' : 'note',
        at: 't',
        actor,
        data: { i },
      }),
    );
  const anchor = { number: 4, at: '2026-12-01T20:50:00.000Z' };

  it('accepts a history that still holds the anchored event, grown or not', () => {
    expect(checkAgainstAnchor(events, head('doc', 2, events[1]?.hash), anchor)).toBeNull();
    expect(checkAgainstAnchor(events, head('doc', 3, events[2]?.hash), anchor)).toBeNull();
  });

  it('names the anchored event when it is missing or different', () => {
    expect(checkAgainstAnchor(events.slice(0, 2), head('doc', 3, events[2]?.hash), anchor)).toEqual({
      seq: 3,
      problem: expect.stringMatching(/event 3, fixed by anchor 4 .* is missing: the history was cut short/),
    });
    expect(checkAgainstAnchor(events, head('doc', 2, 'other'), anchor)?.problem).toMatch(/rewritten/);
  });
});

describe('leaf encoding', () => {
  it('is the canonical JSON of the leaf, whatever order its fields came in', async () => {
    const { canonicalJson } = await import('../../functions/domain/history.ts');
    const leaf = { seq: 12, hash: 'ab"c', documentId: 'д-1' };
    const bytes = chunkLeaves([leaf])[0]?.bytes ?? new Uint8Array();
    expect(new TextDecoder().decode(bytes)).toBe(`${canonicalJson(leaf)}\n`);
    expect(leafHash(leaf)).toEqual(
      createHash('sha256').update(Uint8Array.of(0)).update(canonicalJson(leaf)).digest(),
    );
  });
});
