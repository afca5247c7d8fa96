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

/** One line of a journal: every number from the first to the counter is either a document or voided. */
export type JournalEntry =
  | {
      readonly seq: number;
      readonly regNumber: string;
      readonly regDate: string;
      readonly documentId: string;
      readonly takenAt: string;
    }
  | {
      readonly seq: number;
      readonly regNumber: string;
      readonly regDate: string;
      readonly voided: { readonly reason: string; readonly at: string };
      readonly takenAt: string;
    };

/** A number at or below the counter with no entry: taken, but its writer died before recording it. */
export interface UnaccountedNumber {
  readonly seq: number;
  readonly unaccounted: true;
}

/** Lays the entries out from the first number to the counter, marking any number nobody recorded. */
export function journalListing(
  entries: readonly JournalEntry[],
  firstNumber: number,
  counter: number,
): Array<JournalEntry | UnaccountedNumber> {
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const listing: Array<JournalEntry | UnaccountedNumber> = [];
  for (let seq = firstNumber; seq <= counter; seq++)
    listing.push(bySeq.get(seq) ?? { seq, unaccounted: true });
  return listing;
}
