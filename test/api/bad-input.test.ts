import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRequest, startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * Input the API must refuse: every answer is a 4xx with a JSON body naming each bad field, never a 500,
 * and nothing refused before numbering ever moves a journal's counter.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.dispose();
});

/** Years whose counters the requests below would draw from, were any of them numbered. */
const watchedYears = [2014, 2021, 2022];

async function counters(): Promise<Array<number | null>> {
  return Promise.all(
    watchedYears.map(
      async (year) => (await stack.deps.journals.list(`incoming#${year}`)).counter?.last ?? null,
    ),
  );
}

/** Zod's own wording ("Too small: expected number to be >=1"): no answer may speak it. */
const zodPhrasing = /expected|Invalid input|Too small|Too big|Invalid option|Unrecognized key/i;

async function post(body: unknown, headers: Record<string, string> = {}) {
  const answer = await stack.call('POST', '/v1/incoming', { body, headers });
  expect(JSON.stringify(answer.body)).not.toMatch(zodPhrasing);
  return answer;
}

type Answer = Awaited<ReturnType<TestStack['call']>>;

/**
 * A POST over a connection of its own, closed afterwards: the server answers an oversized body before
 * reading it, and the unread rest must not disturb the connections the other tests reuse.
 */
async function postOnOwnConnection(body: string): Promise<Answer> {
  const headers = {
    Authorization: `Bearer ${await stack.token('clerk')}`,
    'Content-Type': 'application/json',
    Connection: 'close',
  };
  return new Promise((done, fail) => {
    const outgoing = request(
      `${stack.apiUrl}/v1/incoming`,
      { method: 'POST', agent: false, headers },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') responseHeaders.set(name, value);
          }
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {}
          done({ status: response.statusCode ?? 0, body: parsed, headers: responseHeaders });
        });
      },
    );
    // The server may hang up while the rest of the body is still being sent; its answer is what counts.
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') fail(error);
    });
    outgoing.end(body);
  });
}

/** A 400/413/422 with `{error, message, problems}` naming exactly `fields`. */
function expectRefusal(answer: Answer, status: number, fields: string[]) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toContain('application/json');
  expect(answer.body).toEqual({
    error: expect.any(String),
    message: expect.any(String),
    problems: expect.any(Array),
  });
  for (const problem of answer.body.problems) {
    expect(problem).toEqual({ field: expect.any(String), problem: expect.any(String) });
    expect(problem.problem.length).toBeGreaterThan(0);
  }
  const named = [...new Set(answer.body.problems.map((p: { field: string }) => p.field))].sort();
  expect(named).toEqual([...fields].sort());
  expect(JSON.stringify(answer.body)).not.toMatch(zodPhrasing);
}

const without = (field: string) => {
  const request = seedRequest();
  delete request[field];
  return request;
};

