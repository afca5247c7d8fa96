import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namedError, seedRequest, startTestStack, type TestStack } from '../support/local-stack.ts';

/** Registering and reading incoming documents over HTTP, against the whole local stack. */

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.dispose();
});

let letterCount = 0;

type Letter = Record<string, unknown> & {
  readonly theirRef: { readonly number: string; readonly date: string };
};

/** A letter of its own (distinct number from the correspondent) received in 2019. */
function letter(overrides: Record<string, unknown> = {}): Letter {
  letterCount++;
  return seedRequest({
    theirRef: { number: `API-${letterCount}`, date: '2019-04-01' },
    receivedAt: '2019-04-02T11:00:00+03:00',
    ...overrides,
  }) as Letter;
}

const counterOf = async (year: number) =>
  (await stack.deps.journals.list(`incoming#${year}`)).counter?.last ?? null;

/** An Authorization header for a clerk with the given token subject. */
const asClerk = async (sub: string) => ({ Authorization: `Bearer ${await stack.token('clerk', sub)}` });

describe('POST /v1/incoming and the document reads', () => {
  let seeded: { id: string; regNumber: string };

  beforeAll(async () => {
    const { status, body } = await stack.call('POST', '/v1/incoming', { body: seedRequest() });
    expect(status).toBe(201);
    seeded = body;
  });

  it('registers the seed letter as 01-05/1 of 16 June 2014 and answers 201 with the card', async () => {
    expect(seeded).toMatchObject({
      regNumber: '01-05/1',
      regDate: '2014-06-16',
      regSeq: 1,
      status: 'registered',
      direction: 'incoming',
      journal: 'incoming',
      duplicate: false,
      receivedAt: '2014-06-16T06:30:00.000Z',
      theirRef: { number: '25-24/6781', date: '2014-06-10' },
      subject: 'О мерах по внедрению системы «Открытое правительство»',
      registeredBy: { sub: 'test-clerk', role: 'clerk' },
    });
    expect(seeded.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(seeded).not.toHaveProperty('duplicateKey');
    expect(await counterOf(2014)).toBe(1);
  });

  it('answers the same letter again with 200, the same card and duplicate: true, taking no number', async () => {
    const again = await stack.call('POST', '/v1/incoming', { body: seedRequest() });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...seeded, duplicate: true });
    expect(await counterOf(2014)).toBe(1);
  });

  it('recognises the same letter through quotes, case, ё and spacing in the organisation name', async () => {
    const spellings = [
      '«Аппарат Правительства Ставропольского края»',
      'АППАРАТ ПРАВИТЕЛЬСТВА СТАВРОПОЛЬСКОГО КРАЯ',
      '"аппарат   правительства ставропольского края"',
      'Аппарат Правитёльства Ставропольского края',
    ];
    for (const organization of spellings) {
      const { status, body } = await stack.call('POST', '/v1/incoming', {
        body: seedRequest({ correspondent: { organization }, subject: 'Повторно' }),
      });
      expect(status, organization).toBe(200);
      expect(body).toMatchObject({ id: seeded.id, regNumber: '01-05/1', duplicate: true });
    }
    expect(await counterOf(2014)).toBe(1);
  });

  it('registers a letter from another correspondent with the same number as a new document', async () => {
    const { status, body } = await stack.call('POST', '/v1/incoming', {
      body: seedRequest({ correspondent: { organization: 'Прокуратура Красногвардейского района' } }),
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ regNumber: '01-05/2', duplicate: false });
    expect(body.id).not.toBe(seeded.id);
    expect(await counterOf(2014)).toBe(2);
  });

  it('GET /v1/documents/{id} returns the card, and 404 with a JSON error for an unknown id', async () => {
    const found = await stack.call('GET', `/v1/documents/${seeded.id}`, { role: 'auditor' });
    expect(found.status).toBe(200);
    const { duplicate: _duplicate, ...card } = seeded as typeof seeded & { duplicate: boolean };
    expect(found.body).toEqual(card);

    const missing = await stack.call('GET', '/v1/documents/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'NotFoundError', message: expect.any(String) });
  });

  it('finds documents by their number or by our registration number', async () => {
    const byTheirRef = await stack.call('GET', `/v1/documents?theirRef=${encodeURIComponent('25-24/6781')}`);
    expect(byTheirRef.status).toBe(200);
    expect(byTheirRef.body.items.map((c: { regNumber: string }) => c.regNumber)).toEqual([
      '01-05/1',
      '01-05/2',
    ]);
    expect(byTheirRef.body.items[0]).not.toHaveProperty('duplicateKey');

    const byRegNumber = await stack.call('GET', `/v1/documents?regNumber=${encodeURIComponent('01-05/1')}`);
    expect(byRegNumber.status).toBe(200);
    expect(byRegNumber.body.items).toHaveLength(1);
    expect(byRegNumber.body.items[0]).toMatchObject({ id: seeded.id, regDate: '2014-06-16' });

    expect(byRegNumber.body.next).toBeNull();

    const none = await stack.call('GET', `/v1/documents?theirRef=${encodeURIComponent('no-such/1')}`);
    expect(none).toMatchObject({ status: 200, body: { items: [], next: null } });
  });

  it('finds by both numbers at once only what has both, and answers 400 naming an unknown parameter', async () => {
    const both = await stack.call('GET', '/v1/documents?theirRef=25-24%2F6781&regNumber=01-05%2F1');
    expect(both.status).toBe(200);
    expect(both.body.items.map((c: { id: string }) => c.id)).toEqual([seeded.id]);
    const crossed = await stack.call('GET', '/v1/documents?theirRef=no-such%2F1&regNumber=01-05%2F1');
    expect(crossed.body).toEqual({ items: [], next: null });
    const unknown = await stack.call('GET', '/v1/documents?other=1');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      error: 'ValidationError',
      problems: [{ field: 'other', problem: expect.any(String) }],
    });
  });

  it('GET /v1/documents/{id}/history returns the registered event first, then each repeated receipt, in an intact chain', async () => {
    const { status, body } = await stack.call('GET', `/v1/documents/${seeded.id}/history`, {
      role: 'auditor',
    });
    expect(status).toBe(200);
    expect(body.documentId).toBe(seeded.id);
    expect(body.chain).toEqual({ intact: true });
    // The seed letter was posted again by the duplicate tests above: each repeat is in its history.
    expect(body.events.length).toBeGreaterThan(1);
    expect(body.events.slice(1).map((e: { type: string }) => e.type)).toEqual(
      Array.from({ length: body.events.length - 1 }, () => 'received_again'),
    );
    expect(body.events[1].data).toMatchObject({ theirRef: { number: '25-24/6781', date: '2014-06-10' } });
    expect(body.events[0]).toMatchObject({
      seq: 1,
      type: 'registered',
      actor: { sub: 'test-clerk', role: 'clerk' },
      data: { after: { id: seeded.id, regNumber: '01-05/1' } },
      prevHash: '0'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const missing = await stack.call('GET', '/v1/documents/00000000-0000-4000-8000-000000000000/history');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('NotFoundError');
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer (status and body) to a retry, with Idempotent-Replayed, taking no number', async () => {
    const request = letter();
    const headers = { 'Idempotency-Key': 'retry-1' };
    const first = await stack.call('POST', '/v1/incoming', { body: request, headers });
    expect(first.status).toBe(201);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    const counter = await counterOf(2019);

    const retry = await stack.call('POST', '/v1/incoming', { body: request, headers });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await counterOf(2019)).toBe(counter);

    // Without the key the same letter is answered as a duplicate instead.
    const plain = await stack.call('POST', '/v1/incoming', { body: request });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ id: first.body.id, duplicate: true });
  });

  it('keeps nothing for a request its validation refused (422): the retry runs again, the corrected one registers', async () => {
    const corrected = letter();
    const bad = { ...corrected, executor: 'nobody' };
    const headers = { 'Idempotency-Key': 'retry-rejected' };
    const first = await stack.call('POST', '/v1/incoming', { body: bad, headers });
    expect(first.status).toBe(422);
    const again = await stack.call('POST', '/v1/incoming', { body: bad, headers });
    expect(again.status).toBe(422);
    expect(again.headers.get('Idempotent-Replayed')).toBeNull();

    const fixed = await stack.call('POST', '/v1/incoming', { body: corrected, headers });
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('Idempotent-Replayed')).toBeNull();
    const replay = await stack.call('POST', '/v1/incoming', { body: corrected, headers });
    expect(replay).toMatchObject({ status: 201, body: fixed.body });
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
  });

  it('keeps nothing for a malformed request (400): the same key then registers the corrected one', async () => {
    const corrected = letter();
    const headers = { 'Idempotency-Key': 'retry-malformed' };
    // Refused by the workflow's own validation, and refused by the API before the workflow starts.
    for (const malformed of [{ ...corrected, pages: 0 }, '{"correspondent": ']) {
      const refused = await stack.call('POST', '/v1/incoming', { body: malformed, headers });
      expect(refused.status).toBe(400);
    }
    const fixed = await stack.call('POST', '/v1/incoming', { body: corrected, headers });
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('Idempotent-Replayed')).toBeNull();
  });

  it('keeps nothing for a request refused for its media type (415)', async () => {
    const corrected = letter();
    const headers = { 'Idempotency-Key': 'retry-media-type' };
    const refused = await stack.call('POST', '/v1/incoming', {
      body: corrected,
      headers: { ...headers, 'Content-Type': 'text/plain' },
    });
    expect(refused.status).toBe(415);
    const fixed = await stack.call('POST', '/v1/incoming', { body: corrected, headers });
    expect(fixed.status).toBe(201);
  });

  it('answers 422 when the same key comes with a different body, and registers nothing', async () => {
    const headers = { 'Idempotency-Key': 'retry-2' };
    const first = await stack.call('POST', '/v1/incoming', { body: letter(), headers });
    expect(first.status).toBe(201);
    const counter = await counterOf(2019);

    const other = letter();
    const reused = await stack.call('POST', '/v1/incoming', { body: other, headers });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({
      error: expect.any(String),
      message: expect.any(String),
      problems: [{ field: 'Idempotency-Key', problem: expect.any(String) }],
    });
    expect(await counterOf(2019)).toBe(counter);
    expect(await stack.deps.documents.findByTheirRef(other.theirRef.number)).toEqual([]);
  });

  it('scopes keys to the token subject', async () => {
    const alice = await stack.call('POST', '/v1/incoming', {
      body: letter(),
      headers: { ...(await asClerk('alice')), 'Idempotency-Key': 'shared-key' },
    });
    const bob = await stack.call('POST', '/v1/incoming', {
      body: letter(),
      headers: { ...(await asClerk('bob')), 'Idempotency-Key': 'shared-key' },
    });
    expect(alice.status).toBe(201);
    expect(bob.status).toBe(201);
    expect(bob.headers.get('Idempotent-Replayed')).toBeNull();
    expect(bob.body.id).not.toBe(alice.body.id);
    expect(bob.body.registeredBy).toEqual({ sub: 'bob', role: 'clerk' });
  });

  it('keeps subjects apart even when a subject or key contains a colon', async () => {
    // ("urn:dept", "k") and ("urn", "dept:k") are different callers with different keys.
    const first = await stack.call('POST', '/v1/incoming', {
      body: letter(),
      headers: { ...(await asClerk('urn:dept')), 'Idempotency-Key': 'k' },
    });
    expect(first.status).toBe(201);
    const second = await stack.call('POST', '/v1/incoming', {
      body: letter(),
      headers: { ...(await asClerk('urn')), 'Idempotency-Key': 'dept:k' },
    });
    expect(second.status).toBe(201);
    expect(second.body.registeredBy).toEqual({ sub: 'urn', role: 'clerk' });
  });
});

