import { type DocumentCard, revisionOf } from '../domain/documents.ts';
import { NotFoundError } from '../domain/errors.ts';
import { cardHashOf, type HistoryEvent } from '../domain/history.ts';
import type { DocumentStore } from '../ports/document-store.ts';
import type { EventLog } from '../ports/event-log.ts';
import { appendEvents } from './append-event.ts';

/**
 * A card and its history change in two writes: the card first, carrying the change it underwent
 * (`lastChange`), then the event. Whoever touches the card next writes the event if it is missing,
 * so a process killed between the two leaves the change recorded late, never lost.
 */

const revisionOfEvent = (event: HistoryEvent): number | null =>
  typeof event.data['revision'] === 'number' ? event.data['revision'] : null;

/**
 * The card revision the history has recorded: that of its latest change event. Events that record
 * no change of the card (a reminder sent, a letter dispatched) are passed over; the registration
 * is revision 0.
 */
async function recordedRevision(events: EventLog, id: string): Promise<number> {
  const last = await events.last(id);
  if (last === null) return -1;
  const own = revisionOfEvent(last);
  if (own !== null) return own;
  const all = await events.list(id);
  for (let i = all.length - 1; i >= 0; i--) {
    const revision = revisionOfEvent(all[i] as HistoryEvent);
    if (revision !== null) return revision;
  }
  return 0;
}

/** Writes the card's last change into its history unless it is there already. */
export async function recordCardChange(events: EventLog, card: DocumentCard): Promise<HistoryEvent | null> {
  const change = card.lastChange;
  if (change === undefined) return events.last(card.id);
  const recorded = await recordedRevision(events, card.id);
  return appendEvents(events, card.id, (last) =>
    (last !== null && revisionOfEvent(last) !== null ? (revisionOfEvent(last) ?? 0) : recorded) >=
    change.revision
      ? []
      : [
          {
            type: change.type,
            at: change.at,
            actor: change.actor,
            // The card as it stands after the change, and its hash: what verification holds it to.
            data: { ...change.data, revision: change.revision, card, cardHash: cardHashOf(card) },
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
