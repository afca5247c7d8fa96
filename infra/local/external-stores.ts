/**
 * `npm start` on stores that already exist (DOCROUTE_DYNAMODB_ENDPOINT, DOCROUTE_S3_ENDPOINT): the
 * settings that name them, and what the stack checks and creates there at start.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  type CreateBucketCommandInput,
  DeleteObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ConfigFileError } from '../../functions/adapters/config/load-config.ts';
import type { BucketNames } from '../resources.ts';
import { StartupError } from './startup-error.ts';

export type EndpointVariable = 'DOCROUTE_DYNAMODB_ENDPOINT' | 'DOCROUTE_S3_ENDPOINT';

/** A DynamoDB- or S3-compatible service docroute uses instead of its embedded one. */
export interface ExternalEndpoint {
  /** The environment variable that named it: every message about the endpoint names it too. */
  readonly variable: EndpointVariable;
  readonly endpoint: string;
  /** Left out: the SDK's chain (AWS_REGION, a profile's region). */
  readonly region?: string;
  /** Left out: the SDK's chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, ...). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface StoreSettings {
  /** Starts every table and bucket name (`<prefix>-documents`, `<prefix>-archive`). */
  readonly prefix: string;
  readonly dynamodb?: ExternalEndpoint;
  readonly s3?: ExternalEndpoint;
}

export const defaultStorePrefix = 'docroute';

/** Reads DOCROUTE_DYNAMODB_ENDPOINT, DOCROUTE_S3_ENDPOINT and DOCROUTE_STORE_PREFIX. */
export function storeSettingsFrom(env: Readonly<Record<string, string | undefined>>): StoreSettings {
  const prefix = env['DOCROUTE_STORE_PREFIX'] ?? defaultStorePrefix;
  const problem = prefixProblem(prefix);
  if (problem !== null) throw new ConfigFileError(`DOCROUTE_STORE_PREFIX: ${problem}, got '${prefix}'`);
  const dynamodb = endpointFrom(env, 'DOCROUTE_DYNAMODB_ENDPOINT', {
    accessKeyId: 'local',
    secretAccessKey: 'local',
  });
  // The embedded s3rver's own keys: another s3rver started as a stand-in takes the same.
  const s3 = endpointFrom(env, 'DOCROUTE_S3_ENDPOINT', { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
  return { prefix, ...(dynamodb === undefined ? {} : { dynamodb }), ...(s3 === undefined ? {} : { s3 }) };
}

/**
 * Why a prefix cannot start docroute's names, or null. The bucket names (`<prefix>-archive`) must be
 * valid S3 names: lower-case letters, digits and hyphens, at most 63 characters. On AWS they must
 * also be unique across every account, which only creating the bucket can tell.
 */
export function prefixProblem(prefix: string): string | null {
  const longest = `${prefix}-archive`;
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(prefix))
    return 'must be lower-case letters, digits and hyphens, starting and ending with a letter or digit (it starts S3 bucket names)';
  if (longest.length > 63)
    return `must be at most ${63 - '-archive'.length} characters (bucket names have at most 63)`;
  if (prefix.startsWith('xn--') || prefix.startsWith('sthree-'))
    return "must not start with 'xn--' or 'sthree-' (S3 reserves them)";
  return null;
}

function endpointFrom(
  env: Readonly<Record<string, string | undefined>>,
  variable: EndpointVariable,
  dummy: { accessKeyId: string; secretAccessKey: string },
): ExternalEndpoint | undefined {
  const value = env[variable];
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if (!(url.protocol === 'http:' || url.protocol === 'https:') || url.hostname === '')
    throw new ConfigFileError(
      `${variable}: must be an http:// or https:// address such as http://127.0.0.1:8000, got '${value}'`,
    );
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '')
    throw new ConfigFileError(
      `${variable}: must be the service's address only (scheme, host and port: no path, query or user), got '${value}'`,
    );
  const endpoint = `${url.protocol}//${url.host}`;
  const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? regionOfAwsHost(url.hostname);
  const local = isLoopback(url.hostname);
  const credentialsSet = ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE'].some(
    (name) => (env[name] ?? '') !== '',
  );
  return {
    variable,
    endpoint,
    // A service on this machine with nothing configured: what the embedded stack does (the region
    // only names the signature's scope there).
    ...(region !== undefined ? { region } : local ? { region: 'us-east-1' } : {}),
    ...(local && !credentialsSet ? { credentials: dummy } : {}),
  };
}

/** dynamodb.eu-central-1.amazonaws.com, s3.eu-central-1.amazonaws.com: the region is in the name. */
function regionOfAwsHost(hostname: string): string | undefined {
  return /^(?:dynamodb|s3)[.-](?:dualstack\.)?([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/.exec(
    hostname,
  )?.[1];
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname)
  );
}

/**
 * A failed first call to an external store, in words a user can act on: the variable, the endpoint,
 * and whether it could not be reached, refused the credentials, or had none to use.
 */
