import type {
  CounterRef,
  CounterState,
  JournalEntry,
  RegistrationLease,
  VoidedEntry,
} from '../domain/numbering.ts';

/** Where a document's number was entered. */
export interface EntryOfDocument {
  readonly journalKey: string;
  readonly entry: JournalEntry;
}

export interface JournalStore {
  /**
   * Atomically takes the next number of the counter (its first number when the counter is new), and
   * marks the counter as having numbers for settling to look at.
   */
  take(counter: CounterRef, at: string): Promise<number>;
  /** Records the entry of a number just taken; refuses (ConflictError) to overwrite an existing entry. */
  record(journalKey: string, entry: JournalEntry): Promise<void>;
  /**
   * Marks a taken number as voided, with the reason; the number is never handed out again. With
   * `lease`, only while that lease still holds it (false when it no longer does).
   */
  voidNumber(
    journalKey: string,
    seq: number,
    voided: VoidedEntry['voided'],
    lease?: RegistrationLease,
  ): Promise<boolean>;
  /** Clears the in-progress mark of a registration that finished; false when `lease` no longer holds it. */
  complete(journalKey: string, seq: number, documentId: string, lease?: RegistrationLease): Promise<boolean>;
  /** Moves a lease on to `until`, if `lease` still holds the number; false when it does not. */
  renewLease(journalKey: string, seq: number, lease: RegistrationLease, until: string): Promise<boolean>;
  /** The entry naming a document, if any (an index read: eventually consistent). */
  entryOf(documentId: string): Promise<EntryOfDocument | null>;
  /** The counter, or null when the journal and year never handed out a number. */
  counter(journalKey: string): Promise<CounterState | null>;
  /** The counters that have numbers settling has not yet seen settled. */
  unsettledCounters(): Promise<string[]>;
  /** Entries after `afterSeq`, in order, at most `limit`. */
  entriesAfter(journalKey: string, afterSeq: number, limit: number): Promise<JournalEntry[]>;
  /**
   * Records that every number up to `through` is settled; when that is the counter's last number
   * (`through === last`, unchanged since it was read), the counter leaves the settling index.
   */
  markSettled(journalKey: string, through: number, last: number): Promise<void>;
  /** The counter and every entry, in order. */
  list(
    journalKey: string,
  ): Promise<{ readonly counter: CounterState | null; readonly entries: JournalEntry[] }>;
}
