import type { Actor } from '../domain/documents.ts';
import { ConflictError } from '../domain/errors.ts';
import { canonicalJson, cardHashOf, chainEvent } from '../domain/history.ts';
import { appendEvents } from './append-event.ts';
import { clock } from './lambda/clock.ts';
import { events } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface RecordEventsInput {
  /** The document as it stands after the change: the event keeps this state. */
  readonly document: { readonly id: string };
  readonly type: string;
  readonly actor: Actor;
  /** True for the document's first event: written as event 1 without reading the history first. */
  readonly startsHistory?: boolean;
}

/**
 * Appends an event to a document's hash-chained history, conditional on its sequence number. The
 * event carries the document's state after the change and the time it was recorded.
 */
export const recordEvents = defineTask(
  'record-events',
  ['events', 'clock'],
  async (
    { document, type, actor, startsHistory }: RecordEventsInput,
    { events: log, clock },
  ): Promise<{ seq: number }> => {
    const data = { after: document, cardHash: cardHashOf(document) };
    const draft = { type, at: clock.now().toISOString(), actor, data };
    if (startsHistory !== true)
      return { seq: (await appendEvents(log, document.id, () => [draft]))?.seq ?? 0 };
    const event = chainEvent(document.id, null, draft);
    try {
      await log.append(event);
    } catch (error) {
      // A retry after a lost answer finds its own event already written.
      const written = error instanceof ConflictError ? await log.last(document.id) : null;
      if (written?.type !== type || canonicalJson(written.data) !== canonicalJson(data)) throw error;
      return { seq: written.seq };
    }
    return { seq: event.seq };
  },
);

export const handler = lambdaHandler(recordEvents, { clock, events });
