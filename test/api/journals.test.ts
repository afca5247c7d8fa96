import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configStartingAt,
  namedError,
  seedRequest,
  startTestStack,
  type TestStack,
} from '../support/local-stack.ts';

/**
 * GET /v1/journals/{journal}/{year}: numbering per journal and calendar year, starting numbers carried
 * over from another system, back-dated registrations, and numbers voided by failed registrations.
 * The incoming journal continues another system's numbering in 2022, from 500.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ config: await configStartingAt('incoming', { '2022': 500 }) });
});

afterAll(async () => {
  await stack?.dispose();
});

let letterCount = 0;

function letter(receivedAt: string, theirDate: string): Record<string, unknown> {
  letterCount++;
  return seedRequest({ theirRef: { number: `J-${letterCount}`, date: theirDate }, receivedAt });
}

async function register(
  request: Record<string, unknown>,
): Promise<{ id: string; regNumber: string; regDate: string }> {
  const { status, body } = await stack.call('POST', '/v1/incoming', { body: request });
  expect(status, JSON.stringify(body)).toBe(201);
  return body;
}

const listing = (journal: string, year: string | number) =>
  stack.call('GET', `/v1/journals/${journal}/${year}`, { role: 'auditor' });

describe('GET /v1/journals/{journal}/{year}', () => {
  it('lists a year nothing was numbered in as empty, starting at its starting number', async () => {
    const { status, body } = await listing('incoming', 2022);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      journal: 'incoming',
      year: 2022,
      firstNumber: 500,
      lastNumber: null,
      entries: [],
    });
    expect(body.title).toEqual(expect.any(String));

    const outgoing = await listing('outgoing', 2022);
    expect(outgoing.status).toBe(200);
    expect(outgoing.body).toMatchObject({ journal: 'outgoing', firstNumber: 1, entries: [] });
  });

  it('starts 2022 at 01-05/500, and keeps counting 2022 across a back-dated 2021 registration', async () => {
    const a = await register(letter('2022-02-01T10:00:00+03:00', '2022-01-28'));
    const b = await register(letter('2022-02-02T10:00:00+03:00', '2022-01-28'));
    // Received in 2021, registered only now: it belongs to 2021's journal.
    const old = await register(letter('2021-12-30T16:00:00+03:00', '2021-12-20'));
    const c = await register(letter('2022-02-03T10:00:00+03:00', '2022-02-01'));

    expect([a, b, c].map((d) => d.regNumber)).toEqual(['01-05/500', '01-05/501', '01-05/502']);
    expect(old).toMatchObject({ regNumber: '01-05/1', regDate: '2021-12-30' });

    const year2022 = await listing('incoming', 2022);
    expect(year2022.status).toBe(200);
    expect(year2022.body).toMatchObject({ firstNumber: 500, lastNumber: 502 });
    expect(year2022.body.entries).toEqual([
      expect.objectContaining({ seq: 500, regNumber: '01-05/500', regDate: '2022-02-01', documentId: a.id }),
      expect.objectContaining({ seq: 501, regNumber: '01-05/501', regDate: '2022-02-02', documentId: b.id }),
      expect.objectContaining({ seq: 502, regNumber: '01-05/502', regDate: '2022-02-03', documentId: c.id }),
    ]);

    const year2021 = await listing('incoming', 2021);
    expect(year2021.body).toMatchObject({ firstNumber: 1, lastNumber: 1 });
    expect(year2021.body.entries).toEqual([
      expect.objectContaining({ seq: 1, regNumber: '01-05/1', regDate: '2021-12-30', documentId: old.id }),
    ]);
  });

  it('takes the year from the registration date in Moscow time, not UTC', async () => {
    // 21:30 UTC on 31 December 2022 is already 00:30 on 1 January 2023 in Moscow.
    const newYear = await register(letter('2022-12-31T21:30:00Z', '2022-12-29'));
    expect(newYear).toMatchObject({ regNumber: '01-05/1', regDate: '2023-01-01' });
    const year2023 = await listing('incoming', 2023);
    expect(year2023.body.entries).toEqual([expect.objectContaining({ seq: 1, documentId: newYear.id })]);
    expect((await listing('incoming', 2022)).body.lastNumber).toBe(502);
  });

  it('shows a number voided by a failed registration with its reason, and hands out the next one after it', async () => {
    const request = letter('2022-03-01T10:00:00+03:00', '2022-02-27');
    stack.faults['SaveCard'] = namedError('DiskOnFire', 'the archive volume is read-only');
    let faulted: Awaited<ReturnType<TestStack['call']>>;
    try {
      faulted = await stack.call('POST', '/v1/incoming', { body: request });
    } finally {
      delete stack.faults['SaveCard'];
    }
    expect(faulted.status).toBe(500);

    const next = await register(request);
    expect(next.regNumber).toBe('01-05/504');

    const { body } = await listing('incoming', 2022);
    expect(body).toMatchObject({ firstNumber: 500, lastNumber: 504 });
    expect(body.entries.map((e: { seq: number }) => e.seq)).toEqual([500, 501, 502, 503, 504]);
    const voided = body.entries[3];
    expect(voided).toMatchObject({
      seq: 503,
      regNumber: '01-05/503',
      voided: { reason: expect.stringContaining('DiskOnFire') },
    });
    expect(voided).not.toHaveProperty('documentId');
    expect(body.entries[4]).toMatchObject({ seq: 504, documentId: next.id });
    expect(body.entries[4]).not.toHaveProperty('voided');
  });

  it('answers 404 for a journal the configuration does not define', async () => {
    for (const journal of ['internal', 'nope', 'constructor', '__proto__', 'toString']) {
      const { status, body } = await listing(journal, 2022);
      expect(status, journal).toBe(404);
      expect(body).toMatchObject({
        error: 'NotFoundError',
        problems: [{ field: 'journal', problem: expect.any(String) }],
      });
    }
  });

  it('answers 400 for a year that is not a four-digit year', async () => {
    for (const year of ['22', 'twenty', '2022a', '1899', '10000']) {
      const { status, body } = await listing('incoming', year);
      expect(status, year).toBe(400);
      expect(body).toMatchObject({
        error: 'ValidationError',
        problems: [{ field: 'year', problem: expect.any(String) }],
      });
    }
  });

  it('is readable by every role and by nobody without a token', async () => {
    for (const role of ['clerk', 'signer', 'auditor', 'admin'] as const) {
      const { status } = await stack.call('GET', '/v1/journals/incoming/2022', { role });
      expect(status, role).toBe(200);
    }
    expect((await stack.call('GET', '/v1/journals/incoming/2022', { role: null })).status).toBe(401);
  });
});
