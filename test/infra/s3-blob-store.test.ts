import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client, s3BlobStore } from '../../functions/adapters/s3/index.ts';
import { type BlobStore, WriteOnceError } from '../../functions/ports/blob-store.ts';
import { localBucketNames } from '../../infra/resources.ts';

/**
 * The BlobStore's S3 adapter against the embedded s3rver, started as infra/local/stack.ts starts
 * it: bytes come back as written (no aws-chunked framing), and under archive/ nothing is
 * overwritten or deleted, although s3rver itself ignores Object Lock.
 */

let directory = '';
let s3: S3rver;
let client: S3Client;
let blobs: BlobStore;
const bucket = localBucketNames('blob-test').archive;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'docroute-s3-'));
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = (await s3.run()) as AddressInfo;
  client = createS3Client({ endpoint: `http://127.0.0.1:${address.port}` });
  blobs = s3BlobStore({ client, bucket, emulated: true });
});

afterAll(async () => {
  client?.destroy();
  await s3?.close();
  if (directory !== '') await rm(directory, { recursive: true, force: true });
});

const blob = (
  bytes: Uint8Array,
  contentType = 'application/octet-stream',
  metadata?: Record<string, string>,
) => ({
  bytes,
  contentType,
  ...(metadata === undefined ? {} : { metadata }),
});

describe('S3 blob store on the embedded s3rver', () => {
  it('GIVEN 300 KB of random bytes with a content type and metadata THEN they come back byte for byte', async () => {
    const bytes = new Uint8Array(randomBytes(300 * 1024));
    await blobs.put(
      'crl-cache/abc',
      blob(bytes, 'application/pkix-crl', {
        'crl-url': 'http://ca.example/ca.crl',
        'fetched-at': '2026-12-01T00:00:00.000Z',
      }),
    );
    const read = await blobs.get('crl-cache/abc');
    expect(read?.contentType).toBe('application/pkix-crl');
    expect(read?.metadata).toMatchObject({
      'crl-url': 'http://ca.example/ca.crl',
      'fetched-at': '2026-12-01T00:00:00.000Z',
    });
    expect(Buffer.from(read?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
    expect(await blobs.exists('crl-cache/abc')).toBe(true);
  });

  it('GIVEN no object THEN get is null and exists is false', async () => {
    expect(await blobs.get('crl-cache/none')).toBeNull();
    expect(await blobs.exists('crl-cache/none')).toBe(false);
    expect(await blobs.get('archive/none')).toBeNull();
  });

  it('GIVEN an object outside archive/ THEN it may be overwritten and deleted', async () => {
    await blobs.put('crl-cache/x', blob(new Uint8Array([1])));
    await blobs.put('crl-cache/x', blob(new Uint8Array([2, 3])));
    expect((await blobs.get('crl-cache/x'))?.bytes).toEqual(new Uint8Array([2, 3]));
    expect(await blobs.putIfAbsent('crl-cache/x', blob(new Uint8Array([4])))).toBe(false);
    await blobs.delete('crl-cache/x');
    expect(await blobs.exists('crl-cache/x')).toBe(false);
    await blobs.delete('crl-cache/x'); // nothing there: no error
  });

  it('GIVEN an archived object THEN an overwrite is refused with WriteOnceError and the original stays', async () => {
    const key = 'archive/2021/outgoing/07-04-11180/reply.pdf';
    await blobs.put(key, blob(new TextEncoder().encode('подлинник'), 'application/pdf'));
    const overwrite = blobs.put(key, blob(new TextEncoder().encode('подмена'), 'application/pdf'));
    await expect(overwrite).rejects.toBeInstanceOf(WriteOnceError);
    await expect(overwrite).rejects.toThrow(/write-once/);
    expect(new TextDecoder().decode((await blobs.get(key))?.bytes)).toBe('подлинник');
  });

  it('GIVEN an archived object THEN putIfAbsent leaves it and says so', async () => {
    const key = 'archive/2021/outgoing/07-04-11181/reply.sig';
    expect(await blobs.putIfAbsent(key, blob(new Uint8Array([1, 2, 3])))).toBe(true);
    expect(await blobs.putIfAbsent(key, blob(new Uint8Array([9])))).toBe(false);
    expect((await blobs.get(key))?.bytes).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('GIVEN concurrent writes of one archive key THEN exactly one is written', async () => {
    const key = 'archive/2021/outgoing/07-04-11182/manifest.json';
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => blobs.putIfAbsent(key, blob(new Uint8Array([i])))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect((await blobs.get(key))?.bytes).toEqual(new Uint8Array([winner]));
  });

  it('GIVEN an archived object THEN a delete is refused and it stays', async () => {
    const key = 'archive/2021/outgoing/07-04-11183/reply.pdf';
    await blobs.put(key, blob(new Uint8Array([7])));
    await expect(blobs.delete(key)).rejects.toBeInstanceOf(WriteOnceError);
    await expect(blobs.delete('archive/never-written')).rejects.toBeInstanceOf(WriteOnceError);
    expect(await blobs.exists(key)).toBe(true);
  });
});
