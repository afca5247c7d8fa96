/**
 * The CrlSource port over HTTP(S): a GET of a distribution point's URL, as CAs publish CRLs
 * (RFC 5280 §4.2.1.13). http and https only; the body is counted while it streams and cut off past
 * `maxBytes`; the whole fetch, redirects included, has `timeoutMs`; at most `maxRedirects`
 * redirects. Every failure is an answer naming why (the caller has the URL), never a rejection.
 * The bytes are not trusted for anything: the revocation check reads them and verifies the CRL's
 * signature with its issuer's key like any other CRL.
 */
import http from 'node:http';
import https from 'node:https';
import type { CrlFetchResult } from '../../domain/signatures/crl-fetch.ts';
import type { CrlSource } from '../../ports/crl-source.ts';

export interface HttpCrlSourceOptions {
  /** @default 10 MiB */
  readonly maxBytes?: number;
  /** For the whole fetch, redirects included. @default 10 000 */
  readonly timeoutMs?: number;
  /** @default 3 */
  readonly maxRedirects?: number;
  readonly now?: () => Date;
}

const mebibyte = 1024 * 1024;

class FetchProblem extends Error {
  override readonly name = 'FetchProblem';
}

export function httpCrlSource(options: HttpCrlSourceOptions = {}): CrlSource {
  const { maxBytes = 10 * mebibyte, timeoutMs = 10_000, maxRedirects = 3, now = () => new Date() } = options;
  const limits = { maxBytes, maxRedirects };
  return {
    async fetchCrl(uri) {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const bytes = await follow(uri, limits, signal);
        return { ok: true, url: uri, bytes, fetchedAt: now(), fromCache: false };
      } catch (error) {
        return { ok: false, url: uri, reason: reasonOf(error, signal, timeoutMs) } satisfies CrlFetchResult;
      }
    },
  };
}

interface Limits {
  readonly maxBytes: number;
  readonly maxRedirects: number;
}

async function follow(uri: string, limits: Limits, signal: AbortSignal): Promise<Uint8Array> {
  let url = parseUrl(uri);
  for (let redirects = 0; ; redirects++) {
    const answer = await getOnce(url, limits.maxBytes, signal);
    if (answer.kind === 'body') return answer.bytes;
    if (redirects >= limits.maxRedirects) {
      throw new FetchProblem(
        `больше ${limits.maxRedirects} перенаправлений (последнее — на ${answer.location})`,
      );
    }
    let next: URL;
    try {
      next = new URL(answer.location, url);
    } catch {
      throw new FetchProblem(`перенаправление на неверный адрес «${answer.location}»`);
    }
    url = parseUrl(next.href, 'перенаправление на');
  }
}

function parseUrl(uri: string, what = 'адрес'): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new FetchProblem(`${what} «${uri}» не является URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchProblem(`${what} ${url.href}: поддерживаются только http и https`);
  }
  return url;
}

type Answer = { kind: 'body'; bytes: Uint8Array } | { kind: 'redirect'; location: string };

function getOnce(url: URL, maxBytes: number, signal: AbortSignal): Promise<Answer> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    // The first outcome stands: destroying a response fires its own events after the reason is known.
    let settled = false;
    const done = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const fail = (error: unknown) => done(() => reject(error));
    const request = client.get(
      url,
      {
        signal,
        // A fresh connection each time: nothing lingers after the fetch.
        agent: false,
        headers: { accept: 'application/pkix-crl, application/x-pkcs7-crl, */*;q=0.5' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if ([301, 302, 303, 307, 308].includes(status)) {
          const location = response.headers.location;
          response.resume();
          if (location === undefined)
            fail(new FetchProblem(`сервер ответил ${status} без адреса перенаправления`));
          else done(() => resolve({ kind: 'redirect', location }));
          return;
        }
        if (status !== 200) {
          response.resume();
          fail(
            new FetchProblem(
              `сервер ответил ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
            ),
          );
          return;
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          fail(new FetchProblem(tooLarge(maxBytes, declared)));
          response.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > maxBytes) {
            fail(new FetchProblem(tooLarge(maxBytes)));
            response.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          done(() => resolve({ kind: 'body', bytes: new Uint8Array(Buffer.concat(chunks)) })),
        );
        response.on('error', fail);
        response.on('aborted', () => fail(new FetchProblem('соединение прервано до конца ответа')));
      },
    );
    request.on('error', fail);
    // Whatever stage the fetch is at, the deadline ends it.
    signal.addEventListener('abort', () => fail(new FetchProblem('время вышло')), { once: true });
  });
}

function tooLarge(maxBytes: number, declared?: number): string {
  const limit = `${Math.round((maxBytes / mebibyte) * 100) / 100} МиБ`;
  return declared === undefined
    ? `ответ больше ${limit}, загрузка прервана`
    : `ответ больше ${limit} (${declared} байт), не загружался`;
}

function reasonOf(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `нет ответа за ${timeoutMs / 1000} с`;
  if (error instanceof FetchProblem) return error.message;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'соединение отвергнуто (ECONNREFUSED)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `имя сервера не найдено (${code})`;
    case 'ECONNRESET':
      return 'соединение сброшено сервером (ECONNRESET)';
    case 'ETIMEDOUT':
      return 'истекло время соединения (ETIMEDOUT)';
    default:
      if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) return `ошибка TLS (${code})`;
      return error instanceof Error
        ? `${error.message}${code === undefined ? '' : ` (${code})`}`
        : String(error);
  }
}
