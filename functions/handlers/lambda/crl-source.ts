import { bucketEnvVar } from '../../../infra/resources.ts';
import { cachedCrlSource } from '../../adapters/http/cached-crl-source.ts';
import { httpCrlSource } from '../../adapters/http/http-crl-source.ts';
import { s3BlobStore } from '../../adapters/s3/index.ts';
import { s3Client } from './blobs.ts';
import { type DepFactory, once } from './factory.ts';

/** Fetched CRLs are cached under crl-cache/ in the cache bucket, for the function that checks signatures. */
export const crlSource: DepFactory<'crlSource'> = once(() => {
  const bucket = process.env[bucketEnvVar('cache')];
  return bucket
    ? cachedCrlSource({ source: httpCrlSource(), blobs: s3BlobStore({ client: s3Client(), bucket }) })
    : undefined;
});
