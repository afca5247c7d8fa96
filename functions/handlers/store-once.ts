import { sha256Hex } from '../domain/archive.ts';
import { ConflictError } from '../domain/errors.ts';
import type { Blob, BlobStore } from '../ports/blob-store.ts';

/**
 * Writes the object unless it is there; one already there must be these very bytes (a retry of
 * this step), else two versions raced for the same key and this one must not claim it.
 */
export async function storeOnce(blobs: BlobStore, key: string, blob: Blob): Promise<void> {
  if (await blobs.putIfAbsent(key, blob)) return;
  const existing = await blobs.get(key);
  if (existing === null || sha256Hex(existing.bytes) !== sha256Hex(blob.bytes))
    throw new ConflictError(`${key} already holds other content`);
}
