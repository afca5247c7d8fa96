import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/adapters/config/load-config.ts';
import { cachedCrlSource } from '../../../functions/adapters/http/cached-crl-source.ts';
import { httpCrlSource } from '../../../functions/adapters/http/http-crl-source.ts';
import { parseConfig } from '../../../functions/domain/config.ts';
import { toPem } from '../../../functions/domain/signatures/asn1-writer.ts';
import { readSignedData } from '../../../functions/domain/signatures/cms.ts';
import {
  crlCacheKey,
  type FetchCrl,
  isCachedCrlCurrent,
  verifyParsedSignatureFetchingCrls,
} from '../../../functions/domain/signatures/crl-fetch.ts';
import { readCertificate, verifyParsedSignature } from '../../../functions/domain/signatures/index.ts';
import type { Check } from '../../../functions/domain/signatures/report.ts';
import { trustListFrom } from '../../../functions/domain/signatures/trust-list.ts';
import type { CrlSource } from '../../../functions/ports/crl-source.ts';
import { runDocroute } from '../../support/cli.ts';
import { type CrlServer, makePki, serve, startCrlServer } from '../../support/crl-server.ts';
import { seedConfigPath } from '../../support/local-stack.ts';
import { memoryBlobStore } from '../../support/memory-blob-store.ts';

/**
 * CRLs fetched from the distribution point a certificate names, when no current CRL of its issuer
 * is at hand: off unless asked for; the fetched CRL is judged like a local one; every failure is a
 * note and TRY_LATER, never a crash. The distribution point is an HTTP server on 127.0.0.1.
 */

const now = new Date();
const pki = makePki(now);
const trustList = trustListFrom({ anchors: [{ name: 'ca.pem', bytes: pki.ca }] });
const folder = mkdtempSync(join(tmpdir(), 'docroute-crl-fetch-'));
let server: CrlServer;
const url = (path: string) => `${server.origin}${path}`;

beforeAll(async () => {
  server = await startCrlServer();
  server.routes.set('/good.crl', serve(pki.crl()));
  server.routes.set('/cli.crl', serve(toPem(pki.crl(), 'X509 CRL'), 'application/x-pem-file'));
  server.routes.set(
    '/revoked.crl',
    serve(pki.crl([{ serial: 'AA02', at: new Date(now.getTime() - 7200_000) }])),
  );
  server.routes.set('/garbage.crl', serve('<html>Это не список отозванных сертификатов</html>', 'text/html'));
  server.routes.set('/hang.crl', () => {
    // Never answers.
  });
  server.routes.set('/big.crl', (_request, response) => {
    // 11 MiB in chunks, no Content-Length: the limit is checked while the body streams.
    response.writeHead(200, { 'content-type': 'application/pkix-crl' });
    const chunk = Buffer.alloc(1024 * 1024, 0x30);
    let sent = 0;
    const more = () => {
      while (sent < 11) {
        sent++;
        if (!response.write(chunk)) {
          response.once('drain', more);
          return;
        }
      }
      response.end();
    };
    response.on('error', () => {});
    more();
  });
  server.routes.set('/big-declared.crl', (_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/pkix-crl',
      'content-length': String(64 * 1024 * 1024),
    });
    response.write(Buffer.alloc(1024, 0x30));
  });
  server.routes.set('/moved.crl', (_request, response) => {
    response.writeHead(302, { location: '/good.crl?via=redirect' }).end();
  });
  server.routes.set('/good.crl?via=redirect', serve(pki.crl()));
  server.routes.set('/loop.crl', (_request, response) => {
    response.writeHead(301, { location: '/loop.crl' }).end();
  });
  const stranger = makePki(now, [
    ['CN', 'Тестовый УЦ с точкой распространения'],
    ['O', 'docroute'],
    ['C', 'RU'],
  ]);
  server.routes.set('/stranger.crl', serve(stranger.crl()));
});

