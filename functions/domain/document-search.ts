/**
 * Document search (GET /v1/documents): which index serves a set of filters, the key condition on
 * it, the filters left to apply after it, and the opaque cursor that resumes a search exactly
 * after the last document it returned. Pure: the DynamoDB adapter runs the plan.
 *
 * Every search index is sorted by the same key, {@link searchKeyOf}: the registration date, then
 * the moment of registration, then the id. So every answer is in that order, oldest first, and a
 * position in it is one document's key, valid on whichever index the search reads.
 */

import { createHash } from 'node:crypto';
import type { DocumentKind } from './document-kinds.ts';
import { type DocumentCard, documentStatuses } from './documents.ts';
import type { deliveryChannels } from './incoming.ts';
import { outgoingStatuses } from './outgoing.ts';

export const searchDirections = ['incoming', 'outgoing'] as const;
export const searchControlStates = ['open', 'done', 'removed'] as const;
/** The statuses of incoming documents and of replies (`registered` is both). */
export const searchStatuses = [...new Set([...documentStatuses, ...outgoingStatuses])] as [
  string,
  ...string[],
];

/** What a search asks for; every filter given must hold (AND). Text values arrive NFC and trimmed. */
export interface DocumentSearch {
  readonly regNumber?: string;
  readonly theirRef?: string;
  /** Matched exactly against the correspondent's organization (a citizen's name), normalised. */
  readonly correspondent?: string;
  readonly executor?: string;
  readonly kind?: DocumentKind;
  readonly status?: string;
  readonly channel?: (typeof deliveryChannels)[number];
  readonly control?: (typeof searchControlStates)[number];
  readonly direction?: (typeof searchDirections)[number];
  /** Registration dates, inclusive, YYYY-MM-DD. */
  readonly from?: string;
  readonly to?: string;
}

/** A place in the search order: the sort key and id of the last document a page returned. */
export interface SearchPosition {
  readonly searchKey: string;
  readonly id: string;
}

export interface SearchPage {
  /** 1 to {@link maxSearchLimit}. */
  readonly limit: number;
  /** Resume after this document; null for the first page. */
  readonly after: SearchPosition | null;
}

export interface SearchResult {
  readonly items: readonly DocumentCard[];
  /** Where the next page starts; null when the index has nothing more. */
  readonly next: SearchPosition | null;
}

/** An equality a FilterExpression checks: the attribute path in the stored item, and the value. */
export interface SearchCondition {
  readonly path: readonly string[];
  readonly value: string;
}

export interface SearchPlan {
  readonly index: string;
  /** The index's partition key and the value the key condition fixes it to. */
  readonly partition: { readonly attribute: string; readonly value: string };
  /** Inclusive bounds on {@link searchSortKey} (BETWEEN), or null for the whole partition. */
  readonly range: { readonly from: string; readonly to: string } | null;
  /** What the index does not decide, checked on each item it reads. */
  readonly filters: readonly SearchCondition[];
}

export const defaultSearchLimit = 20;
export const maxSearchLimit = 100;

/** The sort key of every search index (a flat copy on the item: keys must be top level). */
export const searchSortKey = 'searchKey';

/**
 * The search indexes, most selective first: a search reads the first one whose filter it has.
 * Each partition attribute is a top-level attribute of the stored item.
 */
export const searchIndexes = [
  { filter: 'regNumber', index: 'searchByRegNumber', attribute: 'regNumber' },
  { filter: 'theirRef', index: 'searchByTheirRef', attribute: 'theirRefNumber' },
  { filter: 'correspondent', index: 'searchByCorrespondent', attribute: 'correspondentKey' },
  { filter: 'executor', index: 'searchByExecutor', attribute: 'executor' },
  { filter: 'kind', index: 'searchByKind', attribute: 'kind' },
  { filter: 'status', index: 'searchByStatus', attribute: 'status' },
] as const satisfies readonly { filter: keyof DocumentSearch; index: string; attribute: string }[];

/** Every document, in one partition: what a search with no selective filter reads. */
export const searchAllIndex = { index: 'searchByDate', attribute: 'searchAll', value: 'all' } as const;

/** Where each filter is in the stored item, when a FilterExpression checks it. */
const filterPaths: Record<Exclude<keyof DocumentSearch, 'from' | 'to'>, readonly string[]> = {
  regNumber: ['regNumber'],
  theirRef: ['theirRefNumber'],
  correspondent: ['correspondentKey'],
  executor: ['executor'],
  kind: ['kind'],
  status: ['status'],
  channel: ['channel'],
  control: ['control', 'state'],
  direction: ['direction'],
};

