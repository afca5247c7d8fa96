import type { Actor, IncomingCard } from '../domain/documents.ts';
import { receivedAgain, recoveredRegistration } from '../domain/history.ts';
import type { IncomingDraft } from '../domain/incoming.ts';
import { appendEvents } from './append-event.ts';
import { clock } from './lambda/clock.ts';
import { events } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface RecordDuplicateInput {
  /** The card already registered for this letter. */
  readonly document: IncomingCard;
  /** This receipt of the same letter. */
  readonly draft: IncomingDraft;
  readonly actor: Actor;
}

/** Notes in the registered document's history that the same letter arrived again. */
export const recordDuplicate = defineTask(
  'record-duplicate',
  ['events', 'clock'],
  async ({ document, draft, actor }: RecordDuplicateInput, { events, clock }): Promise<{ seq: number }> => {
    const now = clock.now();
    const last = await appendEvents(events, document.id, (previous) => [
      ...(previous === null ? [recoveredRegistration(document, now)] : []),
      receivedAgain(draft, actor, now),
    ]);
    return { seq: last?.seq ?? 0 };
  },
);

export const handler = lambdaHandler(recordDuplicate, { clock, events });
