export { type S3BlobStoreOptions, s3BlobStore } from './blob-store.ts';
export { createS3Client, type S3Connection } from './client.ts';
