import { yearOf } from './calendar-date.ts';

/** МЭДО carries a registration number of at most 31 characters. */
export const maxRegNumberLength = 31;

interface NumberingRules {
  readonly index: string;
  readonly template: string;
  readonly resetsYearly: boolean;
  readonly startingNumbers: Readonly<Record<string, number>>;
}

/** Which counter a registration draws from, and the first number that counter hands out. */
export interface CounterRef {
  readonly journal: string;
  /** `outgoing#2021` for a yearly journal, `outgoing#all` for one that never resets. */
  readonly journalKey: string;
  readonly year: number;
  readonly firstNumber: number;
}

/** A number taken from a journal for one document. */
export interface AssignedNumber {
  readonly journal: string;
  readonly journalKey: string;
  readonly year: number;
  readonly seq: number;
  readonly regNumber: string;
  readonly regDate: string;
}

export function renderRegNumberTemplate(
  rules: Pick<NumberingRules, 'index' | 'template'>,
  seq: number,
  year: number,
): string {
  return rules.template
    .replaceAll('{index}', rules.index)
    .replaceAll('{seq}', String(seq))
    .replaceAll('{year}', String(year));
}

export function journalKeyOf(
  journal: string,
  rules: Pick<NumberingRules, 'resetsYearly'>,
  year: number,
): string {
  return `${journal}#${rules.resetsYearly ? year : 'all'}`;
}

/** `incoming#2014` -> the journal and the year; `registry#all` -> the journal and no year. */
export function journalOfKey(journalKey: string): { journal: string; year: number | null } {
  const at = journalKey.lastIndexOf('#');
  const year = Number(journalKey.slice(at + 1));
  return { journal: journalKey.slice(0, at), year: Number.isInteger(year) ? year : null };
}

/**
 * The counter for a registration dated `regDate`: the year is the registration date's, so a
 * back-dated document draws from its own year's counter and leaves the current one alone.
 */
export function counterFor(journal: string, rules: NumberingRules, regDate: string): CounterRef {
  const year = yearOf(regDate);
  return {
    journal,
    journalKey: journalKeyOf(journal, rules, year),
    year,
    firstNumber: rules.resetsYearly ? (rules.startingNumbers[String(year)] ?? 1) : 1,
  };
}

/** The registration number for the `seq` that the counter handed out. */
export function assignNumber(
  counter: CounterRef,
  rules: NumberingRules,
  regDate: string,
  seq: number,
): AssignedNumber {
  return {
    journal: counter.journal,
    journalKey: counter.journalKey,
    year: counter.year,
    seq,
    regNumber: renderRegNumberTemplate(rules, seq, counter.year),
    regDate,
  };
}

/**
 * One line of a journal: every number from the first to the counter is a document, voided with the
 * reason, or in progress. A registration records its number `inProgress` with a lease and clears the
 * mark when its card and first event are written; settling completes or voids what a lease outlived.
 */
export type JournalEntry = DocumentEntry | VoidedEntry;

export interface DocumentEntry {
  readonly seq: number;
  readonly regNumber: string;
  readonly regDate: string;
  readonly documentId: string;
  readonly takenAt: string;
  /** Present while the registration that took the number runs: until when, and the identity it claimed. */
  readonly inProgress?: RegistrationLease;
}

export interface VoidedEntry {
  readonly seq: number;
  readonly regNumber: string;
  /** Unknown for a number whose registration died before recording it. */
  readonly regDate?: string;
  readonly voided: { readonly reason: string; readonly at: string };
  readonly takenAt?: string;
}

export interface RegistrationLease {
  readonly until: string;
  readonly claimKey: string;
}

export const isVoided = (entry: JournalEntry): entry is VoidedEntry => 'voided' in entry;

/**
 * What the listing says of a number: its document, voided, in progress (taken less than a lease ago by
 * a registration that may still be running), or interrupted (its lease ran out; the next settling run
 * completes or voids it).
 */
export type NumberState = 'registered' | 'voided' | 'in_progress' | 'interrupted';

export type JournalLine =
  | (JournalEntry & { readonly state: NumberState })
  | { readonly seq: number; readonly state: 'in_progress' | 'interrupted' };

/** The counter of a journal and year, as settling and the listing read it. */
export interface CounterState {
  readonly journalKey: string;
  /** The last number taken; null when none ever was. */
  readonly last: number | null;
  readonly firstNumber: number;
  /** Every number up to this one is known to be settled. */
  readonly settledThrough: number | null;
  /** When the last number was taken: a missing entry below it is at least this old. */
  readonly lastTakenAt: string | null;
}

/** Whether a lease ending at `until` is still running at `now`. */
export const leaseRunning = (until: string, now: Date) => Date.parse(until) > now.getTime();

/** The lease of a registration started at `now`. */
export const leaseFrom = (now: Date, leaseMs: number) => new Date(now.getTime() + leaseMs).toISOString();

/**
 * How long a registration may hold a number before settling takes over: twice the workflow's time
 * limit, so that a task still finishing when its execution timed out is done before anyone acts.
 */
export const leaseMsFor = (timeLimitSeconds: number) => 2 * timeLimitSeconds * 1000;

/** Lays the entries out from the first number to the counter, saying what became of each number. */
export function journalListing(
  entries: readonly JournalEntry[],
  firstNumber: number,
  counter: Pick<CounterState, 'last' | 'lastTakenAt'>,
  now: Date,
  leaseMs: number,
): JournalLine[] {
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const last = counter.last ?? firstNumber - 1;
  const takenBy = latestTakingTimes(bySeq, firstNumber, last, counter.lastTakenAt);
  const listing: JournalLine[] = [];
  for (let seq = firstNumber; seq <= last; seq++) {
    const entry = bySeq.get(seq);
    if (entry !== undefined) listing.push({ ...entry, state: stateOf(entry, now) });
    else listing.push({ seq, state: missingNumberState(takenBy[seq - firstNumber], now, leaseMs) });
  }
  return listing;
}

function stateOf(entry: JournalEntry, now: Date): NumberState {
  if (isVoided(entry)) return 'voided';
  if (entry.inProgress === undefined) return 'registered';
  return leaseRunning(entry.inProgress.until, now) ? 'in_progress' : 'interrupted';
}

/**
 * For each number from `first` to `last`, the latest moment it can have been taken: numbers come off
 * the counter in order, so a number was taken no later than any number above it (its entry's
 * `takenAt`), nor later than the counter's last take.
 */
export function latestTakingTimes(
  bySeq: ReadonlyMap<number, JournalEntry>,
  first: number,
  last: number,
  lastTakenAt: string | null,
): Array<number | undefined> {
  const times = new Array<number | undefined>(Math.max(0, last - first + 1));
  let bound = lastTakenAt === null ? undefined : Date.parse(lastTakenAt);
  for (let seq = last; seq >= first; seq--) {
    times[seq - first] = bound;
    const takenAt = bySeq.get(seq)?.takenAt;
    if (takenAt !== undefined) bound = Math.min(bound ?? Number.POSITIVE_INFINITY, Date.parse(takenAt));
  }
  return times;
}

/** A number with no entry is in progress while it may be younger than a lease, else interrupted. */
export function missingNumberState(
  latestTakenAt: number | undefined,
  now: Date,
  leaseMs: number,
): 'in_progress' | 'interrupted' {
  return latestTakenAt !== undefined && now.getTime() - latestTakenAt < leaseMs
    ? 'in_progress'
    : 'interrupted';
}
