import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3Connection {
  /** Set for the embedded store (s3rver); left out in AWS, where the SDK finds the regional endpoint. */
  readonly endpoint?: string;
  readonly region?: string;
  /**
   * The endpoint is an S3-compatible service of its own (MinIO, AWS, another s3rver), not the embedded
   * store: these credentials or, left out, the SDK's usual chain; path-style bucket addressing.
   */
  readonly external?: { readonly credentials?: { accessKeyId: string; secretAccessKey: string } };
}

/** The one way docroute makes an S3 client: in AWS, or for the embedded s3rver. */
export function createS3Client(connection: S3Connection = {}): S3Client {
  const config: S3ClientConfig = {
    region: connection.region ?? process.env['AWS_REGION'] ?? 'us-east-1',
  };
  if (connection.external !== undefined) {
    if (connection.region === undefined) delete config.region;
    if (connection.endpoint !== undefined) {
      config.endpoint = connection.endpoint;
      // MinIO and most S3-compatible services answer only path-style requests (host/bucket/key).
      config.forcePathStyle = true;
    }
    if (connection.external.credentials !== undefined) config.credentials = connection.external.credentials;
  } else if (connection.endpoint !== undefined) {
    config.endpoint = connection.endpoint;
    // s3rver takes only these credentials and paths, not virtual-hosted bucket names.
    config.credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    config.forcePathStyle = true;
    // With the SDK's defaults a body goes aws-chunked with a checksum trailer, and s3rver stores the
    // chunk framing as the object (PLATFORM-NOTES.md): checksums only where an operation needs them.
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  return new S3Client(config);
}
