import { ConflictError } from '../domain/errors.ts';
import { chainEvent, type EventDraft, type HistoryEvent } from '../domain/history.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface RecordEventsInput {
  readonly documentId: string;
  readonly event: EventDraft;
  /** True when this is the document's first event: no need to read its history first. */
  readonly startsHistory?: boolean;
}

/** Appends an event to a document's hash-chained history, conditional on its sequence number. */
export const recordEvents = defineTask(
  'record-events',
  async (
    { documentId, event: draft, startsHistory }: RecordEventsInput,
    { events: log },
  ): Promise<{ seq: number }> => {
    const previous: HistoryEvent | null = startsHistory === true ? null : await log.last(documentId);
    const event = chainEvent(documentId, previous, draft);
    try {
      await log.append(event);
    } catch (error) {
      // A retry after a lost answer finds its own event already written.
      const written = error instanceof ConflictError ? await log.last(documentId) : null;
      if (written?.type !== draft.type || written.at !== draft.at) throw error;
      return { seq: written.seq };
    }
    return { seq: event.seq };
  },
);

export const handler = lambdaHandler(recordEvents);
