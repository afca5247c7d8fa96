import { ConflictError } from '../domain/errors.ts';
import { chainEvent, type EventDraft, type HistoryEvent } from '../domain/history.ts';
import type { EventLog } from '../ports/event-log.ts';

/** Enough for the handful of writers a document can have at once. */
const maxAttempts = 20;

/**
 * Appends events after whatever the document's history holds now. Each write is conditional on its
 * sequence number; when another writer got there first, the chain is read again and the events
 * follow the new last one.
 */
export async function appendEvents(
  log: EventLog,
  documentId: string,
  plan: (last: HistoryEvent | null) => readonly EventDraft[],
): Promise<HistoryEvent | null> {
  for (let attempt = 1; ; attempt++) {
    let last = await log.last(documentId);
    try {
      for (const draft of plan(last)) {
        const event = chainEvent(documentId, last, draft);
        await log.append(event);
        last = event;
      }
      return last;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= maxAttempts) throw error;
    }
  }
}
