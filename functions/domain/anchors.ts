import { createHash } from 'node:crypto';
import type { Actor } from './documents.ts';
import { canonicalJson, type HistoryEvent } from './history.ts';

/**
 * An anchor fixes every document's history at one moment: the last event of each chain (its
 * sequence number and hash, which through the chain's links commits to every event before it),
 * gathered under one Merkle root, linked to the anchor before it and written write-once. A history
 * later cut short or rewritten with fresh hashes no longer holds the event its last anchor names.
 */

/** The last event of one document's history. */
export interface ChainHead {
  readonly documentId: string;
  readonly seq: number;
  readonly hash: string;
}

/** A run of leaves, sorted by document id, stored as one object of JSON lines. */
export interface AnchorChunk {
  readonly key: string;
  readonly first: string;
  readonly last: string;
  readonly count: number;
  readonly sha256: string;
}

/** A history that no longer continues the one the previous anchor fixed: its old leaf is kept. */
export interface AnchorFinding {
  readonly documentId: string;
  /** The event the previous anchor fixed, which this anchor fixes again. */
  readonly anchoredSeq: number;
  readonly problem: string;
}

export interface AnchorManifest {
  readonly format: typeof anchorFormat;
  /** 1, 2, 3…: each anchor is written once under its number, after the one before it. */
  readonly number: number;
  readonly at: string;
  /** Who asked: the daily schedule, or an admin. */
  readonly requestedBy: Actor;
  readonly previous: { readonly number: number; readonly sha256: string } | null;
  readonly chains: number;
  /** The Merkle root over the leaves in document-id order (RFC 6962 hashing: 0x00 leaves, 0x01 nodes). */
  readonly root: string;
  readonly chunks: readonly AnchorChunk[];
  readonly findings: readonly AnchorFinding[];
}

export const anchorFormat = 'docroute-anchor/1';

/** Where anchors lie in the archive bucket: write-once, as the archive is. */
export const anchorsPrefix = 'anchors/';
export const anchorManifestsPrefix = `${anchorsPrefix}manifests/`;

/** `anchors/manifests/0000000042.json`: zero-padded, so that listing order is number order. */
export const anchorManifestKey = (number: number) =>
  `${anchorManifestsPrefix}${String(number).padStart(10, '0')}.json`;

/** Leaves are stored under their content's hash: a retried or raced anchor writes the same object. */
export const anchorChunkKey = (sha256: string) => `${anchorsPrefix}leaves/${sha256}.jsonl`;

export const leavesPerChunk = 1000;

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const leafPrefix = Uint8Array.of(0);
const nodePrefix = Uint8Array.of(1);

/** A leaf as canonical JSON (keys in order), written out directly: anchors hash many thousands. */
function leafJson(leaf: ChainHead): string {
  return `{"documentId":${JSON.stringify(leaf.documentId)},"hash":${JSON.stringify(leaf.hash)},"seq":${leaf.seq}}`;
}

export function leafHash(leaf: ChainHead): Buffer {
  return sha256(leafPrefix, leafJson(leaf));
}

/** The Merkle root of leaf hashes in their order; an odd node is carried up unchanged. */
export function merkleRoot(leaves: readonly Buffer[]): string {
  if (leaves.length === 0) return sha256('').toString('hex');
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Buffer;
      const right = level[i + 1];
      next.push(right === undefined ? left : sha256(nodePrefix, left, right));
    }
    level = next;
  }
  return (level[0] as Buffer).toString('hex');
}

const byDocumentId = (a: ChainHead, b: ChainHead) =>
  a.documentId < b.documentId ? -1 : a.documentId > b.documentId ? 1 : 0;

export function sortHeads(heads: ChainHead[]): ChainHead[] {
  return heads.sort(byDocumentId);
}

/**
 * What the next anchor must look up before it can fix a head: for each document whose head moved
 * since the previous anchor, the event at the sequence number that anchor fixed, to see that the
 * new head continues the same chain.
 */
export function headsToCheck(
  previous: ReadonlyMap<string, ChainHead>,
  heads: readonly ChainHead[],
): { documentId: string; seq: number }[] {
  return heads
    .filter((head) => {
      const before = previous.get(head.documentId);
      return before !== undefined && head.seq > before.seq;
    })
    .map((head) => ({ documentId: head.documentId, seq: (previous.get(head.documentId) as ChainHead).seq }));
}

/**
 * The leaves of the next anchor: each document's current head when its history continues the one
 * the previous anchor fixed (or is new), else the previous leaf again with a finding. `eventHashAt`
 * answers for the pairs `headsToCheck` named (null when that event is gone).
 */
export function nextLeaves(
  previous: ReadonlyMap<string, ChainHead>,
  heads: readonly ChainHead[],
  eventHashAt: (documentId: string, seq: number) => string | null,
  previousNumber: number,
): { leaves: ChainHead[]; findings: AnchorFinding[] } {
  const leaves: ChainHead[] = [];
  const findings: AnchorFinding[] = [];
  const seen = new Set<string>();
  const keep = (before: ChainHead, problem: string) => {
    leaves.push(before);
    findings.push({ documentId: before.documentId, anchoredSeq: before.seq, problem });
  };
  for (const head of heads) {
    seen.add(head.documentId);
    const before = previous.get(head.documentId);
    if (before === undefined) leaves.push(head);
    else if (head.seq < before.seq)
      keep(
        before,
        `the history ends at event ${head.seq}, but anchor ${previousNumber} fixed it at event ${before.seq}: events were removed`,
      );
    else if (head.seq === before.seq) {
      if (head.hash === before.hash) leaves.push(head);
      else
        keep(
          before,
          `event ${head.seq} is not the one anchor ${previousNumber} fixed: the history was rewritten`,
        );
    } else {
      const then = eventHashAt(head.documentId, before.seq);
      if (then === before.hash) leaves.push(head);
      else
        keep(
          before,
          then === null
            ? `event ${before.seq}, fixed by anchor ${previousNumber}, is gone from the history`
            : `event ${before.seq} is not the one anchor ${previousNumber} fixed: the history was rewritten`,
        );
    }
  }
  for (const before of previous.values())
    if (!seen.has(before.documentId))
      keep(before, `the history fixed by anchor ${previousNumber} at event ${before.seq} is gone`);
  return { leaves: sortHeads(leaves), findings };
}

