import { isOutgoing } from '../domain/documents.ts';
import { ConflictError } from '../domain/errors.ts';
import { recoveredRegistration } from '../domain/history.ts';
import { journalOfKey, renderRegNumberTemplate } from '../domain/numbering.ts';
import { signingAttemptOf, systemActor } from '../domain/outgoing.ts';
import {
  interruptedFinalizationReason,
  interruptedRegistrationReason,
  lostNumberReason,
  planSettling,
  type SettlingStep,
} from '../domain/settling.ts';
import { appendEvents } from './append-event.ts';
import { recordCardChange } from './card-changes.ts';
import { type DispatchDeps, dispatch, dispatchUses } from './dispatch-reply.ts';
import { blobs } from './lambda/blobs.ts';
import { clock, newId, registrationLeaseMs } from './lambda/clock.ts';
import { config } from './lambda/config.ts';
import { claims, documents, events, journals, notifications } from './lambda/dynamodb.ts';
import { mailer } from './lambda/mailer.ts';
import { lambdaHandler } from './lambda.ts';
import { markRequestsAnswered } from './mark-answered.ts';
import { releaseSigningClaim } from './signing-claims.ts';
import { defineTask, type TaskDeps } from './task.ts';

export interface SettleJournalInput {
  readonly journalKey: string;
}

export interface SettleJournalOutput {
  readonly journalKey: string;
  /** Interrupted registrations whose card was saved: their missing events written, the number theirs. */
  readonly completed: number;
  /** Numbers voided: registrations interrupted before their card, and numbers never recorded. */
  readonly voided: number;
  /** Numbers still within their lease, left for a later run. */
  readonly running: number;
  /** Every number up to this one is settled. */
  readonly settledThrough: number;
  /** Items read from the stores, to show what settling costs. */
  readonly itemsRead: number;
}

/** Numbers looked at in one run; a longer backlog is taken up by the next run, from the frontier. */
const pageSize = 500;

/**
 * Settles one journal and year from its frontier up: completes or voids each registration whose lease
 * ran out, voids numbers taken and never recorded, and moves the frontier over what is settled. Every
 * write is conditional on what was read, so two runs at once, or a run racing a registration, change
 * nothing twice.
 */
export const settleJournal = defineTask(
  'settle-journal',
  [...dispatchUses, 'journals', 'claims'],
  async ({ journalKey }: SettleJournalInput, deps): Promise<SettleJournalOutput> => {
    const { journals, clock, registrationLeaseMs } = deps;
    const counter = await journals.counter(journalKey);
    const outcome = { journalKey, completed: 0, voided: 0, running: 0, settledThrough: 0, itemsRead: 1 };
    if (counter === null || counter.last === null) return outcome;
    const after = Math.max(counter.settledThrough ?? 0, counter.firstNumber - 1);
    const entries = await journals.entriesAfter(journalKey, after, pageSize);
    outcome.itemsRead += entries.length;
    const through = entries.length === pageSize ? (entries.at(-1)?.seq ?? after) : counter.last;
    const now = clock.now();
    let frontier = after;
    let blocked = false;
    for (const step of planSettling(counter, entries, after, through, now, registrationLeaseMs)) {
      const settled = await settle(step, journalKey, deps, now, outcome);
      if (settled && !blocked) frontier = step.seq;
      else blocked = true;
    }
    if (frontier > after || frontier === counter.last)
      await journals.markSettled(journalKey, frontier, counter.last);
    return { ...outcome, settledThrough: frontier };
  },
);

/** Acts on one step; true when the number is settled afterwards. */
async function settle(
  step: SettlingStep,
  journalKey: string,
  deps: DispatchDeps & Pick<TaskDeps, 'journals' | 'claims'>,
  now: Date,
  outcome: { completed: number; voided: number; running: number; itemsRead: number },
): Promise<boolean> {
  const { journals, documents, events, claims, config } = deps;
  const at = now.toISOString();
  switch (step.kind) {
    case 'settled':
      return true;
    case 'running':
      outcome.running++;
      return false;
    case 'lost': {
      const { journal, year } = journalOfKey(journalKey);
      const rules = config.journals[journal];
      const regNumber =
        rules === undefined
          ? String(step.seq)
          : renderRegNumberTemplate(rules, step.seq, year ?? now.getUTCFullYear());
      try {
        await journals.record(journalKey, {
          seq: step.seq,
          regNumber,
          voided: { reason: lostNumberReason, at },
        });
      } catch (error) {
        // Its registration recorded it after all: the next run looks at it again.
        if (error instanceof ConflictError) return false;
        throw error;
      }
      outcome.voided++;
      return true;
    }
    case 'interrupted': {
      const { entry } = step;
      const card = await documents.get(entry.documentId);
      outcome.itemsRead++;
      if (card !== null && card.regNumber === entry.regNumber) {
        // The card holds the number: the registration stands, and its history must say so.
        if (isOutgoing(card)) {
          // A finalization that died after registering the reply may not have marked the requests.
          await recordCardChange(events, card);
          await markRequestsAnswered({ documents, events, clock: { now: () => now } }, card, systemActor);
          await dispatch(deps, card);
        } else
          await appendEvents(events, card.id, (last) => {
            outcome.itemsRead++;
            return last === null ? [recoveredRegistration(card, now)] : [];
          });
        if (!(await journals.complete(journalKey, entry.seq, card.id, entry.inProgress))) return false;
        outcome.completed++;
        return true;
      }
      const reason = card === null ? interruptedRegistrationReason : interruptedFinalizationReason;
      const voided = await journals.voidNumber(journalKey, entry.seq, { reason, at }, entry.inProgress);
      if (!voided) return false;
      const attempt = signingAttemptOf(entry.inProgress.claimKey);
      if (attempt === null) await claims.release(entry.inProgress.claimKey, entry.documentId);
      else await releaseSigningClaim({ documents, events }, entry.documentId, attempt, reason, now);
      outcome.voided++;
      return true;
    }
  }
}

export const handler = lambdaHandler(settleJournal, {
  config,
  clock,
  newId,
  registrationLeaseMs,
  documents,
  journals,
  events,
  claims,
  notifications,
  blobs,
  mailer,
});
