/**
 * A CrlSource that keeps what another one fetched in the blob store, under
 * `crl-cache/<SHA-256 of the URL>` with the URL and when it was fetched. A cached CRL that is still
 * current (nextUpdate ahead) is answered without fetching; anything else is fetched again. Only a
 * body that reads as a CRL is cached. The cache is a convenience: when the store cannot be read or
 * written, the fetch goes on without it (and says so on `warn`).
 */
import { UnreadableInputError } from '../../domain/errors.ts';
import { readCrl } from '../../domain/signatures/crl.ts';
import { crlCacheKey, isCachedCrlCurrent } from '../../domain/signatures/crl-fetch.ts';
import type { BlobStore } from '../../ports/blob-store.ts';
import type { CrlSource } from '../../ports/crl-source.ts';

export interface CachedCrlSourceOptions {
  readonly source: CrlSource;
  readonly blobs: BlobStore;
  readonly now?: () => Date;
  /** How long a CRL without nextUpdate is kept. @default one hour */
  readonly maxAgeWithoutNextUpdateMs?: number;
  readonly warn?: (line: string) => void;
}

const metadataKeys = { url: 'crl-url', fetchedAt: 'fetched-at' } as const;

export function cachedCrlSource(options: CachedCrlSourceOptions): CrlSource {
  const {
    source,
    blobs,
    now = () => new Date(),
    maxAgeWithoutNextUpdateMs = 3600_000,
    warn = (line) => console.warn(line),
  } = options;
  const problem = (url: string, what: string, error: unknown) =>
    warn(
      JSON.stringify({
        level: 'warn',
        crlCache: what,
        url,
        message: error instanceof Error ? error.message : String(error),
      }),
    );
  return {
    async fetchCrl(url) {
      const key = crlCacheKey(url);
      const cached = await blobs.get(key).catch((error: unknown) => {
        problem(url, 'read failed, fetching', error);
        return null;
      });
      if (cached !== null && cached.metadata?.[metadataKeys.url] === url) {
        const fetchedAt = new Date(cached.metadata[metadataKeys.fetchedAt] ?? Number.NaN);
        const crl = readOrNull(cached.bytes);
        if (
          crl !== null &&
          !Number.isNaN(fetchedAt.getTime()) &&
          isCachedCrlCurrent(crl, fetchedAt, now(), maxAgeWithoutNextUpdateMs)
        ) {
          return { ok: true, url, bytes: cached.bytes, fetchedAt, fromCache: true };
        }
      }
      const fetched = await source.fetchCrl(url);
      if (!fetched.ok) return fetched;
      if (readOrNull(fetched.bytes) === null) {
        // Not cached; the caller reads it again and says what is wrong with it.
        return fetched;
      }
      await blobs
        .put(key, {
          bytes: fetched.bytes,
          contentType: 'application/pkix-crl',
          metadata: { [metadataKeys.url]: url, [metadataKeys.fetchedAt]: fetched.fetchedAt.toISOString() },
        })
        .catch((error: unknown) => problem(url, 'write failed', error));
      return fetched;
    },
  };
}

function readOrNull(bytes: Uint8Array) {
  try {
    return readCrl(bytes);
  } catch (error) {
    if (error instanceof UnreadableInputError) return null;
    throw error;
  }
}