describe('a fault after the number was taken', () => {
  it('answers 500 with a JSON body and no stack, voids the number, releases the claim, and moves on', async () => {
    const request = letter({
      receivedAt: '2018-05-05T10:00:00+03:00',
      theirRef: { number: 'FAULT-1', date: '2018-05-04' },
    });
    const headers = { 'Idempotency-Key': 'fault-1' };
    const before = await stack.call('POST', '/v1/incoming', {
      body: letter({
        receivedAt: '2018-05-05T09:00:00+03:00',
        theirRef: { number: 'FAULT-0', date: '2018-05-04' },
      }),
    });
    expect(before.body.regNumber).toBe('01-05/1');

    stack.faults['SaveCard'] = namedError('DiskOnFire', 'the disk is on fire');
    let faulted: Awaited<ReturnType<TestStack['call']>>;
    try {
      faulted = await stack.call('POST', '/v1/incoming', { body: request, headers });
    } finally {
      delete stack.faults['SaveCard'];
    }
    expect(faulted.status).toBe(500);
    expect(faulted.headers.get('content-type')).toContain('application/json');
    expect(faulted.body).toEqual({ error: expect.any(String), message: expect.any(String) });
    const text = JSON.stringify(faulted.body);
    expect(text).not.toMatch(/\bat .+\(|\.ts:\d+|node:internal|stack/);

    const listing = await stack.call('GET', '/v1/journals/incoming/2018', { role: 'auditor' });
    expect(listing.status).toBe(200);
    expect(listing.body.entries).toHaveLength(2);
    expect(listing.body.entries[1]).toMatchObject({
      seq: 2,
      regNumber: '01-05/2',
      voided: { reason: expect.stringContaining('DiskOnFire') },
    });
    expect(listing.body.entries[1]).not.toHaveProperty('documentId');

    // The fault is not replayed to the retry, and the letter's claim was released: it registers anew.
    const retry = await stack.call('POST', '/v1/incoming', { body: request, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull();
    expect(retry.body).toMatchObject({ regNumber: '01-05/3', duplicate: false });

    const after = await stack.call('GET', '/v1/journals/incoming/2018', { role: 'auditor' });
    expect(after.body.entries.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect(after.body.entries[2]).toMatchObject({ documentId: retry.body.id });
    expect(after.body.entries.some((e: object) => 'unaccounted' in e)).toBe(false);
  });
});
