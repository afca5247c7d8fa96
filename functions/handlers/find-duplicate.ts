import { type IncomingCard, isIncoming } from '../domain/documents.ts';
import { ConflictError } from '../domain/errors.ts';
import type { IncomingDraft } from '../domain/incoming.ts';
import {
  type AssignedNumber,
  counterFor,
  isVoided,
  leaseFrom,
  assignNumber as numberFor,
} from '../domain/numbering.ts';
import { clock, registrationLeaseMs } from './lambda/clock.ts';
import { config } from './lambda/config.ts';
import { claims, documents, journals } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask, type TaskDeps } from './task.ts';

export interface FindDuplicateInput {
  readonly draft: IncomingDraft;
}

export type FindDuplicateOutput =
  | { readonly found: false }
  | { readonly found: true; readonly document: IncomingCard }
  /** An earlier try of this letter died holding a number: this registration completes it with that number. */
  | {
      readonly found: false;
      readonly resume: { readonly draft: IncomingDraft; readonly number: AssignedNumber };
    };

/**
 * Claims the request's identity (correspondent, their number and date) for this draft. If another
 * document holds it, that document is the answer. A claim whose registration may still be running
 * (younger than a lease) is a ConflictError, which the workflow retries after a pause. A claim that
 * outlived its lease belonged to a registration that died: this one takes its place, and keeps the
 * number it had taken, if any.
 */
export const findDuplicate = defineTask(
  'find-duplicate',
  ['claims', 'documents', 'journals', 'config', 'clock', 'registrationLeaseMs'],
  async ({ draft }: FindDuplicateInput, deps): Promise<FindDuplicateOutput> => {
    const { claims, documents, clock, registrationLeaseMs } = deps;
    const now = clock.now();
    const result = await claims.claim(draft.duplicateKey, draft.id, now.toISOString());
    if (result.claimed) return { found: false };
    const existing = await documents.get(result.holder);
    if (existing !== null && isIncoming(existing)) return { found: true, document: existing };
    const beingRegistered = new ConflictError(
      `the same document (${draft.theirRef.number} of ${draft.theirRef.date}) is being registered right now; retry shortly`,
    );
    if (now.getTime() - Date.parse(result.claimedAt) < registrationLeaseMs) throw beingRegistered;

    const resumed = await resumeWithNumber(deps, draft, result.holder);
    if (resumed === 'lost') throw beingRegistered;
    if (resumed !== null) return { found: false, resume: resumed };
    if (await claims.takeOver(draft.duplicateKey, result.holder, draft.id, now.toISOString()))
      return { found: false };
    throw beingRegistered;
  },
);

/**
 * Takes over the number a dead registration of the same letter left in progress: the card gets that
 * registration's id and number. Null when it left none (or one of another year: then a new number is
 * taken, and settling voids the old one); 'lost' when settling or another copy got there first.
 */
async function resumeWithNumber(
  {
    journals,
    claims,
    config,
    clock,
    registrationLeaseMs,
  }: Pick<TaskDeps, 'journals' | 'claims' | 'config' | 'clock' | 'registrationLeaseMs'>,
  draft: IncomingDraft,
  holder: string,
): Promise<{ draft: IncomingDraft; number: AssignedNumber } | 'lost' | null> {
  const found = await journals.entryOf(holder);
  const rules = config.journals[draft.journal];
  if (found === null || isVoided(found.entry) || rules === undefined) return null;
  const { entry } = found;
  const lease = entry.inProgress;
  const counter = counterFor(draft.journal, rules, entry.regDate);
  const sameCounter =
    counter.journalKey === found.journalKey &&
    counterFor(draft.journal, rules, draft.regDate).year === counter.year;
  if (lease === undefined || !sameCounter) return null;
  const now = clock.now();
  const renewed = await journals.renewLease(
    found.journalKey,
    entry.seq,
    lease,
    leaseFrom(now, registrationLeaseMs),
  );
  if (!renewed) return 'lost';
  // The claim is fresh again, so that a third copy waits instead of taking it over too.
  await claims.takeOver(draft.duplicateKey, holder, holder, now.toISOString());
  return {
    draft: { ...draft, id: holder, regDate: entry.regDate },
    number: numberFor(counter, rules, entry.regDate, entry.seq),
  };
}

export const handler = lambdaHandler(findDuplicate, {
  config,
  clock,
  registrationLeaseMs,
  documents,
  journals,
  claims,
});
