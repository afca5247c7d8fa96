/**
 * The BlobStore port on S3: one bucket, objects by key. Under `archive/` nothing is deleted or
 * overwritten: in AWS the bucket's Object Lock keeps every version, and a write there is
 * conditional (If-None-Match: *) so that a second write under the same key is refused rather than
 * stacked as a new version; the embedded s3rver accepts Object Lock headers and ignores them, and
 * ignores If-None-Match too, so with `emulated` the adapter looks before it writes (serialised per
 * key within the process, which is the only writer of the local store).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type Blob, type BlobStore, isWriteOnceKey, WriteOnceError } from '../../ports/blob-store.ts';

export interface S3BlobStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /**
   * The store is the embedded s3rver: conditional writes are checked by the adapter (HEAD first)
   * instead of by S3. @default false
   */
  readonly emulated?: boolean;
}

export function s3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { client, bucket, emulated = false } = options;
  const locks = new Map<string, Promise<unknown>>();
  /** One write at a time per key, so that look-then-write holds within this process. */
  const serialised = <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const before = locks.get(key) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(run);
    locks.set(key, next);
    return next.finally(() => {
      if (locks.get(key) === next) locks.delete(key);
    });
  };

  const exists = async (key: string): Promise<boolean> => {
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  };

  /** Writes when nothing is under the key; false when something was. */
  const writeIfAbsent = (key: string, blob: Blob): Promise<boolean> =>
    serialised(key, async () => {
      if (emulated && (await exists(key))) return false;
      try {
        await client.send(putCommand(bucket, key, blob, !emulated));
        return true;
      } catch (error) {
        if (isPreconditionFailed(error)) return false;
        throw error;
      }
    });

  return {
    async get(key) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = answer.Body === undefined ? new Uint8Array() : await answer.Body.transformToByteArray();
        return {
          bytes,
          contentType: answer.ContentType ?? 'application/octet-stream',
          metadata: { ...(answer.Metadata ?? {}) },
        };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    exists,
    async put(key, blob) {
      if (isWriteOnceKey(key)) {
        if (!(await writeIfAbsent(key, blob))) throw new WriteOnceError(key, 'overwrite');
        return;
      }
      await serialised(key, () => client.send(putCommand(bucket, key, blob, false)));
    },
    putIfAbsent: writeIfAbsent,
    async delete(key) {
      if (isWriteOnceKey(key)) throw new WriteOnceError(key, 'delete');
      await serialised(key, () => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
    },
    async setLegalHold(key, on) {
      if (!isWriteOnceKey(key)) throw new Error(`${key}: only write-once objects are held`);
      // The embedded s3rver has no Object Lock; there nothing write-once is ever deleted.
      if (emulated) return 'write_once';
      await client.send(
        new PutObjectLegalHoldCommand({ Bucket: bucket, Key: key, LegalHold: { Status: on ? 'ON' : 'OFF' } }),
      );
      return 'object_lock';
    },
    async *list(prefix) {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    },
  };
}

function putCommand(bucket: string, key: string, blob: Blob, conditional: boolean): PutObjectCommand {
  return new PutObjectCommand({
    Bucket: bucket,
    Key: key,
    Body: blob.bytes,
    ContentType: blob.contentType,
    ContentLength: blob.bytes.length,
    ...(blob.metadata === undefined ? {} : { Metadata: { ...blob.metadata } }),
    ...(conditional ? { IfNoneMatch: '*' } : {}),
  });
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}

/** 412: something is already under the key; 409: another conditional write to it is under way. */
function isPreconditionFailed(error: unknown): boolean {
  const status = statusOf(error);
  return status === 412 || status === 409;
}