/** Leaves in runs of `leavesPerChunk`, each as JSON lines with its hash and range. */
export function chunkLeaves(
  leaves: readonly ChainHead[],
  size = leavesPerChunk,
): { chunk: AnchorChunk; bytes: Uint8Array }[] {
  const chunks: { chunk: AnchorChunk; bytes: Uint8Array }[] = [];
  for (let start = 0; start < leaves.length; start += size) {
    const run = leaves.slice(start, start + size);
    const bytes = new TextEncoder().encode(run.map((leaf) => `${leafJson(leaf)}\n`).join(''));
    const hash = sha256(bytes).toString('hex');
    chunks.push({
      bytes,
      chunk: {
        key: anchorChunkKey(hash),
        first: (run[0] as ChainHead).documentId,
        last: (run[run.length - 1] as ChainHead).documentId,
        count: run.length,
        sha256: hash,
      },
    });
  }
  return chunks;
}

export function buildManifest(input: {
  readonly number: number;
  readonly at: Date;
  readonly requestedBy: Actor;
  readonly previous: { readonly number: number; readonly sha256: string } | null;
  readonly leaves: readonly ChainHead[];
  readonly chunks: readonly AnchorChunk[];
  readonly findings: readonly AnchorFinding[];
}): AnchorManifest {
  return {
    format: anchorFormat,
    number: input.number,
    at: input.at.toISOString(),
    requestedBy: input.requestedBy,
    previous: input.previous,
    chains: input.leaves.length,
    root: merkleRoot(input.leaves.map(leafHash)),
    chunks: input.chunks,
    findings: input.findings,
  };
}

/** The manifest as it is stored; its SHA-256 is what the next anchor links to. */
export function manifestBytes(manifest: AnchorManifest): Uint8Array {
  return new TextEncoder().encode(`${canonicalJson(manifest)}\n`);
}

export function sha256Hex(bytes: Uint8Array): string {
  return sha256(bytes).toString('hex');
}

/** Parses a chunk's JSON lines; throws naming the line when one is not a leaf. */
export function parseChunk(bytes: Uint8Array): ChainHead[] {
  const lines = new TextDecoder().decode(bytes).split('\n');
  const leaves: ChainHead[] = [];
  lines.forEach((line, index) => {
    if (line === '') return;
    const leaf = JSON.parse(line) as Partial<ChainHead>;
    if (typeof leaf.documentId !== 'string' || typeof leaf.seq !== 'number' || typeof leaf.hash !== 'string')
      throw new Error(`line ${index + 1} is not a leaf`);
    leaves.push({ documentId: leaf.documentId, seq: leaf.seq, hash: leaf.hash });
  });
  return leaves;
}

/** The chunk whose range holds the document, by binary search over the sorted ranges. */
export function chunkFor(manifest: AnchorManifest, documentId: string): AnchorChunk | undefined {
  let low = 0;
  let high = manifest.chunks.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const chunk = manifest.chunks[middle] as AnchorChunk;
    if (documentId < chunk.first) high = middle - 1;
    else if (documentId > chunk.last) low = middle + 1;
    else return chunk;
  }
  return undefined;
}

/** Whether a history still holds the event an anchor fixed; the problem when it does not. */
export function checkAgainstAnchor(
  events: readonly HistoryEvent[],
  leaf: ChainHead,
  anchor: { readonly number: number; readonly at: string },
): { readonly seq: number; readonly problem: string } | null {
  const event = events.find((e) => e.seq === leaf.seq);
  const when = `anchor ${anchor.number} of ${anchor.at}`;
  if (event === undefined)
    return {
      seq: leaf.seq,
      problem: `event ${leaf.seq}, fixed by ${when}, is missing: the history was cut short after it was anchored`,
    };
  if (event.hash !== leaf.hash)
    return {
      seq: leaf.seq,
      problem: `event ${leaf.seq} is not the one ${when} fixed: the history was rewritten after it was anchored`,
    };
  return null;
}

/**
 * The anchors' own chain, in number order: numbers without gaps, each linked to the hash of the one
 * before it. Returns the first problem, or null.
 */
export function verifyAnchorLinks(
  anchors: readonly { readonly manifest: AnchorManifest; readonly sha256: string }[],
): string | null {
  let before: { readonly manifest: AnchorManifest; readonly sha256: string } | undefined;
  for (const anchor of anchors) {
    const { manifest } = anchor;
    const expected = before === undefined ? 1 : before.manifest.number + 1;
    if (manifest.number !== expected) return `anchor ${expected} is missing`;
    if (before === undefined ? manifest.previous !== null : manifest.previous?.sha256 !== before.sha256)
      return `anchor ${manifest.number} does not link to anchor ${expected - 1}`;
    before = anchor;
  }
  return null;
}
