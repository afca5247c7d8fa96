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

/**
 * The hash of a card as it stands: each event that leaves the card in a new state records it, so a
 * card edited behind docroute no longer matches its history.
 */
export function cardHashOf(card: unknown): string {
  return createHash('sha256').update(canonicalJson(card)).digest('hex');
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
    data: { after: card, cardHash: cardHashOf(card), recordedLate: true, registeredAt: card.registeredAt },
  };
}

export type HistoryVerdict =
  | {
      readonly ok: true;
      readonly events: number;
      /** False for a history written before cards were hashed: only the chain was checked. */
      readonly cardChecked: boolean;
    }
  | { readonly ok: false; readonly seq?: number; readonly field?: string; readonly problem: string };

/** The first path at which two JSON values differ (`subject`, `control.dueDate`), or null. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (canonicalJson(a) === canonicalJson(b)) return null;
  if (
    a === null ||
    b === null ||
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return path === '' ? '(card)' : path;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    const found = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      path === '' ? key : `${path}.${key}`,
    );
    if (found !== null) return found;
  }
  return path === '' ? '(card)' : path;
}

/**
 * A document's history against itself and its card: every link and hash of the chain, then the
 * card against the state its latest change recorded (its hash, and its snapshot to name the field),
 * and the card's own last change against the history.
 */
export function verifyHistory(
  events: readonly HistoryEvent[],
  card: { readonly revision?: number; readonly lastChange?: { readonly revision: number } } | null,
): HistoryVerdict {
  const chain = verifyChain(events);
  if (!chain.intact) return { ok: false, seq: chain.seq, problem: chain.problem };
  if (card === null) return { ok: false, field: '(card)', problem: 'the card of this history is missing' };
  const stated = [...events].reverse().find((e) => typeof e.data['cardHash'] === 'string');
  if (stated === undefined) return { ok: true, events: events.length, cardChecked: false };
  const recordedRevision = typeof stated.data['revision'] === 'number' ? stated.data['revision'] : 0;
  const cardRevision = card.revision ?? 0;
  if (cardRevision > recordedRevision)
    return {
      ok: false,
      field: 'revision',
      problem: `the card stands at revision ${cardRevision}, but its history records changes only up to revision ${recordedRevision}: a change is missing from the history`,
    };
  if (cardHashOf(card) !== stated.data['cardHash']) {
    const snapshot = stated.data['card'] ?? stated.data['after'];
    const field = snapshot === undefined ? '(card)' : (firstDifference(snapshot, card) ?? '(card)');
    return {
      ok: false,
      seq: stated.seq,
      field,
      problem: `the card does not match the state event ${stated.seq} (${stated.type}) recorded: ${field} was changed outside docroute`,
    };
  }
  return { ok: true, events: events.length, cardChecked: true };
}
