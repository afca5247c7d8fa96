import {
  type Blob,
  type BlobStore,
  isWriteOnceKey,
  WriteOnceError,
} from '../../functions/ports/blob-store.ts';

/** A BlobStore in memory with the archive's write-once rule, for tests that need no S3. */
export function memoryBlobStore(): BlobStore & { readonly objects: Map<string, Blob> } {
  const objects = new Map<string, Blob>();
  const copy = (blob: Blob): Blob => ({ ...blob, bytes: Uint8Array.from(blob.bytes) });
  return {
    objects,
    async get(key) {
      const blob = objects.get(key);
      return blob === undefined ? null : copy(blob);
    },
    async exists(key) {
      return objects.has(key);
    },
    async put(key, blob) {
      if (isWriteOnceKey(key) && objects.has(key)) throw new WriteOnceError(key, 'overwrite');
      objects.set(key, copy(blob));
    },
    async putIfAbsent(key, blob) {
      if (objects.has(key)) return false;
      objects.set(key, copy(blob));
      return true;
    },
    async delete(key) {
      if (isWriteOnceKey(key)) throw new WriteOnceError(key, 'delete');
      objects.delete(key);
    },
    async setLegalHold(key) {
      if (!objects.has(key)) throw new Error(`${key}: no such object`);
      return 'write_once';
    },
    async *list(prefix) {
      yield* [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    },
  };
}
