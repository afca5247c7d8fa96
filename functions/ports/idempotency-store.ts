/** A stored answer, replayed to any retry that carries the same Idempotency-Key. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export type IdempotencyStart =
  | { readonly state: 'started' }
  | { readonly state: 'completed'; readonly response: StoredResponse }
  | { readonly state: 'in_progress' }
  | { readonly state: 'mismatch' };

export interface IdempotencyStore {
  /** Starts work under a key, or reports the earlier request that holds it. */
  begin(key: string, fingerprint: string, at: string): Promise<IdempotencyStart>;
  complete(key: string, response: StoredResponse): Promise<void>;
  /** Frees a key whose request failed before it changed anything, so a retry may run it again. */
  release(key: string): Promise<void>;
}
