import type { DocumentSearch, SearchPage, SearchResult } from '../domain/document-search.ts';
import type { DocumentCard } from '../domain/documents.ts';

export interface DocumentStore {
  get(id: string): Promise<DocumentCard | null>;
  /** Writes a new card; a second write with the same id is refused with ConflictError. */
  create(card: DocumentCard): Promise<void>;
  /**
   * Replaces a card, only if it still stands at `expectedRevision` (0 for a card never changed since
   * its registration); otherwise ConflictError, and nothing is written.
   */
  replace(card: DocumentCard, expectedRevision: number): Promise<void>;
  /** Documents on control whose control date is on or before `controlDateUntil`, earliest first (an index read). */
  onControl(controlDateUntil: string, limit: number): Promise<DocumentCard[]>;
  /** Documents taken off control (done or removed), latest first (an index read). */
  offControl(state: 'done' | 'removed', limit: number): Promise<DocumentCard[]>;
  /** Replies awaiting their signature, longest waiting first (an index read). */
  awaitingSignature(limit: number): Promise<DocumentCard[]>;
  /** Replies held by a finalization whose lease ended before `before` (an index read), at most `limit`. */
  heldSignings(before: string, limit: number): Promise<{ readonly id: string; readonly attempt: string }[]>;
  /** Incoming documents registered from `from` to `to` (inclusive dates), page by page (an index read). */
  registeredBetween(from: string, to: string): AsyncIterable<DocumentCard>;
  /** Every document's id, page by page: for an auditor's whole-store verification, not for the workflows. */
  allIds(): AsyncIterable<string>;
  /**
   * One page of a search (GET /v1/documents), read from the index planSearch picks, in the search
   * order; `next` points just after the last item returned. A page reads a bounded number of index
   * pages, so it may hold fewer than `limit` items and still have a `next`.
   */
  search(query: DocumentSearch, page: SearchPage): Promise<SearchResult>;
  findByRegNumber(regNumber: string): Promise<DocumentCard[]>;
  findByTheirRef(theirNumber: string): Promise<DocumentCard[]>;
}
