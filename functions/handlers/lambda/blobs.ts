import { bucketEnvVar } from '../../../infra/resources.ts';
import { createS3Client, s3BlobStore } from '../../adapters/s3/index.ts';
import { type DepFactory, once } from './factory.ts';

/** One S3 client per container, for the archive bucket and (check-signature) the CRL cache. */
export const s3Client = once(() => createS3Client());

/** Drafts and the write-once archive: the archive bucket CDK names. */
export const blobs: DepFactory<'blobs'> = once(() =>
  s3BlobStore({ client: s3Client(), bucket: process.env[bucketEnvVar('archive')] ?? '' }),
);