export function storeProblem(store: ExternalEndpoint, error: unknown): StartupError {
  const where = `${store.variable}=${store.endpoint}`;
  const name = (error as { name?: string } | null)?.name ?? '';
  const code = (error as NodeJS.ErrnoException | null)?.code ?? causeCode(error);
  const message = (error as Error | null)?.message ?? String(error);
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    (code !== undefined &&
      ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code))
  )
    return new StartupError(
      `${where}: cannot reach the service (${code ?? 'no answer in time'}); is it running?`,
    );
  if (name === 'CredentialsProviderError')
    return new StartupError(
      `${where}: no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)`,
    );
  if (/region is missing/i.test(message)) return new StartupError(`${where}: no AWS region (set AWS_REGION)`);
  if (
    [
      'UnrecognizedClientException',
      'InvalidSignatureException',
      'InvalidAccessKeyId',
      'SignatureDoesNotMatch',
      'AccessDeniedException',
      'AccessDenied',
      'Forbidden',
    ].includes(name)
  )
    return new StartupError(
      `${where}: the service refused the credentials or the request (${name}: ${message})`,
    );
  return new StartupError(`${where}: ${name || 'error'}: ${message}`);
}

function causeCode(error: unknown): string | undefined {
  let cause = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 5; depth++) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A first call should fail fast when nothing answers: a blackholed address would hang for minutes. */
export const firstCallTimeoutMs = 15_000;

/** How the archive is protected on an external S3, as the banner says it. */
export interface ArchiveProtection {
  /** `store`: the bucket's Object Lock refuses deletes itself; `docroute`: only the adapter refuses them. */
  readonly deletes: 'store' | 'docroute';
  /** `store`: the service honours If-None-Match; `docroute`: the adapter looks before it writes. */
  readonly overwrites: 'store' | 'docroute';
  readonly description: string;
}

/**
 * Creates the buckets that are missing (the archive with Object Lock and a default retention in
 * compliance mode, as the AWS stack has it, where the service supports it), and finds out how the
 * archive is protected. An existing bucket is used as it is.
 */
export async function ensureExternalBuckets(
  client: S3Client,
  store: ExternalEndpoint,
  names: BucketNames,
  retentionYears: number,
): Promise<ArchiveProtection> {
  const where = `${store.variable}=${store.endpoint}`;
  for (const [key, bucket] of Object.entries(names) as [keyof BucketNames, string][]) {
    if (await bucketExists(client, store, bucket)) continue;
    const input: CreateBucketCommandInput = { Bucket: bucket };
    // us-east-1 is the default and must not be named; any other AWS region must be.
    const region = await client.config.region();
    if (region !== 'us-east-1') input.CreateBucketConfiguration = { LocationConstraint: region as never };
    if (key === 'archive') input.ObjectLockEnabledForBucket = true;
    try {
      await client.send(new CreateBucketCommand(input));
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'BucketAlreadyOwnedByYou') continue;
      if (name === 'BucketAlreadyExists')
        throw new StartupError(
          `${where}: bucket ${bucket} belongs to someone else (S3 bucket names are unique across all accounts: set DOCROUTE_STORE_PREFIX)`,
        );
      throw storeProblem(store, error);
    }
    if (key === 'archive') {
      await client
        .send(
          new PutObjectLockConfigurationCommand({
            Bucket: bucket,
            ObjectLockConfiguration: {
              ObjectLockEnabled: 'Enabled',
              Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: retentionYears } },
            },
          }),
        )
        .catch(() => undefined); // not supported: the protection found below says so
    }
  }
  const lock = await client.send(new GetObjectLockConfigurationCommand({ Bucket: names.archive })).then(
    ({ ObjectLockConfiguration }) => ObjectLockConfiguration,
    () => undefined,
  );
  const retention = lock?.ObjectLockEnabled === 'Enabled' ? lock.Rule?.DefaultRetention : undefined;
  const overwrites = (await honoursIfNoneMatch(client, names.cache)) ? 'store' : 'docroute';
  const deletes = retention?.Mode !== undefined ? 'store' : 'docroute';
  const period = retention?.Years !== undefined ? `${retention.Years} years` : `${retention?.Days} days`;
  const description =
    deletes === 'store'
      ? `deletes refused by the store (Object Lock, ${retention?.Mode?.toLowerCase()} mode, ${period})`
      : lock?.ObjectLockEnabled === 'Enabled'
        ? 'deletes refused only by docroute (Object Lock is on but the bucket sets no default retention)'
        : 'deletes refused only by docroute (the store has no Object Lock on this bucket)';
  return {
    deletes,
    overwrites,
    description: `${description}; overwrites refused by ${overwrites === 'store' ? 'the store (conditional writes)' : 'docroute (this process looks before it writes)'}`,
  };
}

async function bucketExists(client: S3Client, store: ExternalEndpoint, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }), {
      abortSignal: AbortSignal.timeout(firstCallTimeoutMs),
    });
    return true;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return false;
    if (status === 403)
      throw new StartupError(
        `${store.variable}=${store.endpoint}: bucket ${bucket} exists but these credentials may not use it (on AWS it may be another account's: set DOCROUTE_STORE_PREFIX)`,
      );
    throw storeProblem(store, error);
  }
}

/** Writes a probe twice, the second time only if absent: a store that takes both ignores If-None-Match. */
async function honoursIfNoneMatch(client: S3Client, bucket: string): Promise<boolean> {
  const key = `docroute-probe/${randomUUID()}`;
  const put = (conditional: boolean) =>
    client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: new Uint8Array([1]),
        ContentLength: 1,
        ...(conditional ? { IfNoneMatch: '*' } : {}),
      }),
    );
  await put(false);
  try {
    return await put(true).then(
      () => false,
      (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode === 412,
    );
  } finally {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
  }
}