afterAll(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

beforeEach(() => server.hits.clear());

let serial = 0x1000;
function signerAt(path: string, fixedSerial?: string) {
  const made = pki.signer(fixedSerial ?? (serial++).toString(16).toUpperCase(), url(path));
  return { ...made, signedData: readSignedData(made.signature) };
}

const question = (signedData: ReturnType<typeof readSignedData>) => ({
  signedData,
  content: pki.content,
  now,
  timeZone: 'Europe/Moscow',
});

const fetching =
  (source: CrlSource): FetchCrl =>
  (u) =>
    source.fetchCrl(u);

function revocationOf(report: { checks: readonly Check[] }): Check | undefined {
  return report.checks.find((c) => c.check === 'revocation');
}

describe('verification with CRL fetching', () => {
  it('GIVEN a signer naming a distribution point WHEN verified without fetching THEN not_checked TRY_LATER and no request reaches the server', () => {
    const { signedData } = signerAt('/good.crl');
    const report = verifyParsedSignature(question(signedData), { trustList });
    expect(report.verdict).toBe('indeterminate');
    expect(revocationOf(report)).toMatchObject({ status: 'not_checked', subIndication: 'TRY_LATER' });
    expect(server.totalHits()).toBe(0);
  });

  it('GIVEN fetching on THEN the fetched CRL passes revocation, the verdict is valid and the note names the URL', async () => {
    const { signedData } = signerAt('/good.crl');
    const report = await verifyParsedSignatureFetchingCrls(question(signedData), {
      trustList,
      fetchCrl: fetching(httpCrlSource()),
    });
    expect(report.verdict).toBe('valid');
    expect(revocationOf(report)).toMatchObject({ status: 'passed' });
    expect(report.reasons.join('\n')).toContain(
      `Список отозванных сертификатов загружен из точки распространения ${url('/good.crl')}`,
    );
    expect(server.hitsOf('/good.crl')).toBe(1);
  });

  it('GIVEN the fetched CRL lists the signer THEN invalid REVOKED', async () => {
    const { signedData } = signerAt('/revoked.crl', 'AA02');
    const report = await verifyParsedSignatureFetchingCrls(question(signedData), {
      trustList,
      fetchCrl: fetching(httpCrlSource()),
    });
    expect(report.verdict).toBe('invalid');
    expect(report.subIndications).toContain('REVOKED');
    expect(revocationOf(report)).toMatchObject({ status: 'failed', subIndication: 'REVOKED' });
  });

  it('GIVEN a CRL cache WHEN verified twice THEN the server sees one request and the second note says the cache', async () => {
    const blobs = memoryBlobStore();
    const source = cachedCrlSource({ source: httpCrlSource(), blobs, warn: () => {} });
    const { signedData } = signerAt('/good.crl');
    const first = await verifyParsedSignatureFetchingCrls(question(signedData), {
      trustList,
      fetchCrl: fetching(source),
    });
    const second = await verifyParsedSignatureFetchingCrls(question(signedData), {
      trustList,
      fetchCrl: fetching(source),
    });
    expect([first.verdict, second.verdict]).toEqual(['valid', 'valid']);
    expect(server.hitsOf('/good.crl')).toBe(1);
    expect(second.reasons.join('\n')).toMatch(/взят из кэша \(загружен/);
    const cached = blobs.objects.get(crlCacheKey(url('/good.crl')));
    expect(crlCacheKey(url('/good.crl'))).toMatch(/^crl-cache\/[0-9a-f]{64}$/);
    expect(cached?.metadata).toMatchObject({ 'crl-url': url('/good.crl') });
    expect(cached?.bytes[0]).toBe(0x30);
  });

  it('GIVEN a cached CRL past its nextUpdate THEN it is fetched again', async () => {
    const blobs = memoryBlobStore();
    let clock = now;
    const source = cachedCrlSource({ source: httpCrlSource(), blobs, now: () => clock, warn: () => {} });
    expect((await source.fetchCrl(url('/good.crl'))).ok).toBe(true);
    expect(await source.fetchCrl(url('/good.crl'))).toMatchObject({ ok: true, fromCache: true });
    clock = new Date(now.getTime() + 2 * 86_400_000);
    expect(await source.fetchCrl(url('/good.crl'))).toMatchObject({ ok: true, fromCache: false });
    expect(server.hitsOf('/good.crl')).toBe(2);
    expect(
      isCachedCrlCurrent({ thisUpdate: now, nextUpdate: null }, now, new Date(now.getTime() + 7200_000)),
    ).toBe(false);
  });

  it('GIVEN a redirect THEN it is followed; GIVEN more than 3 THEN a note and TRY_LATER', async () => {
    const moved = signerAt('/moved.crl');
    const followed = await verifyParsedSignatureFetchingCrls(question(moved.signedData), {
      trustList,
      fetchCrl: fetching(httpCrlSource()),
    });
    expect(followed.verdict).toBe('valid');
    const looping = signerAt('/loop.crl');
    const report = await verifyParsedSignatureFetchingCrls(question(looping.signedData), {
      trustList,
      fetchCrl: fetching(httpCrlSource()),
    });
    expect(revocationOf(report)).toMatchObject({ status: 'not_checked', subIndication: 'TRY_LATER' });
    expect(report.reasons.join('\n')).toContain(`${url('/loop.crl')} не получен: больше 3 перенаправлений`);
    expect(server.hitsOf('/loop.crl')).toBe(4);
  });

  const failures: Array<[string, string, RegExp]> = [
    ['a 404', '/missing.crl', /не получен: сервер ответил 404/],
    ['a server that never answers', '/hang.crl', /не получен: нет ответа за 0\.3 с/],
    [
      'a body over the size limit, streamed',
      '/big.crl',
      /не получен: ответ больше 10 МиБ, загрузка прервана/,
    ],
    [
      'a body declared over the size limit',
      '/big-declared.crl',
      /не получен: ответ больше 10 МиБ \(67108864 байт\)/,
    ],
    ['a body that is not a CRL', '/garbage.crl', /не получен: ответ — не список отозванных сертификатов/],
  ];
  it.each(failures)(
    'GIVEN %s THEN not_checked TRY_LATER with the URL and the reason in a note',
    async (_what, path, reason) => {
      const { signedData } = signerAt(path);
      const blobs = memoryBlobStore();
      const started = Date.now();
      const report = await verifyParsedSignatureFetchingCrls(question(signedData), {
        trustList,
        fetchCrl: fetching(
          cachedCrlSource({ source: httpCrlSource({ timeoutMs: 300 }), blobs, warn: () => {} }),
        ),
      });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(report.verdict).toBe('indeterminate');
      expect(revocationOf(report)).toMatchObject({ status: 'not_checked', subIndication: 'TRY_LATER' });
      const note = report.reasons.find((r) => r.includes(url(path)));
      expect(note).toMatch(reason);
      expect(note).toMatch(
        /^Список отозванных сертификатов из точки распространения http:\/\/127\.0\.0\.1:\d+\//,
      );
      expect(blobs.objects.size).toBe(0);
    },
  );

  it('GIVEN a refused connection THEN a note, not a crash', async () => {
    const closed = await startCrlServer();
    const origin = closed.origin;
    await closed.close();
    const result = await httpCrlSource().fetchCrl(`${origin}/ca.crl`);
    expect(result).toMatchObject({
      ok: false,
      url: `${origin}/ca.crl`,
      reason: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('GIVEN a scheme other than http(s) THEN the adapter refuses it by name', async () => {
    expect(await httpCrlSource().fetchCrl('ldap://ca.example/cn=CA?certificateRevocationList')).toMatchObject(
      {
        ok: false,
        reason: expect.stringContaining('поддерживаются только http и https'),
      },
    );
    expect(await httpCrlSource().fetchCrl('file:///etc/passwd')).toMatchObject({ ok: false });
  });

  it('GIVEN a distribution point serving a CRL of another CA of the same name THEN it is not trusted: TRY_LATER naming it', async () => {
    const { signedData } = signerAt('/stranger.crl');
    const report = await verifyParsedSignatureFetchingCrls(question(signedData), {
      trustList,
      fetchCrl: fetching(httpCrlSource()),
    });
    expect(report.verdict).toBe('indeterminate');
    expect(revocationOf(report)).toMatchObject({ status: 'not_checked', subIndication: 'TRY_LATER' });
    expect(revocationOf(report)?.reason).toContain(url('/stranger.crl'));
  });

  it('GIVEN no trusted CA THEN nothing is fetched: a URL vouched for by nobody is never requested', async () => {
    const { signedData } = signerAt('/good.crl');
    const report = await verifyParsedSignatureFetchingCrls(question(signedData), {
      fetchCrl: fetching(httpCrlSource()),
    });
    expect(report.verdict).toBe('indeterminate');
    expect(server.totalHits()).toBe(0);
  });

  it('GIVEN a current CRL at hand THEN nothing is fetched', async () => {
    const { signedData } = signerAt('/good.crl');
    const withCrl = trustListFrom({
      anchors: [{ name: 'ca.pem', bytes: pki.ca }],
      crls: [{ name: 'ca.crl', bytes: pki.crl() }],
    });
    const report = await verifyParsedSignatureFetchingCrls(question(signedData), {
      trustList: withCrl,
      fetchCrl: fetching(httpCrlSource()),
    });
    expect(report.verdict).toBe('valid');
    expect(server.totalHits()).toBe(0);
  });

  it('GIVEN only an ldap distribution point THEN a note says it was not fetched', async () => {
    const made = pki.signer('BB01', 'ldap://ca.example/cn=CA?certificateRevocationList');
    const report = await verifyParsedSignatureFetchingCrls(question(readSignedData(made.signature)), {
      trustList,
      fetchCrl: fetching(httpCrlSource()),
    });
    expect(report.verdict).toBe('indeterminate');
    expect(report.reasons.join('\n')).toMatch(/не загружались: поддерживаются только http и https/);
  });

  it('GIVEN many signatures naming one URL at once THEN each fetch is bounded and none crashes', async () => {
    const { signedData } = signerAt('/good.crl');
    const source = httpCrlSource();
    const reports = await Promise.all(
      Array.from({ length: 5 }, () =>
        verifyParsedSignatureFetchingCrls(question(signedData), {
          trustList,
          fetchCrl: fetching(source),
          maxParallel: 1,
        }),
      ),
    );
    expect(reports.map((r) => r.verdict)).toEqual(Array(5).fill('valid'));
  });
});

describe('docroute verify / cert --fetch-crl', () => {
  const docroute = (...argv: string[]) => runDocroute(argv, folder);

  beforeAll(() => {
    const made = pki.signer('CC01', url('/cli.crl'));
    writeFileSync(join(folder, 'ca.pem'), toPem(pki.ca, 'CERTIFICATE'));
    writeFileSync(join(folder, 'signer.cer'), made.certificate);
    writeFileSync(join(folder, 'reply.sig'), made.signature);
    writeFileSync(join(folder, 'reply.txt'), pki.content);
    expect(readCertificate(made.certificate).crlDistributionPoints).toEqual([url('/cli.crl')]);
  });

  it('GIVEN no --fetch-crl THEN exit 3 (TRY_LATER) and no request reaches the server', async () => {
    const run = await docroute(
      'verify',
      '--sig',
      'reply.sig',
      '--data',
      'reply.txt',
      '--trust',
      'ca.pem',
      '--json',
    );
    expect(run.code).toBe(3);
    expect(JSON.parse(run.out).subIndications).toContain('TRY_LATER');
    expect(server.totalHits()).toBe(0);
  });

  it('GIVEN --fetch-crl THEN verify says valid, exit 0, naming the CRL fetched', async () => {
    const run = await docroute(
      'verify',
      '--sig',
      'reply.sig',
      '--data',
      'reply.txt',
      '--trust',
      'ca.pem',
      '--fetch-crl',
    );
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Подпись действительна/);
    expect(run.out).toContain(`загружен из точки распространения ${url('/cli.crl')}`);
    expect(server.hitsOf('/cli.crl')).toBe(1);
  });

  it('GIVEN --fetch-crl THEN cert judges the certificate valid, exit 0', async () => {
    const run = await docroute('cert', 'signer.cer', '--trust', 'ca.pem', '--fetch-crl', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ verdict: 'valid' });
    expect(server.hitsOf('/cli.crl')).toBe(1);
  });
});

describe('the crlFetch setting', () => {
  it('GIVEN the shipped configuration THEN fetching is off; GIVEN crlFetch not a boolean THEN the field is named', async () => {
    const shipped = await loadConfig(seedConfigPath);
    expect(shipped.crlFetch ?? false).toBe(false);
    expect(parseConfig({ ...shipped, crlFetch: true }).crlFetch).toBe(true);
    expect(() => parseConfig({ ...shipped, crlFetch: 'yes' })).toThrow(/crlFetch/);
  });
});
