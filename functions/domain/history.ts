import { createHash } from 'node:crypto';
import type { Actor } from './documents.ts';

/**
 * A document's history is a hash chain: each event carries the hash of the one before it, so an
 * auditor can tell whether any event was changed, removed or inserted after the fact.
 */
export interface HistoryEvent {
  readonly documentId: string;
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly actor: Actor;
  readonly data: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

export type EventDraft = Pick<HistoryEvent, 'type' | 'at' | 'actor' | 'data'>;

/** The hash a document's first event points back to. */
export const genesisHash = '0'.repeat(64);

/** JSON with keys sorted at every level, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  // Inside arrays, undefined is written as null, as JSON.stringify does.
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function hashOf(event: Omit<HistoryEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

/** The next event of a document's history, linked to `previous` (null for its first event). */
export function chainEvent(
  documentId: string,
  previous: HistoryEvent | null,
  draft: EventDraft,
): HistoryEvent {
  const unhashed = {
    documentId,
    seq: previous === null ? 1 : previous.seq + 1,
    type: draft.type,
    at: draft.at,
    actor: draft.actor,
    data: draft.data,
    prevHash: previous === null ? genesisHash : previous.hash,
  };
  return { ...unhashed, hash: hashOf(unhashed) };
}

/** What a history begins with: an incoming document's registration, or a reply's first draft. */
export const historyOpeners: readonly string[] = ['registered', 'drafted'];

export type ChainVerdict =
  | { readonly intact: true }
  | { readonly intact: false; readonly seq: number; readonly problem: string };

/**
 * Checks a whole history, in order: it begins with the registration, numbering without gaps, each
 * link, each hash. An empty history is not intact: a registered document's history begins with it.
 */
export function verifyChain(events: readonly HistoryEvent[]): ChainVerdict {
  const first = events[0];
  if (first === undefined)
    return { intact: false, seq: 1, problem: 'the history is empty: it must begin with the registration' };
  if (!historyOpeners.includes(first.type))
    return {
      intact: false,
      seq: first.seq,
      problem: 'the history does not begin with the registration or, for a reply, its first draft',
    };
  let previous: HistoryEvent | null = null;
  for (const event of events) {
    const expectedSeq = previous === null ? 1 : previous.seq + 1;
    if (event.seq !== expectedSeq)
      return { intact: false, seq: event.seq, problem: `expected event ${expectedSeq}` };
    const expectedPrev = previous === null ? genesisHash : previous.hash;
    if (event.prevHash !== expectedPrev)
      return { intact: false, seq: event.seq, problem: 'does not link to the event before it' };
    const { hash, ...unhashed } = event;
    if (hashOf(unhashed) !== hash)
      return { intact: false, seq: event.seq, problem: 'its content does not match its hash' };
    previous = event;
  }
  return { intact: true };
}

/** The event a second receipt of an already registered letter leaves in its history. */
export function receivedAgain(
  received: {
    readonly receivedAt: string;
    readonly channel: string;
    readonly theirRef: unknown;
    readonly correspondent: unknown;
  },
  actor: Actor,
  at: Date,
): EventDraft {
  return {
    type: 'received_again',
    at: at.toISOString(),
    actor,
    data: {
      receivedAt: received.receivedAt,
      channel: received.channel,
      theirRef: received.theirRef,
      correspondent: received.correspondent,
    },
  };
}

/**
 * A history must begin with the registration. When a registration's first event was lost (its task
 * failed after the card was saved), the next event to be written puts it back first, from the card,
 * marked as recorded late.
 */
export function recoveredRegistration(
  card: { readonly registeredBy: Actor; readonly registeredAt: string },
  at: Date,
): EventDraft {
  return {
    type: 'registered',
    at: at.toISOString(),
    actor: card.registeredBy,
    data: { after: card, recordedLate: true, registeredAt: card.registeredAt },
  };
}
