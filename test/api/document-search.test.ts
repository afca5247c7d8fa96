import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client.ts';
import {
  currentDocumentItem,
  DynamoDocumentStore,
} from '../../functions/adapters/dynamodb/document-store.ts';
import type { Config } from '../../functions/domain/config.ts';
import type { SearchPosition, SearchResult } from '../../functions/domain/document-search.ts';
import { referenceDraft } from '../../functions/domain/letter/reference-letter.ts';
import { createTableInput, ensureTables } from '../../infra/local/tables.ts';
import { localTableNames, tables } from '../../infra/resources.ts';
import {
  seedConfig,
  seedRequest,
  settableClock,
  startTestStack,
  type TestStack,
} from '../support/local-stack.ts';

/**
 * GET /v1/documents: a search by any combination of filters, page by page, against documents
 * registered through the API (incoming letters of several kinds, channels, executors, correspondents,
 * dates and control states, and a reply), each answer checked against the fixture's own facts.
 */

const clock = settableClock('2021-12-31T09:00:00+03:00');
let stack: TestStack;

/** What a fixture document is, as the filters see it. */
interface Fact {
  readonly id: string;
  readonly direction: 'incoming' | 'outgoing';
  readonly regNumber?: string;
  readonly theirRef?: string;
  readonly organization?: string;
  readonly executor: string;
  readonly kind?: string;
  readonly status: string;
  readonly channel?: string;
  readonly control?: 'open' | 'done' | 'removed';
  readonly regDate?: string;
  /** The card's place in the search order. */
  readonly order: string;
}

const facts: Fact[] = [];
let minute = 0;

async function officeConfig(): Promise<Config> {
  const base = await seedConfig();
  return {
    ...base,
    executors: {
      ...base.executors,
      orlova: { fullName: 'Орлова Мария Петровна', phone: '8(86541) 2-52-42' },
    },
  };
}

interface Letter {
  readonly organization: string;
  readonly kind: string;
  readonly channel: string;
  readonly executor: string;
  readonly received: string;
  readonly dueDate?: string;
}

/** Registers a letter through the API, each a minute after the one before. */
async function register(letter: Letter, theirRef = `С-${facts.length + 1}`): Promise<Fact> {
  minute++;
  clock.set(new Date(Date.parse('2021-12-31T06:00:00Z') + minute * 60_000).toISOString());
  const answer = await stack.call('POST', '/v1/incoming', {
    body: seedRequest({
      correspondent: { organization: letter.organization },
      theirRef: { number: theirRef, date: letter.received },
      kind: letter.kind,
      channel: letter.channel,
      executor: letter.executor,
      receivedAt: `${letter.received}T10:00:00+03:00`,
      ...(letter.dueDate === undefined ? {} : { dueDate: letter.dueDate }),
    }),
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const card = answer.body;
  return {
    id: card.id,
    direction: 'incoming',
    regNumber: card.regNumber,
    theirRef,
    organization: letter.organization,
    executor: letter.executor,
    kind: letter.kind,
    status: card.status,
    channel: letter.channel,
    ...(card.control == null ? {} : { control: card.control.state }),
    regDate: card.regDate,
    order: `${card.regDate}#${card.registeredAt}#${card.id}`,
  };
}

const letters: Letter[] = [
  // Registered out of date order, so that the answer's order is the store's doing.
  {
    organization: 'Министерство финансов',
    kind: 'order',
    channel: 'courier',
    executor: 'plaksina',
    received: '2021-05-05',
  },
  {
    organization: 'Аппарат Правительства Ставропольского края',
    kind: 'request',
    channel: 'post',
    executor: 'plaksina',
    received: '2021-03-01',
    dueDate: '2021-03-20',
  },
  {
    organization: 'ООО «Ромашка»',
    kind: 'letter',
    channel: 'email',
    executor: 'orlova',
    received: '2021-03-02',
  },
  {
    organization: 'Фёдоров Пётр Ильич',
    kind: 'citizen_appeal',
    channel: 'hotline',
    executor: 'orlova',
    received: '2021-03-02',
  },
  {
    organization: 'ООО "Ромашка"',
    kind: 'request',
    channel: 'medo',
    executor: 'plaksina',
    received: '2021-04-10',
    dueDate: '2021-04-30',
  },
  {
    organization: 'Фёдоров  Пётр Ильич',
    kind: 'citizen_appeal',
    channel: 'email',
    executor: 'plaksina',
    received: '2021-06-01',
  },
];

const search = (query: string, role: 'clerk' | 'auditor' | 'signer' | 'admin' = 'clerk') =>
  stack.call('GET', `/v1/documents${query === '' ? '' : `?${query}`}`, { role });

/** Every page of a search, following `next`; each page's ids. */
async function allPages(query: string, limit: number, between?: () => void): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams(query);
    params.set('limit', String(limit));
    if (cursor !== null) params.set('cursor', cursor);
    const { status, body } = await search(params.toString());
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    pages.push(body.items.map((card: { id: string }) => card.id));
    cursor = body.next ?? null;
    between?.();
  } while (cursor !== null && pages.length < 100);
  return pages;
}

