import type { CounterRef, JournalEntry } from '../domain/numbering.ts';

export interface JournalStore {
  /** Atomically takes the next number of the counter (its first number when the counter is new). */
  take(counter: CounterRef): Promise<number>;
  /** Records the entry of a number just taken; refuses to overwrite an existing entry. */
  record(journalKey: string, entry: JournalEntry): Promise<void>;
  /** Marks a taken number as voided, with the reason; the number is never handed out again. */
  voidNumber(journalKey: string, seq: number, reason: string, at: string): Promise<void>;
  /** The counter's last number (null when nothing was ever taken) and every entry, in order. */
  list(journalKey: string): Promise<{ readonly counter: number | null; readonly entries: JournalEntry[] }>;
}
