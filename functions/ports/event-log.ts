import type { HistoryEvent } from '../domain/history.ts';

export interface EventLog {
  /** Appends an event; refused with ConflictError when its sequence number is already taken. */
  append(event: HistoryEvent): Promise<void>;
  list(documentId: string): Promise<HistoryEvent[]>;
  last(documentId: string): Promise<HistoryEvent | null>;
}
