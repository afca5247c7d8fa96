/**
 * Objects by key: the archive (`archive/…`, write-once) and caches such as fetched CRLs
 * (`crl-cache/…`). Bytes with their content type and a few short metadata strings.
 */

export interface Blob {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** Short ASCII strings kept with the object (S3 user metadata): lowercase keys. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The prefix under which every object is written once and never deleted (Object Lock in AWS). */
export const archivePrefix = 'archive/';

/** Write-once as the archive: the archive itself, and the anchors that fix every history. */
const writeOncePrefixes = [archivePrefix, 'anchors/'];

export function isWriteOnceKey(key: string): boolean {
  return writeOncePrefixes.some((prefix) => key.startsWith(prefix));
}

/** A delete or an overwrite under `archive/`, refused: the archive is write-once. */
export class WriteOnceError extends Error {
  override readonly name = 'WriteOnceError';
  constructor(
    readonly key: string,
    readonly attempted: 'overwrite' | 'delete',
  ) {
    super(
      `${key}: the archive is write-once; ${attempted === 'delete' ? 'a delete' : 'an overwrite'} is refused`,
    );
  }
}

export interface BlobStore {
  /** The object, or null when there is none under the key. */
  get(key: string): Promise<Blob | null>;
  exists(key: string): Promise<boolean>;
  /**
   * Writes the object. Elsewhere an existing object is replaced; under `archive/` an existing
   * object is never replaced: that throws WriteOnceError.
   */
  put(key: string, blob: Blob): Promise<void>;
  /**
   * Writes the object only when there is none under the key: true when written, false when one was
   * already there (left as it was). What a retried archiving step uses.
   */
  putIfAbsent(key: string, blob: Blob): Promise<boolean>;
  /** Removes the object (nothing when there is none); under `archive/` it throws WriteOnceError. */
  delete(key: string): Promise<void>;
  /** The keys under a prefix, in ascending order, page by page. */
  list(prefix: string): AsyncIterable<string>;
  /**
   * Puts a legal hold on a write-once object, or lifts it: while it is on, the object outlives its
   * retention. `object_lock` when the store enforces it (S3 Object Lock); `write_once` when the store
   * cannot hold (the embedded one), where nothing under the write-once prefixes is ever deleted.
   */
  setLegalHold(key: string, on: boolean): Promise<'object_lock' | 'write_once'>;
}