/** Before any date in a sort key; after every date and time of the day that follows '#'. */
const lowestDate = '0000-01-01';
const highestDate = '9999-12-31';
const afterTheDay = '#~';
/** Unregistered replies (drafts) sort after every registered document, by when they were created. */
const draftPrefix = 'draft';

/**
 * The correspondent as a search compares it: NFC, case-folded, ё as е, every run of spaces as one,
 * and every kind of quotation mark as `"` (ООО «Ромашка» and ООО "Ромашка" are one name).
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[«»„“”‟"']/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A card's place in every search index: `regDate#registeredAt#id` for a registered document, and
 * `draft#createdAt#id` for a reply not yet registered (it has no registration date).
 */
export function searchKeyOf(card: DocumentCard): string {
  if (card.regDate !== undefined) return `${card.regDate}#${card.registeredAt ?? ''}#${card.id}`;
  return `${draftPrefix}#${card.direction === 'outgoing' ? card.createdAt : ''}#${card.id}`;
}

/** The index, key condition and filters for a search (the dates are checked by the caller). */
export function planSearch(search: DocumentSearch): SearchPlan {
  const chosen = searchIndexes.find((candidate) => filterValue(search, candidate.filter) !== undefined);
  const partition =
    chosen === undefined
      ? { index: searchAllIndex.index, attribute: searchAllIndex.attribute, value: searchAllIndex.value }
      : {
          index: chosen.index,
          attribute: chosen.attribute,
          value: filterValue(search, chosen.filter) ?? '',
        };
  const filters: SearchCondition[] = [];
  for (const [filter, path] of Object.entries(filterPaths) as [keyof typeof filterPaths, string[]][]) {
    const value = filterValue(search, filter);
    if (value !== undefined && filter !== chosen?.filter) filters.push({ path, value });
  }
  const range =
    search.from === undefined && search.to === undefined
      ? null
      : { from: search.from ?? lowestDate, to: `${search.to ?? highestDate}${afterTheDay}` };
  return {
    index: partition.index,
    partition: { attribute: partition.attribute, value: partition.value },
    range,
    filters,
  };
}

/** A filter's value as the index stores it (the correspondent normalised). */
function filterValue(search: DocumentSearch, filter: keyof typeof filterPaths): string | undefined {
  const value = search[filter];
  if (value === undefined) return undefined;
  return filter === 'correspondent' ? normaliseName(value) : value;
}

/** Whether a stored item with these key values is one the plan's key condition selects. */
export function planCovers(plan: SearchPlan, searchKey: string): boolean {
  return plan.range === null || (searchKey >= plan.range.from && searchKey <= plan.range.to);
}

/** Identifies the filters a cursor was made for; the limit may change from page to page. */
function fingerprintOf(search: DocumentSearch): string {
  const plan = planSearch(search);
  const canonical = JSON.stringify([
    plan.index,
    plan.partition.value,
    plan.range,
    plan.filters.map((f) => [f.path.join('.'), f.value]),
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

/** The opaque cursor: base64url JSON of the position and the fingerprint of the search it belongs to. */
export function encodeCursor(search: DocumentSearch, position: SearchPosition): string {
  const body = { v: 1, q: fingerprintOf(search), k: position.searchKey, i: position.id };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

const searchKeyPattern = /^(?:\d{4}-\d{2}-\d{2}|draft)#[^#]*#(.+)$/;

/** The position a cursor names, or why it cannot be used with this search. */
export function decodeCursor(
  search: DocumentSearch,
  cursor: string,
): { readonly position: SearchPosition } | { readonly problem: string } {
  const unreadable = { problem: 'is not a cursor this search returned' };
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) return unreadable;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return unreadable;
  }
  if (typeof body !== 'object' || body === null) return unreadable;
  const { v, q, k, i } = body as Record<string, unknown>;
  if (v !== 1 || typeof q !== 'string' || typeof k !== 'string' || typeof i !== 'string') return unreadable;
  const match = searchKeyPattern.exec(k);
  if (match === null || match[1] !== i) return unreadable;
  if (q !== fingerprintOf(search))
    return { problem: 'belongs to a search with other filters; start again without it' };
  if (!planCovers(planSearch(search), k)) return unreadable;
  return { position: { searchKey: k, id: i } };
}
