import type { ChainHead } from '../domain/anchors.ts';
import type { HistoryEvent } from '../domain/history.ts';

export interface EventLog {
  /**
   * Appends an event; refused with ConflictError when its sequence number is already taken. The
   * chain's head moves to it (a head left behind by a crash moves on with the next append).
   */
  append(event: HistoryEvent): Promise<void>;
  list(documentId: string): Promise<HistoryEvent[]>;
  last(documentId: string): Promise<HistoryEvent | null>;
  /** One event of a history, or null when there is none with that number. */
  at(documentId: string, seq: number): Promise<HistoryEvent | null>;
  /** Every history's head, page by page, in no particular order: what an anchor fixes. */
  heads(): AsyncIterable<ChainHead>;
}