const ids = (matching: (fact: Fact) => boolean) =>
  facts
    .filter(matching)
    .sort((a, b) => (a.order < b.order ? -1 : 1))
    .map((fact) => fact.id);

beforeAll(async () => {
  stack = await startTestStack({ config: await officeConfig(), clock });
  for (const letter of letters) facts.push(await register(letter));
  // Control: the appeal of 2021-03-02 removed from it, the request of 2021-04-10 done.
  const [, , , appeal, request] = facts;
  if (appeal === undefined || request === undefined) throw new Error('the fixture is short');
  const removed = await stack.call('POST', `/v1/documents/${appeal.id}/control/close`, {
    body: { how: 'removed', reason: 'Обращение отозвано заявителем' },
  });
  expect(removed.status, JSON.stringify(removed.body)).toBe(200);
  const done = await stack.call('POST', `/v1/documents/${request.id}/control/close`, {
    body: { how: 'report_accepted' },
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  facts[3] = { ...appeal, control: 'removed' };
  facts[4] = { ...request, control: 'done' };
  // A reply to the request of 2021-03-01, prepared by orlova and awaiting its signature.
  const answered = facts[1];
  const reply = await stack.call('POST', '/v1/outgoing', {
    body: {
      inReplyTo: [answered?.id],
      addressee: { lines: referenceDraft.addresseeLines },
      title: referenceDraft.titleLines,
      paragraphs: referenceDraft.paragraphs,
      signer: 'kulikov',
      executor: 'orlova',
    },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  facts.push({
    id: reply.body.id,
    direction: 'outgoing',
    executor: 'orlova',
    status: reply.body.status,
    order: `draft#${reply.body.createdAt}#${reply.body.id}`,
  });
}, 60_000);
afterAll(async () => stack?.dispose());

describe('each filter', () => {
  const norm = (name = '') =>
    name.toLowerCase().replaceAll('ё', 'е').replace(/[«»"]/g, '"').replace(/\s+/g, ' ');
  const cases: [string, (f: Fact) => boolean][] = [
    ['', () => true],
    ['regNumber=01-05%2F2', (f) => f.regNumber === '01-05/2'],
    ['theirRef=%D0%A1-3', (f) => f.theirRef === 'С-3'],
    [
      'correspondent=%D0%BE%D0%BE%D0%BE%20%22%D1%80%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0%22',
      (f) => norm(f.organization) === 'ооо "ромашка"',
    ],
    [
      `correspondent=${encodeURIComponent('ФЕДОРОВ   петр ильич')}`,
      (f) => norm(f.organization) === 'федоров петр ильич',
    ],
    ['executor=orlova', (f) => f.executor === 'orlova'],
    ['executor=plaksina', (f) => f.executor === 'plaksina'],
    ['kind=citizen_appeal', (f) => f.kind === 'citizen_appeal'],
    ['kind=request', (f) => f.kind === 'request'],
    ['status=registered', (f) => f.status === 'registered'],
    ['status=awaiting_signature', (f) => f.status === 'awaiting_signature'],
    ['channel=email', (f) => f.channel === 'email'],
    ['control=open', (f) => f.control === 'open'],
    ['control=done', (f) => f.control === 'done'],
    ['control=removed', (f) => f.control === 'removed'],
    ['direction=outgoing', (f) => f.direction === 'outgoing'],
    ['direction=incoming', (f) => f.direction === 'incoming'],
    ['from=2021-03-02', (f) => f.regDate !== undefined && f.regDate >= '2021-03-02'],
    ['to=2021-03-02', (f) => f.regDate !== undefined && f.regDate <= '2021-03-02'],
    [
      'from=2021-03-02&to=2021-04-10',
      (f) => f.regDate !== undefined && f.regDate >= '2021-03-02' && f.regDate <= '2021-04-10',
    ],
  ];

  it.each(cases)('?%s finds exactly its documents, oldest first', async (query, matching) => {
    const expected = ids(matching);
    expect(expected.length, 'the fixture has matches').toBeGreaterThan(0);
    const { status, body } = await search(query);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.items.map((c: { id: string }) => c.id)).toEqual(expected);
    expect(body.next).toBeNull();
  });

  it('strips the index attributes from the cards it answers', async () => {
    const { body } = await search('');
    for (const card of body.items) {
      for (const attribute of ['searchKey', 'searchAll', 'correspondentKey', 'theirRefNumber'])
        expect(card, attribute).not.toHaveProperty(attribute);
    }
  });
});

describe('filters combined', () => {
  const cases: [string, (f: Fact) => boolean][] = [
    ['executor=plaksina&kind=request', (f) => f.executor === 'plaksina' && f.kind === 'request'],
    ['executor=orlova&direction=outgoing', (f) => f.executor === 'orlova' && f.direction === 'outgoing'],
    ['kind=citizen_appeal&channel=email', (f) => f.kind === 'citizen_appeal' && f.channel === 'email'],
    [
      'status=registered&control=open&from=2021-05-01',
      (f) => f.status === 'registered' && f.control === 'open' && (f.regDate ?? '') >= '2021-05-01',
    ],
    [
      'executor=plaksina&from=2021-03-01&to=2021-04-30',
      (f) => f.executor === 'plaksina' && f.regDate !== undefined && f.regDate <= '2021-04-30',
    ],
    [`correspondent=${encodeURIComponent('ООО «Ромашка»')}&channel=medo`, (f) => f.channel === 'medo'],
    [
      'theirRef=%D0%A1-3&executor=orlova&kind=letter&channel=email&direction=incoming&status=registered',
      (f) => f.theirRef === 'С-3',
    ],
  ];

  it.each(cases)('?%s finds exactly the documents matching all', async (query, matching) => {
    const expected = ids(matching);
    expect(expected.length, 'the fixture has matches').toBeGreaterThan(0);
    const { body } = await search(query);
    expect(body.items.map((c: { id: string }) => c.id)).toEqual(expected);
  });

  it('finds nothing when the filters exclude each other', async () => {
    for (const query of [
      'kind=order&executor=orlova',
      'direction=outgoing&channel=email',
      'theirRef=%D0%A1-3&executor=plaksina',
    ]) {
      expect((await search(query)).body, query).toEqual({ items: [], next: null });
    }
  });

  it('answers every role, the auditor included', async () => {
    for (const role of ['auditor', 'signer', 'admin'] as const) {
      const { status, body } = await search('kind=order', role);
      expect(status, role).toBe(200);
      expect(body.items.map((c: { id: string }) => c.id)).toEqual(ids((f) => f.kind === 'order'));
    }
  });
});

describe('pages', () => {
  it('returns every match once, in order, whatever the page size', async () => {
    for (const [query, matching] of [
      ['', () => true],
      ['executor=plaksina', (f: Fact) => f.executor === 'plaksina'],
      ['kind=request&from=2021-01-01', (f: Fact) => f.kind === 'request'],
      // A filter the index does not decide: most of what a page reads is left out.
      ['channel=email', (f: Fact) => f.channel === 'email'],
    ] as const) {
      for (const limit of [1, 2, 3]) {
        const pages = await allPages(query, limit);
        expect(pages.flat(), `${query} by ${limit}`).toEqual(ids(matching));
        expect(
          pages.slice(0, -1).every((page) => page.length === limit),
          `${query} by ${limit}`,
        ).toBe(true);
      }
    }
  });

  it('returns each document that was there before the first page exactly once while others are added', async () => {
    const before = ids((f) => f.executor === 'plaksina');
    const beforeAll = ids(() => true);
    const added: Promise<Fact>[] = [];
    const dates = ['2021-02-01', '2021-03-01', '2021-04-15', '2021-07-01', '2021-11-30'];
    let round = 0;
    const addMore = () => {
      // Matching and not matching, before, among and after the documents already paged through.
      const received = dates[round % dates.length] ?? '2021-01-01';
      round++;
      for (const executor of ['plaksina', 'orlova'])
        added.push(
          register(
            { organization: `Корреспондент ${round}`, kind: 'letter', channel: 'post', executor, received },
            `Д-${round}-${executor}`,
          ),
        );
    };
    const [filtered, everything] = await Promise.all([
      allPages('executor=plaksina', 2, addMore),
      allPages('', 3, addMore),
    ]);
    const newFacts = await Promise.all(added);
    expect(newFacts.length).toBeGreaterThan(4);
    for (const [pages, existing, matching] of [
      [filtered, before, (f: Fact) => f.executor === 'plaksina'],
      [everything, beforeAll, () => true],
    ] as const) {
      const seen = pages.flat();
      expect(new Set(seen).size, 'none twice').toBe(seen.length);
      for (const id of existing)
        expect(
          seen.filter((s) => s === id),
          id,
        ).toHaveLength(1);
      // Nothing but matches, and in the search order.
      const all = [...facts, ...newFacts];
      const order = new Map(all.map((f) => [f.id, f]));
      const answered = seen.map((id) => order.get(id));
      expect(answered.every((f) => f !== undefined && matching(f))).toBe(true);
      const keys = answered.map((f) => f?.order ?? '');
      expect(keys).toEqual([...keys].sort());
    }
    facts.push(...newFacts);
  });
});

describe('a search that reads little per page', () => {
  it('stops after its reads with a next, and the pages still hold every match once', async () => {
    const client = createDocumentClient({ endpoint: stack.dynamoEndpoint });
    try {
      const store = new DynamoDocumentStore(client, stack.tableNames.documents, {
        itemsPerRead: 1,
        readsPerPage: 2,
      });
      const query = { channel: 'email' } as const;
      const seen: string[] = [];
      let after: SearchPosition | null = null;
      let short = 0;
      for (let page = 0; page < 200; page++) {
        const result: SearchResult = await store.search(query, { limit: 2, after });
        seen.push(...result.items.map((card) => card.id));
        if (result.next !== null && result.items.length < 2) short++;
        after = result.next;
        if (after === null) break;
      }
      expect(after).toBeNull();
      expect(short, 'pages cut short by their reads').toBeGreaterThan(0);
      expect(seen).toEqual(ids((f) => f.channel === 'email'));
    } finally {
      client.destroy();
    }
  });
});

describe('a card written before the search indexes', () => {
  it('is found once the embedded store rebuilds its table with them at start', async () => {
    const client = createDocumentClient({ endpoint: stack.dynamoEndpoint });
    const dataDir = await mkdtemp(join(tmpdir(), 'docroute-search-'));
    try {
      const names = localTableNames(`before${Date.now()}`);
      const before = {
        ...tables.documents,
        indexes: tables.documents.indexes.filter((index) => !index.name.startsWith('search')),
      };
      await client.send(new CreateTableCommand(createTableInput(names.documents, before)));
      const fact = facts[2];
      const card = fact === undefined ? null : await stack.deps.documents.get(fact.id);
      if (card === null) throw new Error('the fixture card is missing');
      // As the store wrote it before: without the search attributes.
      const {
        searchAll: _a,
        searchKey: _k,
        correspondentKey: _c,
        ...item
      } = currentDocumentItem(card as unknown as Record<string, unknown>);
      await client.send(new PutCommand({ TableName: names.documents, Item: item }));
      const store = new DynamoDocumentStore(client, names.documents);
      await ensureTables(client, names, dataDir);
      for (const query of [{}, { correspondent: 'ооо «ромашка»' }, { executor: card.executor }] as const) {
        const page = await store.search(query, { limit: 10, after: null });
        expect(page.items, JSON.stringify(query)).toEqual([card]);
      }
    } finally {
      client.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a card stored before the search indexes on a deployed table', () => {
  it('is found once addSearchAttributes has written it again, and a second run writes nothing', async () => {
    const client = createDocumentClient({ endpoint: stack.dynamoEndpoint });
    try {
      const fact = facts[0];
      const card = fact === undefined ? null : await stack.deps.documents.get(fact.id);
      if (card === null) throw new Error('the fixture card is missing');
      const {
        searchAll: _a,
        searchKey: _k,
        correspondentKey: _c,
        ...item
      } = currentDocumentItem(card as unknown as Record<string, unknown>);
      await client.send(new PutCommand({ TableName: stack.tableNames.documents, Item: item }));
      const store = new DynamoDocumentStore(client, stack.tableNames.documents);
      const query = { correspondent: 'Министерство финансов' };
      expect((await store.search(query, { limit: 10, after: null })).items).toEqual([]);
      expect(await store.addSearchAttributes()).toBe(1);
      expect((await store.search(query, { limit: 10, after: null })).items).toEqual([card]);
      expect(await store.addSearchAttributes()).toBe(0);
    } finally {
      client.destroy();
    }
  });
});

describe('bad input', () => {
  const firstCursor = async (query: string) => {
    const { body } = await search(`${query}&limit=1`);
    expect(typeof body.next).toBe('string');
    return body.next as string;
  };

  it('answers 400 naming the field', async () => {
    const cursor = await firstCursor('executor=plaksina');
    const tampered = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(cursor, 'base64url').toString()), i: 'x' }),
    ).toString('base64url');
    const cases: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=1.5', 'limit'],
      ['sort=desc', 'sort'],
      ['executor=plaksina&executor=orlova', 'executor'],
      ['from=2021-02-30', 'from'],
      ['to=21.03.2021', 'to'],
      ['from=2021-05-01&to=2021-04-01', 'to'],
      ['kind=memo', 'kind'],
      ['status=lost', 'status'],
      ['control=overdue', 'control'],
      ['direction=sideways', 'direction'],
      ['channel=pigeon', 'channel'],
      ['regNumber=', 'regNumber'],
      [`theirRef=${encodeURIComponent('25\u0000')}`, 'theirRef'],
      ['cursor=not-a-cursor', 'cursor'],
      ['cursor=%21%21', 'cursor'],
      [`executor=plaksina&cursor=${tampered}`, 'cursor'],
      [`executor=orlova&cursor=${cursor}`, 'cursor'],
      [`executor=plaksina&kind=request&cursor=${cursor}`, 'cursor'],
      [`cursor=${cursor}`, 'cursor'],
    ];
    for (const [query, field] of cases) {
      const { status, body } = await search(query);
      expect(status, query).toBe(400);
      expect(body.error, query).toBe('ValidationError');
      expect(
        body.problems.map((p: { field: string }) => p.field),
        query,
      ).toEqual([field]);
    }
  });

  it('takes a value with broken percent-encoding as the text it is, without a fault', async () => {
    expect(await search('theirRef=%E0%A4%A')).toMatchObject({ status: 200, body: { items: [], next: null } });
  });

  it('takes a cursor again with the same filters, in any order, and another limit', async () => {
    const cursor = await firstCursor('executor=plaksina&from=2021-01-01');
    const { status, body } = await search(`from=2021-01-01&executor=plaksina&limit=100&cursor=${cursor}`);
    expect(status).toBe(200);
    expect(body.items.map((c: { id: string }) => c.id)).toEqual(
      ids((f) => f.executor === 'plaksina' && f.regDate !== undefined).slice(1),
    );
  });
});
