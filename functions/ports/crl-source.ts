/**
 * Where CRLs come from besides the office's folder: the distribution points named in certificates
 * (Certificate.crlDistributionPoints). Verification itself is synchronous and never goes to the
 * network; a caller that wants fresh CRLs fetches them through this port first and passes them in
 * the trust list. No network adapter exists yet, and none is used by default.
 */
export interface CrlSource {
  /** The CRL's bytes (DER or PEM) from that URI, or null when it cannot be had now. */
  fetchCrl(uri: string): Promise<Uint8Array | null>;
}
