import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxJsonDepth } from '../../functions/api/json-body.ts';
import { seedRequest, startTestStack, type TestStack } from '../support/local-stack.ts';
import { encodeRussian, type RawAnswer, sendRaw } from './raw-request.ts';

/**
 * Regressions for input that once held the server or slipped past it: each exact input that froze
 * the event loop, crashed the parser or was stored as garbage, and what it is answered now.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.dispose();
});

/** Far above what any of these needs now; the frozen server took 21 s for the first of them. */
const promptMs = 2000;

let letterCount = 0;
/** A letter of its own (received in 2015, a year no other test here numbers in). */
function letter(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  letterCount++;
  return seedRequest({
    theirRef: { number: `HOSTILE-${letterCount}`, date: '2015-03-01' },
    receivedAt: '2015-03-02T10:00:00+03:00',
    ...overrides,
  });
}

const json = 'application/json';
/** `contentType` null sends no Content-Type at all. */
const postIncoming = (body: Uint8Array | string, contentType: string | null = json) =>
  sendRaw(stack, 'POST', '/v1/incoming', body, contentType === null ? {} : { 'Content-Type': contentType });
const postVerify = (body: Uint8Array | string, contentType = json) =>
  sendRaw(stack, 'POST', '/v1/signatures/verify', body, { 'Content-Type': contentType });

