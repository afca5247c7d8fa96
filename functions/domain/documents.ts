import type { IncomingDraft, IncomingRequest } from './incoming.ts';
import type { AssignedNumber } from './numbering.ts';

export const documentStatuses = ['registered'] as const;
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
}

export type DocumentCard = IncomingCard;

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
