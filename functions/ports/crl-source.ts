/**
 * Where CRLs come from besides the office's folder: the distribution points named in certificates
 * (Certificate.crlDistributionPoints). Verification itself is synchronous and never goes to the
 * network; a caller that wants fresh CRLs fetches them through this port first and passes them in
 * the trust list (domain/signatures/crl-fetch.ts), where a fetched CRL is judged exactly like one
 * from the folder: its issuer and signature are checked. Off by default (`crlFetch` in the
 * configuration, `--fetch-crl` on the command line).
 */
import type { CrlFetchResult } from '../domain/signatures/crl-fetch.ts';

export type { CrlFetched, CrlFetchFailure, CrlFetchResult } from '../domain/signatures/crl-fetch.ts';

export interface CrlSource {
  /** The CRL's bytes (DER or PEM) from that URI, or why it cannot be had now. Never rejects. */
  fetchCrl(uri: string): Promise<CrlFetchResult>;
}
