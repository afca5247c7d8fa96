import {
  type AnchorManifest,
  anchorFormat,
  anchorManifestsPrefix,
  type ChainHead,
  checkAgainstAnchor,
  chunkFor,
  leafHash,
  merkleRoot,
  parseChunk,
  sha256Hex,
} from '../domain/anchors.ts';
import { type HistoryEvent, type HistoryVerdict, verifyHistory } from '../domain/history.ts';
import type { BlobStore } from '../ports/blob-store.ts';

/** An anchor as read back from the archive: its manifest, the hash of its stored bytes, its key. */
export interface StoredAnchor {
  readonly manifest: AnchorManifest;
  readonly sha256: string;
  readonly key: string;
}

/** An anchor object that does not hold what its manifest says: evidence tampered with or lost. */
export class AnchorDamagedError extends Error {
  override readonly name = 'AnchorDamagedError';
}

async function readManifest(blobs: BlobStore, key: string): Promise<StoredAnchor> {
  const blob = await blobs.get(key);
  if (blob === null) throw new AnchorDamagedError(`${key} is listed but cannot be read`);
  let manifest: AnchorManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(blob.bytes)) as AnchorManifest;
  } catch {
    throw new AnchorDamagedError(`${key} is not JSON`);
  }
  if (manifest.format !== anchorFormat || !Array.isArray(manifest.chunks))
    throw new AnchorDamagedError(`${key} is not a docroute anchor`);
  return { manifest, sha256: sha256Hex(blob.bytes), key };
}

/** The latest anchor, or null before the first. Anchor keys sort in number order. */
export async function latestAnchor(blobs: BlobStore): Promise<StoredAnchor | null> {
  let last: string | undefined;
  for await (const key of blobs.list(anchorManifestsPrefix)) last = key;
  return last === undefined ? null : readManifest(blobs, last);
}

/** Every anchor, first to last. */
export async function* allAnchors(blobs: BlobStore): AsyncIterable<StoredAnchor> {
  for await (const key of blobs.list(anchorManifestsPrefix)) yield readManifest(blobs, key);
}

async function readChunk(blobs: BlobStore, chunk: AnchorManifest['chunks'][number]): Promise<ChainHead[]> {
  const blob = await blobs.get(chunk.key);
  if (blob === null) throw new AnchorDamagedError(`${chunk.key} is missing`);
  if (sha256Hex(blob.bytes) !== chunk.sha256)
    throw new AnchorDamagedError(`${chunk.key} does not match the hash its anchor gives`);
  return parseChunk(blob.bytes);
}

/** Every leaf of an anchor, by document id. */
export async function leavesOf(blobs: BlobStore, anchor: StoredAnchor): Promise<Map<string, ChainHead>> {
  const leaves = new Map<string, ChainHead>();
  for (const chunk of anchor.manifest.chunks)
    for (const leaf of await readChunk(blobs, chunk)) leaves.set(leaf.documentId, leaf);
  return leaves;
}

/** The leaf an anchor holds for one document (one chunk read), or null when it holds none. */
export async function leafOf(
  blobs: BlobStore,
  anchor: StoredAnchor,
  documentId: string,
): Promise<ChainHead | null> {
  const chunk = chunkFor(anchor.manifest, documentId);
  if (chunk === undefined) return null;
  return (await readChunk(blobs, chunk)).find((leaf) => leaf.documentId === documentId) ?? null;
}

/** An anchor against its own objects: every chunk's hash, the count, and the Merkle root. */
export async function checkAnchorContent(blobs: BlobStore, anchor: StoredAnchor): Promise<string | null> {
  try {
    const hashes: Buffer[] = [];
    let previousId = '';
    for (const chunk of anchor.manifest.chunks)
      for (const leaf of await readChunk(blobs, chunk)) {
        if (leaf.documentId <= previousId)
          return `anchor ${anchor.manifest.number}: its leaves are out of order`;
        previousId = leaf.documentId;
        hashes.push(leafHash(leaf));
      }
    if (hashes.length !== anchor.manifest.chains)
      return `anchor ${anchor.manifest.number} names ${anchor.manifest.chains} histories but holds ${hashes.length}`;
    if (merkleRoot(hashes) !== anchor.manifest.root)
      return `anchor ${anchor.manifest.number}: its leaves do not give its root`;
    return null;
  } catch (error) {
    if (error instanceof AnchorDamagedError) return `anchor ${anchor.manifest.number}: ${error.message}`;
    throw error;
  }
}

/** Where the latest anchor fixed a history: null when the history is newer than every anchor. */
export type AnchoredAt = { readonly number: number; readonly at: string; readonly seq: number } | null;

export type AnchoredVerdict =
  | (Extract<HistoryVerdict, { ok: true }> & { readonly anchor: AnchoredAt })
  | Extract<HistoryVerdict, { ok: false }>;

/**
 * A document's history against itself, its card, and the latest anchor: the chain must still hold
 * the event that anchor fixed, so a history cut short or rewritten with fresh hashes is named even
 * when its card was made to match.
 */
export async function verifyAnchoredHistory(
  blobs: BlobStore,
  anchor: StoredAnchor | null,
  documentId: string,
  events: readonly HistoryEvent[],
  card: Parameters<typeof verifyHistory>[1],
): Promise<AnchoredVerdict> {
  const verdict = verifyHistory(events, card);
  if (!verdict.ok) return verdict;
  if (anchor === null) return { ...verdict, anchor: null };
  let leaf: ChainHead | null;
  try {
    leaf = await leafOf(blobs, anchor, documentId);
  } catch (error) {
    if (error instanceof AnchorDamagedError)
      return { ok: false, problem: `anchor ${anchor.manifest.number} cannot be read: ${error.message}` };
    throw error;
  }
  if (leaf === null) return { ...verdict, anchor: null };
  const problem = checkAgainstAnchor(events, leaf, anchor.manifest);
  if (problem !== null) return { ok: false, ...problem };
  return {
    ...verdict,
    anchor: { number: anchor.manifest.number, at: anchor.manifest.at, seq: leaf.seq },
  };
}