describe('POST /v1/incoming refuses bad input', () => {
  let before: Array<number | null>;

  beforeAll(async () => {
    before = await counters();
  });

  it('names every missing field of an empty object', async () => {
    const answer = await post({});
    expectRefusal(answer, 400, [
      'channel',
      'correspondent',
      'executor',
      'kind',
      'receivedAt',
      'subject',
      'theirRef',
    ]);
    expect(answer.body.error).toBe('ValidationError');
    expect(answer.body.problems).toContainEqual({ field: 'subject', problem: 'is required' });
  });

  it.each(['correspondent', 'theirRef', 'kind', 'subject', 'receivedAt', 'channel', 'executor'])(
    'names the missing field %s',
    async (field) => {
      expectRefusal(await post(without(field)), 400, [field]);
    },
  );

  it('names missing nested fields by their path', async () => {
    const answer = await post(seedRequest({ correspondent: {}, theirRef: { number: '25-24/6781' } }));
    expectRefusal(answer, 400, ['correspondent.organization', 'theirRef.date']);
  });

  it('names each wrong-typed field', async () => {
    const answer = await post(
      seedRequest({
        subject: 42,
        pages: '3',
        kind: 'memo',
        channel: null,
        theirRef: '25-24/6781',
        attachments: {},
      }),
    );
    expectRefusal(answer, 400, ['attachments', 'channel', 'kind', 'pages', 'subject', 'theirRef']);
    expect(answer.body.problems).toContainEqual({
      field: 'subject',
      problem: 'must be a string, got number',
    });
  });

  it('refuses fractional and out-of-range page counts, in plain words', async () => {
    const fractional = await post(seedRequest({ pages: 1.5 }));
    expectRefusal(fractional, 400, ['pages']);
    expect(fractional.body.problems).toEqual([
      { field: 'pages', problem: 'must be a whole number, got number' },
    ]);
    const zero = await post(seedRequest({ pages: 0 }));
    expectRefusal(zero, 400, ['pages']);
    expect(zero.body.problems).toEqual([{ field: 'pages', problem: 'must be at least 1' }]);
    const tooMany = await post(
      seedRequest({ attachments: Array.from({ length: 101 }, () => ({ title: 'Лист' })) }),
    );
    expect(tooMany.body.problems).toEqual([{ field: 'attachments', problem: 'must have at most 100 items' }]);
    expectRefusal(await post(seedRequest({ attachments: [{ title: 'Справка', pages: -1 }] })), 400, [
      'attachments.0.pages',
    ]);
  });

  it('refuses impossible and malformed dates', async () => {
    expectRefusal(await post(seedRequest({ theirRef: { number: '1', date: '2021-02-31' } })), 400, [
      'theirRef.date',
    ]);
    expectRefusal(await post(seedRequest({ theirRef: { number: '1', date: '10.06.2014' } })), 400, [
      'theirRef.date',
    ]);
    expectRefusal(await post(seedRequest({ receivedAt: '2021-02-31T10:00:00+03:00' })), 400, ['receivedAt']);
    expectRefusal(await post(seedRequest({ receivedAt: '2021-02-28T25:00:00+03:00' })), 400, ['receivedAt']);
    // An instant without a time zone is ambiguous.
    expectRefusal(await post(seedRequest({ receivedAt: '2014-06-16T09:30:00' })), 400, ['receivedAt']);
    const answer = await post(seedRequest({ theirRef: { number: '1', date: '2021-02-31' } }));
    expect(answer.body.problems[0].problem).toContain('2021-02-31');
  });

  it('refuses strings over their limits and blank strings', async () => {
    const answer = await post(
      seedRequest({
        subject: 'я'.repeat(2001),
        correspondent: { organization: 'x'.repeat(501) },
        theirRef: { number: '1'.repeat(101), date: '2014-06-10' },
        note: '   ',
      }),
    );
    expectRefusal(answer, 400, ['correspondent.organization', 'note', 'subject', 'theirRef.number']);
    expect(answer.body.problems).toContainEqual({
      field: 'subject',
      problem: 'must be at most 2000 characters',
    });
    // At the limit is fine up to validation: the next check (unknown executor) is what refuses it.
    expectRefusal(await post(seedRequest({ subject: 'я'.repeat(2000), executor: 'nobody' })), 422, [
      'executor',
    ]);
  });

  it('refuses unknown fields', async () => {
    const answer = await post(seedRequest({ regNumber: '01-05/999' }));
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body.problems)).toContain('regNumber');
  });

  it('answers 422 when their letter is dated after we received it', async () => {
    const answer = await post(seedRequest({ theirRef: { number: '25-24/6781', date: '2014-06-17' } }));
    expectRefusal(answer, 422, ['theirRef.date']);
    expect(answer.body.error).toBe('RuleViolationError');
  });

  it('answers 422 for an unknown executor, a receipt in the future, and names both', async () => {
    const answer = await post(seedRequest({ executor: 'ivanov', receivedAt: '2999-01-01T10:00:00+03:00' }));
    expectRefusal(answer, 422, ['executor', 'receivedAt']);
    expect(answer.body.problems).toContainEqual({
      field: 'executor',
      problem: expect.stringContaining('ivanov'),
    });
  });

  it('refuses a body that is not JSON, or is empty', async () => {
    for (const body of ['{"correspondent": ', 'correspondent=x', '', '   \n']) {
      const answer = await post(body);
      expectRefusal(answer, 400, ['(body)']);
      expect(answer.body.error).toBe('ValidationError');
    }
    const none = await stack.call('POST', '/v1/incoming', {});
    expectRefusal(none, 400, ['(body)']);
  });

  it('refuses JSON that is not an object', async () => {
    for (const body of ['null', '[]', '"a letter"', '42']) expectRefusal(await post(body), 400, ['(body)']);
  });

  it('answers 413 to a body over 1 MB, with a JSON body', async () => {
    const huge = JSON.stringify(seedRequest({ note: 'x'.repeat(1024 * 1024 + 16) }));
    expectRefusal(await postOnOwnConnection(huge), 413, ['(body)']);
    // Even a body that would be valid is refused for its size alone.
    const valid = JSON.stringify(seedRequest({ pad: ' '.repeat(1024 * 1024) }));
    expectRefusal(await postOnOwnConnection(valid), 413, ['(body)']);
  });

  it('refuses a malformed Idempotency-Key before doing anything', async () => {
    const theirRef = { number: 'IDEM-BAD', date: '2014-06-10' };
    for (const key of ['k'.repeat(201), 'two words']) {
      expectRefusal(await post(seedRequest({ theirRef }), { 'Idempotency-Key': key }), 400, [
        'Idempotency-Key',
      ]);
    }
    expect(await stack.deps.documents.findByTheirRef('IDEM-BAD')).toEqual([]);
  });

  it('refuses bad input in a back-dated or new-year request too, with its counter untouched', async () => {
    expectRefusal(
      await post(
        seedRequest({ receivedAt: '2021-12-31T21:30:00Z', theirRef: { number: 'NY', date: '2022-01-02' } }),
      ),
      422,
      ['theirRef.date'],
    );
    expectRefusal(
      await post(seedRequest({ receivedAt: '2021-11-11T10:00:00+03:00', kind: 'unknown' })),
      400,
      ['kind'],
    );
  });

  it('took no number for any of the requests above: no counter moved, none was even created', async () => {
    expect(before).toEqual([null, null, null]);
    expect(await counters()).toEqual(before);
  });
});

