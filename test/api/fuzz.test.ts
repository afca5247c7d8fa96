import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { statusesOf } from '../../functions/api/contract.ts';
import { maxBodyBytes } from '../../functions/api/http.ts';
import { apiRoutes } from '../../functions/api/openapi.ts';
import { seedRequest, startTestStack, type TestStack } from '../support/local-stack.ts';
import { type RawAnswer, sendRaw } from './raw-request.ts';

/**
 * The HTTP API against random input: random JSON shapes, deep nesting, long and strange strings and
 * wrong types on the routes that take a body, random path and query parts on the reads, and random
 * bytes under random Content-Types. Whatever comes in, the answer is never a fault, always an error
 * body that names what is wrong, one of the statuses the route documents, and prompt.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  // Every refusal is logged as a warning; hundreds of them would bury the test's own output.
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

afterAll(async () => {
  vi.restoreAllMocks();
  await stack?.dispose();
});

/** Generous: a 1 MiB body is answered in well under this on a small machine. */
const promptMs = 2000;

interface Call {
  readonly method: 'GET' | 'POST';
  /** The route's path in Hono's syntax, to look up the statuses it documents; null for no route. */
  readonly route: string | null;
  readonly path: string;
  readonly body?: Uint8Array | string;
  readonly contentType?: string;
}

const documentedStatuses = (route: string | null, method: string): number[] => {
  const found = apiRoutes.find((r) => r.path === route && r.method === method.toLowerCase());
  // A path no route matches is the app's 404.
  return found === undefined ? [401, 404] : statusesOf(found);
};

async function call(c: Call): Promise<RawAnswer> {
  const headers = c.contentType === undefined ? {} : { 'Content-Type': c.contentType };
  return sendRaw(stack, c.method, c.path, c.body, headers, 'clerk');
}

/** What every answer must be, whatever was asked. */
function expectWellFormedAnswer(c: Call, answer: RawAnswer) {
  const what = `${c.method} ${c.path.slice(0, 80)} (${c.contentType ?? 'no type'}, ${String(c.body?.length ?? 0)} bytes) -> ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
  expect(answer.status, what).toBeLessThan(500);
  expect(documentedStatuses(c.route, c.method), what).toContain(answer.status);
  expect(answer.elapsedMs, what).toBeLessThan(promptMs);
  if (answer.status >= 400) {
    expect(answer.body, what).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  }
  if ([400, 413, 415, 422].includes(answer.status)) {
    expect(answer.body.problems, what).toEqual(expect.arrayContaining([expect.anything()]));
    for (const problem of answer.body.problems) {
      expect(problem, what).toEqual(
        expect.objectContaining({ field: expect.any(String), problem: expect.any(String) }),
      );
      expect(problem.field.length, what).toBeGreaterThan(0);
    }
  }
}

// ---- arbitraries -------------------------------------------------------------------------------

/** Every byte percent-encoded: invalid UTF-8, slashes and NULs included, as one path segment or value. */
const percentEncoded = (bytes: Uint8Array) =>
  [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const urlPart = fc.oneof(
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.uint8Array({ maxLength: 40 }).map(percentEncoded),
  fc.constantFrom(
    '',
    '..',
    '%',
    '%zz',
    '%E0%A4%A',
    'incoming',
    '2014',
    '00000000-0000-4000-8000-000000000000',
  ),
);

const strangeString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('', ' ', '\u200B', '\u0000', '\u202Eabc', 'и\u0306', '\uD800', '\uFEFF', '\\', '"', '\r\n'),
  // Long runs of what once made a pattern backtrack, and of everything else.
  fc
    .tuple(
      fc.constantFrom('\n', '\r\n', 'A', '=', 'я', '\u200B', ' ', '['),
      fc.integer({ min: 100, max: 200_000 }),
      fc.constantFrom('', '!', '=', ' ', 'A', '\u0000'),
    )
    .map(([unit, count, stray]) => unit.repeat(count) + stray),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  strangeString,
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(null, true, 0, -1, 1.5, 1e308, -0, [], {}),
);

/** A body of nothing but nesting, beyond and within the depth limit. */
const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 50_000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`);

let letterCount = 0;
/** The seed letter with one field changed, one field dropped, or one field added. */
const mangledLetter = fc
  .tuple(
    fc.constantFrom(
      'correspondent',
      'theirRef',
      'kind',
      'subject',
      'receivedAt',
      'channel',
      'executor',
      'pages',
      'attachments',
      'note',
      'extra',
    ),
    fc.constantFrom('set', 'delete', 'nest'),
    anyValue,
  )
  .map(([field, change, value]) => {
    letterCount++;
    const letter = seedRequest({
      theirRef: { number: `FUZZ-${letterCount}`, date: '2016-01-01' },
      receivedAt: '2016-01-02T10:00:00+03:00',
    });
    if (change === 'delete') delete letter[field];
    else if (change === 'nest') letter[field] = { organization: value, number: value, title: value };
    else letter[field] = value;
    return letter;
  });

