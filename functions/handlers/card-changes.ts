import { type DocumentCard, revisionOf } from '../domain/documents.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { HistoryEvent } from '../domain/history.ts';
import type { DocumentStore } from '../ports/document-store.ts';
import type { EventLog } from '../ports/event-log.ts';
import { appendEvents } from './append-event.ts';

/**
 * A card and its history change in two writes: the card first, carrying the change it underwent
 * (`lastChange`), then the event. Whoever touches the card next writes the event if it is missing,
 * so a process killed between the two leaves the change recorded late, never lost.
 */

/** The revision an event records (0: the registration, before any change). */
const revisionRecordedBy = (event: HistoryEvent | null) =>
  event === null ? -1 : typeof event.data['revision'] === 'number' ? event.data['revision'] : 0;

/** Writes the card's last change into its history unless it is there already. */
export async function recordCardChange(events: EventLog, card: DocumentCard): Promise<HistoryEvent | null> {
  const change = card.lastChange;
  if (change === undefined) return events.last(card.id);
  return appendEvents(events, card.id, (last) =>
    revisionRecordedBy(last) >= change.revision
      ? []
      : [
          {
            type: change.type,
            at: change.at,
            actor: change.actor,
            data: { ...change.data, revision: change.revision },
          },
        ],
  );
}

/**
 * Reads a card, records its last change if a killed writer left it unrecorded, applies `change`
 * and writes the result conditional on the revision read, then records the new change. `change`
 * returns null when there is nothing to do. A concurrent writer makes this throw ConflictError.
 */
export async function changeCard<C extends DocumentCard>(
  stores: { readonly documents: DocumentStore; readonly events: EventLog },
  id: string,
  change: (card: DocumentCard) => C | null,
): Promise<{ readonly before: DocumentCard; readonly after: C | null }> {
  const card = await stores.documents.get(id);
  if (card === null) throw new NotFoundError(`no document ${id}`);
  await recordCardChange(stores.events, card);
  const next = change(card);
  if (next === null) return { before: card, after: null };
  await stores.documents.replace(next, revisionOf(card));
  await recordCardChange(stores.events, next);
  return { before: card, after: next };
}
