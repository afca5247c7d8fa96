export type ClaimResult =
  | { readonly claimed: true }
  | { readonly claimed: false; readonly holder: string; readonly claimedAt: string };

/** Keys that only one document may hold, such as a correspondent's number and date. */
export interface ClaimStore {
  /** Claims `key` for `holder`; succeeds again for the same holder, otherwise says who holds it. */
  claim(key: string, holder: string, at: string): Promise<ClaimResult>;
  /** Moves a claim from a holder that died before finishing; false when `from` no longer holds it. */
  takeOver(key: string, from: string, to: string, at: string): Promise<boolean>;
  /** Gives up a claim, if `holder` still holds it. */
  release(key: string, holder: string): Promise<void>;
}
