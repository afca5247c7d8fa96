import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  normaliseName,
  planCovers,
  planSearch,
  searchAllIndex,
  searchIndexes,
  searchKeyOf,
  searchSortKey,
} from '../../functions/domain/document-search.ts';
import type { DocumentCard } from '../../functions/domain/documents.ts';
import { tables } from '../../infra/resources.ts';

const id = '0b7f0a52-3c1e-4a8e-9d3b-5a1f6c2e8d40';
const incoming = (regDate: string, registeredAt: string, cardId = id) =>
  ({ id: cardId, direction: 'incoming', regDate, registeredAt }) as unknown as DocumentCard;
const draft = (createdAt: string) =>
  ({ id, direction: 'outgoing', createdAt, status: 'awaiting_signature' }) as unknown as DocumentCard;

describe('planSearch', () => {
  it('reads the date-ordered index of every document when no filter picks another', () => {
    expect(planSearch({})).toEqual({
      index: 'searchByDate',
      partition: { attribute: 'searchAll', value: 'all' },
      range: null,
      filters: [],
    });
    const plan = planSearch({
      from: '2021-07-01',
      to: '2021-07-31',
      channel: 'hotline',
      direction: 'incoming',
    });
    expect(plan.index).toBe('searchByDate');
    expect(plan.range).toEqual({ from: '2021-07-01', to: '2021-07-31#~' });
    expect(plan.filters).toEqual([
      { path: ['channel'], value: 'hotline' },
      { path: ['direction'], value: 'incoming' },
    ]);
  });

  it('takes the most selective index the filters allow and checks the rest as filters', () => {
    const plan = planSearch({
      kind: 'request',
      executor: 'plaksina',
      theirRef: '25-24/6781',
      control: 'open',
    });
    expect(plan.index).toBe('searchByTheirRef');
    expect(plan.partition).toEqual({ attribute: 'theirRefNumber', value: '25-24/6781' });
    expect(plan.filters).toEqual([
      { path: ['executor'], value: 'plaksina' },
      { path: ['kind'], value: 'request' },
      { path: ['control', 'state'], value: 'open' },
    ]);
    expect(planSearch({ status: 'answered', kind: 'order' }).index).toBe('searchByKind');
    expect(planSearch({ status: 'answered', direction: 'incoming' }).index).toBe('searchByStatus');
    expect(planSearch({ regNumber: '01-05/1', theirRef: 'x' }).index).toBe('searchByRegNumber');
  });

  it('compares the correspondent in its normalised form, in the key and as a filter', () => {
    const plan = planSearch({ correspondent: 'ООО  «Ёлка»' });
    expect(plan.partition).toEqual({ attribute: 'correspondentKey', value: 'ооо "елка"' });
    expect(planSearch({ regNumber: '1', correspondent: 'Ёж' }).filters).toEqual([
      { path: ['correspondentKey'], value: 'еж' },
    ]);
  });

  it('closes an open-ended range so that unregistered replies stay out of any date range', () => {
    const from = planSearch({ from: '2021-01-01' });
    expect(from.range).toEqual({ from: '2021-01-01', to: '9999-12-31#~' });
    expect(planCovers(from, searchKeyOf(incoming('2021-01-01', '2021-01-01T06:00:00.000Z')))).toBe(true);
    expect(planCovers(from, searchKeyOf(incoming('2020-12-31', '2020-12-31T20:00:00.000Z')))).toBe(false);
    expect(planCovers(from, searchKeyOf(draft('2021-02-01T10:00:00.000Z')))).toBe(false);
    const to = planSearch({ to: '2021-01-31' });
    expect(planCovers(to, searchKeyOf(incoming('2021-01-31', '2021-01-31T23:59:59.999Z')))).toBe(true);
    expect(planCovers(to, searchKeyOf(incoming('2021-02-01', '2021-01-31T21:00:00.000Z')))).toBe(false);
  });

  it('names only indexes the documents table declares, each sorted by the search key', () => {
    const declared = new Map(tables.documents.indexes.map((index) => [index.name, index]));
    for (const { index, attribute } of [...searchIndexes, searchAllIndex]) {
      expect(declared.get(index), index).toEqual({
        name: index,
        partitionKey: { name: attribute, type: 'S' },
        sortKey: { name: searchSortKey, type: 'S' },
      });
    }
    expect(tables.documents.indexes.length).toBeLessThanOrEqual(15);
  });
});

describe('searchKeyOf', () => {
  it('orders by registration date, then the moment of registration, then id; drafts after every date', () => {
    const keys = [
      searchKeyOf(draft('2020-01-01T00:00:00.000Z')),
      searchKeyOf(incoming('2021-03-02', '2021-03-01T22:00:00.000Z')),
      searchKeyOf(incoming('2021-03-01', '2021-03-01T09:00:00.000Z', 'ffffffff-0000-4000-8000-000000000000')),
      searchKeyOf(incoming('2021-03-01', '2021-03-01T08:00:00.000Z', 'ffffffff-0000-4000-8000-000000000000')),
      searchKeyOf(incoming('2021-03-01', '2021-03-01T08:00:00.000Z', '00000000-0000-4000-8000-000000000000')),
    ];
    expect([...keys].sort()).toEqual([...keys].reverse());
  });
});

describe('normaliseName', () => {
  it.each([
    ['  Аппарат   Правительства\tСтавропольского края ', 'аппарат правительства ставропольского края'],
    ['ООО «Ромашка»', 'ооо "ромашка"'],
    ['ООО "Ромашка"', 'ооо "ромашка"'],
    ['Фёдоров Пётр', 'федоров петр'],
    ['ФЁДОРОВ', 'федоров'],
    ['e\u0301', '\u00e9'],
  ])('%j is compared as %j', (name, expected) => {
    expect(normaliseName(name)).toBe(expected);
  });
});

describe('the cursor', () => {
  const search = { executor: 'plaksina', from: '2021-01-01' } as const;
  const position = { searchKey: `2021-03-01#2021-03-01T08:00:00.000Z#${id}`, id };

  it('gives back the position it was made from, for the same filters', () => {
    const cursor = encodeCursor(search, position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor({ from: '2021-01-01', executor: 'plaksina' }, cursor)).toEqual({ position });
  });

  it('refuses a cursor used with other filters', () => {
    const cursor = encodeCursor(search, position);
    for (const other of [
      { executor: 'plaksina' },
      { ...search, kind: 'order' as const },
      { ...search, executor: 'x' },
    ])
      expect(decodeCursor(other, cursor)).toEqual({ problem: expect.stringContaining('other filters') });
  });

  it('refuses what does not decode, or names no place this search can reach', () => {
    const body = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const valid = JSON.parse(Buffer.from(encodeCursor(search, position), 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const bad = [
      'not a cursor!',
      '',
      'x'.repeat(3000),
      Buffer.from('{"v":1').toString('base64url'),
      body([1, 2]),
      body({ ...valid, v: 2 }),
      body({ ...valid, i: 'another-id' }),
      body({ ...valid, k: `2020-12-31#2020-12-31T08:00:00.000Z#${id}` }),
      body({ ...valid, k: 42 }),
    ];
    for (const cursor of bad)
      expect(decodeCursor(search, cursor), cursor.slice(0, 40)).toEqual({ problem: expect.any(String) });
  });
});
