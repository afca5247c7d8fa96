import {
  type CounterState,
  type DocumentEntry,
  isVoided,
  type JournalEntry,
  latestTakingTimes,
  leaseRunning,
  missingNumberState,
  type RegistrationLease,
} from './numbering.ts';

/**
 * Settling: after a crash, every number of a journal must again be its document or voided with the
 * reason. A registration holds its number under a lease; once the lease has run out nobody can still
 * be working on it, so settling may complete it (its card was saved) or void it (it was not).
 */

/** What settling does with one number above the counter's settled frontier. */
export type SettlingStep =
  /** Its document or its voiding is recorded: nothing to do. */
  | { readonly kind: 'settled'; readonly seq: number }
  /** Taken less than a lease ago: its registration may still be running. */
  | { readonly kind: 'running'; readonly seq: number }
  /** Its registration's lease ran out: complete it if the card was saved, else void the number. */
  | {
      readonly kind: 'interrupted';
      readonly seq: number;
      readonly entry: DocumentEntry & { readonly inProgress: RegistrationLease };
    }
  /** Taken more than a lease ago by a registration that died before recording it. */
  | { readonly kind: 'lost'; readonly seq: number };

/**
 * The steps for the numbers after `after` up to `through`, given every entry the journal holds in that
 * range (in any order).
 */
export function planSettling(
  counter: Pick<CounterState, 'lastTakenAt'>,
  entries: readonly JournalEntry[],
  after: number,
  through: number,
  now: Date,
  leaseMs: number,
): SettlingStep[] {
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const takenBy = latestTakingTimes(bySeq, after + 1, through, counter.lastTakenAt);
  const steps: SettlingStep[] = [];
  for (let seq = after + 1; seq <= through; seq++) {
    const entry = bySeq.get(seq);
    if (entry === undefined) {
      const state = missingNumberState(takenBy[seq - after - 1], now, leaseMs);
      steps.push({ kind: state === 'in_progress' ? 'running' : 'lost', seq });
    } else if (isVoided(entry) || entry.inProgress === undefined) {
      steps.push({ kind: 'settled', seq });
    } else if (leaseRunning(entry.inProgress.until, now)) {
      steps.push({ kind: 'running', seq });
    } else {
      steps.push({ kind: 'interrupted', seq, entry: { ...entry, inProgress: entry.inProgress } });
    }
  }
  return steps;
}

export const lostNumberReason =
  'the registration that took this number stopped before recording it; voided by settling';

export const interruptedRegistrationReason =
  'the registration that took this number stopped before saving its card; voided by settling';

export const interruptedFinalizationReason =
  'the finalization of the signed reply that took this number stopped before registering it; voided by settling: the reply awaits its signature again, and whatever that finalization left in its archive folder is not a registered letter';

export const staleSigningReason =
  'the finalization holding this reply stopped before registering it; released by settling, and the reply awaits its signature again';
