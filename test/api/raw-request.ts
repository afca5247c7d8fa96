import { request } from 'node:http';
import type { TestStack } from '../support/local-stack.ts';

/** An answer as the tests read it: the status, the body parsed as JSON when it is JSON, the headers. */
export interface RawAnswer {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
  /** How long the server took to answer, in milliseconds. */
  readonly elapsedMs: number;
}

/**
 * Sends bytes exactly as given, over a connection of its own that is closed afterwards: the server
 * may answer an oversized body before reading it, and the unread rest must not disturb the
 * connections other tests reuse. Headers are sent as given; none are added but the token's.
 */
export async function sendRaw(
  stack: TestStack,
  method: string,
  path: string,
  body: Uint8Array | string | undefined,
  headers: Record<string, string> = {},
  role: Parameters<TestStack['token']>[0] | null = 'clerk',
): Promise<RawAnswer> {
  const auth: Record<string, string> =
    role === null ? {} : { Authorization: `Bearer ${await stack.token(role)}` };
  const started = performance.now();
  return new Promise((done, fail) => {
    const outgoing = request(
      `${stack.apiUrl}${path}`,
      { method, agent: false, headers: { Connection: 'close', ...auth, ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const elapsedMs = performance.now() - started;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') responseHeaders.set(name, value);
          }
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {}
          done({ status: response.statusCode ?? 0, body: parsed, headers: responseHeaders, elapsedMs });
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

const cp1251Letters = 'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя';
/** KOI8-R puts the Cyrillic letters at 0xC0-0xFF in this (phonetic) order. */
const koi8rLetters = 'юабцдефгхийклмнопярстужвьызшэщчъЮАБЦДЕФГХИЙКЛМНОПЯРСТУЖВЬЫЗШЭЩЧЪ';

const tables: Record<'windows-1251' | 'koi8-r', Map<string, number>> = {
  'windows-1251': new Map([
    ...[...cp1251Letters].map((letter, i) => [letter, 0xc0 + i] as const),
    ['Ё', 0xa8],
    ['ё', 0xb8],
    ['«', 0xab],
    ['»', 0xbb],
    ['№', 0xb9],
  ]),
  'koi8-r': new Map([
    ...[...koi8rLetters].map((letter, i) => [letter, 0xc0 + i] as const),
    ['ё', 0xa3],
    ['Ё', 0xb3],
  ]),
};

/** Text in a Russian single-byte charset, built from the tables above (no iconv needed). */
export function encodeRussian(text: string, charset: 'windows-1251' | 'koi8-r'): Uint8Array {
  const table = tables[charset];
  return Uint8Array.from([...text], (char) => {
    const code = char.charCodeAt(0);
    if (code < 0x80) return code;
    const byte = table.get(char);
    if (byte === undefined) throw new Error(`${char} has no byte in this test's ${charset} table`);
    return byte;
  });
}
