import type { TrustList } from '../domain/signatures/trust-list.ts';

/** The office's trust anchors and CRLs as they stand now (CRLs are reissued, so a source may reload). */
export type TrustSource = () => Promise<TrustList>;