const verifyRequest = fc.record(
  {
    signature: fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b).toString('base64')),
      anyValue,
    ),
    content: fc.oneof(fc.base64String({ maxLength: 100 }), anyValue),
    certificate: fc.oneof(fc.base64String({ maxLength: 100 }), anyValue),
    at: anyValue,
  },
  { requiredKeys: [] },
);

const jsonBody = (body: unknown) => (typeof body === 'string' ? body : (JSON.stringify(body) ?? 'null'));

const structuredCall: fc.Arbitrary<Call> = fc.oneof(
  fc.oneof(mangledLetter, anyValue, deepNesting).map(
    (body): Call => ({
      method: 'POST',
      route: '/v1/incoming',
      path: '/v1/incoming',
      body: jsonBody(body),
      contentType: 'application/json',
    }),
  ),
  fc.oneof(verifyRequest, anyValue, deepNesting).map(
    (body): Call => ({
      method: 'POST',
      route: '/v1/signatures/verify',
      path: '/v1/signatures/verify',
      body: jsonBody(body),
      contentType: 'application/json',
    }),
  ),
  urlPart.map((id): Call => ({ method: 'GET', route: '/v1/documents/:id', path: `/v1/documents/${id}` })),
  urlPart.map(
    (id): Call => ({
      method: 'GET',
      route: '/v1/documents/:id/history',
      path: `/v1/documents/${id}/history`,
    }),
  ),
  fc.array(fc.tuple(fc.constantFrom('theirRef', 'regNumber', 'other', ''), urlPart), { maxLength: 3 }).map(
    (pairs): Call => ({
      method: 'GET',
      route: '/v1/documents',
      path: `/v1/documents?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`,
    }),
  ),
  fc.tuple(urlPart, urlPart).map(
    ([journal, year]): Call => ({
      method: 'GET',
      route: journal === '' || year === '' ? null : '/v1/journals/:journal/:year',
      path: `/v1/journals/${journal}/${year}`,
    }),
  ),
);

const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=windows-1251',
    'application/json; charset=koi8-r',
    'application/json; charset=iso-8859-5',
    'application/json; charset=utf-16',
    'application/json; charset=',
    'application/json; charset="utf-8"',
    'application/problem+json',
    'text/plain',
    'multipart/form-data; boundary=x',
    ';',
  ),
  fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
  fc.constant(undefined),
);

/** Random bytes, or JSON text with random bytes spliced in, under a random Content-Type. */
const rawCall: fc.Arbitrary<Call> = fc
  .tuple(
    fc.constantFrom('/v1/incoming', '/v1/signatures/verify'),
    fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc
        .tuple(mangledLetter, fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat())
        .map(([letter, noise, at]) => {
          const text = Buffer.from(JSON.stringify(letter));
          const cut = at % text.length;
          return Buffer.concat([text.subarray(0, cut), noise, text.subarray(cut)]);
        }),
    ),
    contentType,
  )
  .map(
    ([path, body, type]): Call => ({
      method: 'POST',
      route: path,
      path,
      body,
      ...(type === undefined ? {} : { contentType: type }),
    }),
  );

describe('the API under random input', () => {
  it('answers random structured requests with a documented, well-formed, prompt answer', async () => {
    await fc.assert(
      fc.asyncProperty(structuredCall, async (c) => {
        expectWellFormedAnswer(c, await call(c));
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('answers random bytes under random Content-Types the same way', async () => {
    await fc.assert(
      fc.asyncProperty(rawCall, async (c) => {
        expectWellFormedAnswer(c, await call(c));
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('answers bodies of nearly 1 MiB promptly, whatever they hold', async () => {
    const near = maxBodyBytes - 64;
    const bodies: Array<[string, string | Uint8Array]> = [
      ['/v1/signatures/verify', JSON.stringify({ signature: `${'\n'.repeat(near / 2 - 20)}!` })],
      ['/v1/signatures/verify', JSON.stringify({ signature: `${'A'.repeat(near - 40)}` })],
      ['/v1/incoming', '['.repeat(near)],
      ['/v1/incoming', JSON.stringify(seedRequest({ subject: '\u200B'.repeat(near / 6) }))],
      ['/v1/incoming', `"${'\\"'.repeat(near / 2 - 2)}"`],
      ['/v1/incoming', Buffer.alloc(near, 0xff)],
      ['/v1/incoming', JSON.stringify(Array.from({ length: near / 4 }, () => 1))],
    ];
    for (const [path, body] of bodies) {
      const c: Call = { method: 'POST', route: path, path, body, contentType: 'application/json' };
      expectWellFormedAnswer(c, await call(c));
    }
  }, 60_000);
});
