import { type Control, closeControl, type Resolution } from './control.ts';
import type { IncomingDraft, IncomingRequest } from './incoming.ts';
import type { AssignedNumber } from './numbering.ts';
import type { CardChange, OutgoingCard } from './outgoing.ts';

/** An incoming document is registered, then answered once a registered reply names it. */
export const documentStatuses = ['registered', 'answered'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

/** Who did something: the subject and role from the caller's token, or the system itself. */
export interface Actor {
  readonly sub: string;
  readonly role: string;
}

/** The registration card (РКК) of an incoming document. */
export interface IncomingCard extends IncomingRequest {
  readonly id: string;
  readonly direction: 'incoming';
  readonly journal: string;
  readonly regNumber: string;
  readonly regDate: string;
  readonly regSeq: number;
  readonly status: DocumentStatus;
  readonly registeredAt: string;
  readonly registeredBy: Actor;
  /** Its deadline and control, when it is put on control (null: not on control). */
  readonly control?: Control | null;
  readonly resolutions?: readonly Resolution[];
  readonly coExecutors?: readonly string[];
  /** Registered replies that answer it. */
  readonly answeredBy?: readonly {
    readonly id: string;
    readonly regNumber: string;
    readonly regDate: string;
  }[];
  /** Absent until the card first changes after its registration (which is revision 0). */
  readonly revision?: number;
  readonly lastChange?: CardChange;
}

export type DocumentCard = IncomingCard | OutgoingCard;

export const isOutgoing = (card: DocumentCard): card is OutgoingCard => card.direction === 'outgoing';
export const isIncoming = (card: DocumentCard): card is IncomingCard => card.direction === 'incoming';
export const revisionOf = (card: DocumentCard): number => card.revision ?? 0;

/** The incoming document, answered by a registered reply (the same reply twice changes nothing). */
export function markAnswered(
  card: IncomingCard,
  reply: { readonly id: string; readonly regNumber: string; readonly regDate: string },
  actor: Actor,
  now: Date,
): IncomingCard | null {
  if (card.answeredBy?.some((r) => r.id === reply.id)) return null;
  const revision = revisionOf(card) + 1;
  // A registered reply lifts control: the document is done.
  const closed = closeControl(card, { how: 'answered', reply }, actor, now);
  return {
    ...card,
    status: 'answered',
    answeredBy: [...(card.answeredBy ?? []), reply],
    ...(closed === null ? {} : { control: closed.control }),
    revision,
    lastChange: {
      revision,
      type: 'answered',
      at: now.toISOString(),
      actor,
      data: { reply, ...(closed === null ? {} : { control: closed.control }) },
    },
  };
}

/** The card of a validated draft that has just received its number. */
export function registerCard(
  draft: IncomingDraft,
  number: AssignedNumber,
  actor: Actor,
  now: Date,
): IncomingCard {
  // The duplicate key is the claim's business; the card keeps the facts it was made of.
  const { journal: _journal, duplicateKey: _duplicateKey, ...fields } = draft;
  return {
    ...fields,
    direction: 'incoming',
    journal: number.journal,
    regNumber: number.regNumber,
    regDate: number.regDate,
    regSeq: number.seq,
    status: 'registered',
    registeredAt: now.toISOString(),
    registeredBy: actor,
  };
}