/** A refusal with the error body every 4xx has, naming each of `fields`. */
function expectRefusal(answer: RawAnswer, status: number, fields: string[]) {
  expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(status);
  expect(answer.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  const named = [...new Set(answer.body.problems.map((p: { field: string }) => p.field))].sort();
  expect(named).toEqual([...fields].sort());
}

describe('no input holds the event loop', () => {
  it.each([128_000, 400_000])(
    'answers a signature of %i newlines, then a stray character, at once',
    async (count) => {
      for (const signature of ['\n'.repeat(count), `${'\n'.repeat(count)}!`, `A${'\n'.repeat(count)}=!`]) {
        const answer = await postVerify(JSON.stringify({ signature }));
        expectRefusal(answer, 400, ['signature']);
        expect(answer.elapsedMs).toBeLessThan(promptMs);
      }
    },
  );

  it('answers a signature of 175,000 nested indefinite-length ASN.1 sequences at once, as unreadable', async () => {
    const nested = Buffer.from(Array.from({ length: 350_000 }, (_, i) => (i % 2 === 0 ? 0x30 : 0x80)));
    const answer = await postVerify(JSON.stringify({ signature: nested.toString('base64') }));
    expectRefusal(answer, 422, ['signature']);
    expect(answer.elapsedMs).toBeLessThan(promptMs);
  });

  it('still reads base64 wrapped with line breaks', async () => {
    const wrapped = `${Buffer.from('not a signature at all').toString('base64')}\r\n\r\n`;
    const answer = await postVerify(JSON.stringify({ signature: wrapped }));
    expectRefusal(answer, 422, ['signature']);
  });

  it('refuses JSON nested 100,000 deep with 400 on (body), at once, before any workflow starts', async () => {
    const before = (await stack.deps.journals.list('incoming#2015')).counter;
    for (const body of [
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `{"subject":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`,
    ]) {
      const incoming = await postIncoming(body);
      expectRefusal(incoming, 400, ['(body)']);
      expect(incoming.body.message).toContain(String(maxJsonDepth));
      expect(incoming.elapsedMs).toBeLessThan(promptMs);
      expectRefusal(await postVerify(body), 400, ['(body)']);
    }
    expect((await stack.deps.journals.list('incoming#2015')).counter).toEqual(before);
  });

  it(`takes nesting up to ${maxJsonDepth} levels to validation, and counts no bracket inside a string`, async () => {
    const deep = `${'['.repeat(maxJsonDepth - 1)}1${']'.repeat(maxJsonDepth - 1)}`;
    expectRefusal(await postIncoming(JSON.stringify(letter({ subject: JSON.parse(deep) }))), 400, [
      'subject',
    ]);
    const bracketsInText = letter({ subject: `[{"\\"${'['.repeat(1000)}` });
    expect((await postIncoming(JSON.stringify(bracketsInText))).status).toBe(201);
  });

  it('answers 413 with Connection: close to a verify body over 1 MiB', async () => {
    const answer = await postVerify(JSON.stringify({ signature: 'A'.repeat(1024 * 1024) }));
    expectRefusal(answer, 413, ['(body)']);
    expect(answer.headers.get('connection')).toBe('close');
  });
});

describe('text as Russian offices send it', () => {
  const cyrillic = {
    correspondent: { organization: 'Администрация города Ставрополя', person: 'Ёлкин Ю.Я.' },
    subject: 'О благоустройстве',
  };

  it('decodes a windows-1251 body when the charset says so', async () => {
    const request = letter({ ...cyrillic, subject: 'О проекте «Чистый город» №5' });
    const bytes = encodeRussian(JSON.stringify(request), 'windows-1251');
    const answer = await postIncoming(bytes, 'application/json; charset=windows-1251');
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.correspondent).toEqual(cyrillic.correspondent);
    expect(answer.body.subject).toBe('О проекте «Чистый город» №5');
  });

  it('decodes a koi8-r body, the charset name in any case and quoted', async () => {
    const request = letter(cyrillic);
    const bytes = encodeRussian(JSON.stringify(request), 'koi8-r');
    const answer = await postIncoming(bytes, 'application/json;charset="KOI8-R"');
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.correspondent).toEqual(cyrillic.correspondent);
  });

  it('reads UTF-8 with or without a byte order mark, charset declared or not', async () => {
    for (const [bom, contentType] of [
      ['\uFEFF', 'application/json'],
      ['', 'application/json; charset=utf-8'],
      ['\uFEFF', 'application/json; charset=UTF-8'],
    ] as const) {
      const answer = await postIncoming(Buffer.from(bom + JSON.stringify(letter(cyrillic))), contentType);
      expect(answer.status, contentType).toBe(201);
      expect(answer.body.correspondent).toEqual(cyrillic.correspondent);
    }
  });

  it('answers 415 naming Content-Type for a charset it does not read', async () => {
    const body = JSON.stringify(letter());
    for (const contentType of ['application/json; charset=iso-8859-5', 'application/json; charset=utf-16']) {
      const answer = await postIncoming(body, contentType);
      expectRefusal(answer, 415, ['Content-Type']);
      expect(answer.body.error).toBe('UnsupportedMediaType');
    }
  });

  it('answers 415 to a body that is not declared as JSON, or not declared at all', async () => {
    const body = JSON.stringify(letter());
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      null,
    ]) {
      expectRefusal(await postIncoming(body, contentType), 415, ['Content-Type']);
    }
    expectRefusal(await postVerify('{"signature":"AAAA"}', 'text/json'), 415, ['Content-Type']);
    // A structured +json type is JSON.
    expect((await postIncoming(body, 'application/vnd.docroute+json')).status).toBe(201);
  });

  it('answers 400 on (body) to bytes that are not UTF-8, with no charset or with utf-8', async () => {
    const valid = Buffer.from(JSON.stringify(letter({ subject: 'XX' })));
    const at = valid.indexOf('XX');
    const invalid = Buffer.from(valid);
    invalid[at] = 0xc3; // a lead byte followed by `X`: not UTF-8
    invalid[at + 1] = 0x28;
    const lone = Buffer.from(valid);
    lone[at] = 0xff;
    for (const bytes of [invalid, lone]) {
      for (const contentType of ['application/json', 'application/json; charset=utf-8']) {
        const answer = await postIncoming(bytes, contentType);
        expectRefusal(answer, 400, ['(body)']);
        expect(answer.body.error).toBe('ValidationError');
      }
    }
  });

  it('stores text NFC-normalised: и with a combining breve is stored as й', async () => {
    const answer = await postIncoming(
      JSON.stringify(letter({ correspondent: { organization: 'Каменныи\u0306 Брод' } })),
    );
    expect(answer.status).toBe(201);
    expect(answer.body.correspondent.organization).toBe('Каменный Брод');
  });

  it('refuses an organisation made of one zero-width space, naming it', async () => {
    for (const organization of ['\u200B', '\u200B\u200D \uFEFF\u2060', '\u00A0\u3000']) {
      expectRefusal(await postIncoming(JSON.stringify(letter({ correspondent: { organization } }))), 400, [
        'correspondent.organization',
      ]);
    }
  });

  it('refuses NUL and U+202E in the subject, and control characters anywhere, naming each field', async () => {
    for (const subject of ['До\u0000говор', 'Договор \u202Efdp.exe', 'Дого\u0085вор', 'Дого\u007Fвор']) {
      expectRefusal(await postIncoming(JSON.stringify(letter({ subject }))), 400, ['subject']);
    }
    const answer = await postIncoming(
      JSON.stringify(
        letter({
          correspondent: { organization: 'Администрация\tгорода', person: 'Ёлкин\u2066 Ю.Я.' },
          theirRef: { number: '25\n24', date: '2015-03-01' },
          attachments: [{ title: 'Справка\u0007' }],
          note: 'Со\uD800общение',
        }),
      ),
    );
    expectRefusal(answer, 400, [
      'attachments.0.title',
      'correspondent.organization',
      'correspondent.person',
      'note',
      'theirRef.number',
    ]);
  });

  it('lets a subject or a note run over several lines', async () => {
    const answer = await postIncoming(
      JSON.stringify(letter({ subject: 'О мерах\r\nпо внедрению', note: 'Первое.\n\tВторое.' })),
    );
    expect(answer.status).toBe(201);
  });

  it('refuses control characters in a search', async () => {
    const { status, body } = await stack.call(
      'GET',
      `/v1/documents?theirRef=${encodeURIComponent('25\u0000')}`,
    );
    expect(status).toBe(400);
    expect(body.problems).toEqual([{ field: 'theirRef', problem: expect.stringContaining('NUL') }]);
  });
});