describe('reads refuse bad input without a server fault', () => {
  it('answers 404, not a fault, for an unknown document id of any shape', async () => {
    for (const id of ['nope', 'x'.repeat(3000), encodeURIComponent('ид документа')]) {
      const card = await stack.call('GET', `/v1/documents/${id}`);
      expect(card.status, `card ${id.slice(0, 20)}`).toBe(404);
      expect(card.body.error).toBe('NotFoundError');
      const history = await stack.call('GET', `/v1/documents/${id}/history`);
      expect(history.status, `history ${id.slice(0, 20)}`).toBe(404);
      expect(history.body.error).toBe('NotFoundError');
    }
  });

  it('answers a search with an empty or oversized value without a server fault', async () => {
    for (const query of ['theirRef=', 'regNumber=', `theirRef=${'x'.repeat(3000)}`]) {
      const { status, body } = await stack.call('GET', `/v1/documents?${query}`);
      expect(status, query.slice(0, 30)).toBeLessThan(500);
      if (status === 200) expect(body).toEqual({ items: [], next: null });
      else
        expect(body).toMatchObject({
          error: 'ValidationError',
          problems: [expect.objectContaining({ field: expect.any(String) })],
        });
    }
  });

  it('answers 400 for a year that is not a four-digit year', async () => {
    for (const year of ['20x2', '202', '20222', '0999', '3000', '-2022', '2022.0']) {
      const { status, body } = await stack.call('GET', `/v1/journals/incoming/${year}`);
      expect(status, year).toBe(400);
      expect(body).toMatchObject({
        error: 'ValidationError',
        problems: [{ field: 'year', problem: expect.any(String) }],
      });
    }
  });

  it('answers 404 for unknown routes with a JSON body', async () => {
    const { status, body } = await stack.call('GET', '/v1/nothing-here');
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: 'NotFoundError', message: expect.any(String) });
  });
});
