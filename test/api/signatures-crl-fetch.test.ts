import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toPem } from '../../functions/domain/signatures/asn1-writer.ts';
import { crlCacheKey } from '../../functions/domain/signatures/crl-fetch.ts';
import { type CrlServer, makePki, serve, startCrlServer } from '../support/crl-server.ts';
import { seedConfig, startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * POST /v1/signatures/verify with `crlFetch` in the configuration: a CRL missing from the office's
 * folder is fetched from the distribution point the signer's certificate names (a server on
 * 127.0.0.1 here) and cached in the embedded S3's cache bucket under crl-cache/; without the setting nothing is
 * fetched.
 */

const folder = mkdtempSync(join(tmpdir(), 'docroute-crl-fetch-api-'));
const pki = makePki();
let server: CrlServer;
let fetching: TestStack;
let plain: TestStack;
let signed: { certificate: Uint8Array; signature: Uint8Array };
let revoked: { certificate: Uint8Array; signature: Uint8Array };

beforeAll(async () => {
  server = await startCrlServer();
  server.routes.set('/ca.crl', serve(pki.crl()));
  server.routes.set(
    '/revoked.crl',
    serve(pki.crl([{ serial: 'DD02', at: new Date(Date.now() - 7200_000) }])),
  );
  signed = pki.signer('DD01', `${server.origin}/ca.crl`);
  revoked = pki.signer('DD02', `${server.origin}/revoked.crl`);
  mkdirSync(join(folder, 'trust'));
  writeFileSync(join(folder, 'trust', 'ca.cer'), toPem(pki.ca, 'CERTIFICATE'));
  const base = { ...(await seedConfig()), trust: join(folder, 'trust') };
  [fetching, plain] = await Promise.all([
    startTestStack({ config: { ...base, crlFetch: true } }),
    startTestStack({ config: base }),
  ]);
});

afterAll(async () => {
  await Promise.all([fetching?.dispose(), plain?.dispose()]);
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

beforeEach(() => server.hits.clear());

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const verify = (stack: TestStack, made: { signature: Uint8Array }) =>
  stack.call('POST', '/v1/signatures/verify', {
    role: 'auditor',
    body: { signature: base64(made.signature), content: base64(pki.content) },
  });

describe('POST /v1/signatures/verify fetching CRLs (crlFetch)', () => {
  it('GIVEN the default configuration THEN no request reaches the distribution point: indeterminate, TRY_LATER', async () => {
    const { status, body } = await verify(plain, signed);
    expect(status).toBe(200);
    expect(body).toMatchObject({ verdict: 'indeterminate', subIndications: ['TRY_LATER'] });
    expect(server.totalHits()).toBe(0);
  });

  it('GIVEN crlFetch THEN valid with the fetched CRL; the second verification uses the cache in S3 (one request)', async () => {
    const first = await verify(fetching, signed);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ verdict: 'valid', indication: 'TOTAL-PASSED' });
    expect(first.body.reasons.join('\n')).toContain(
      `загружен из точки распространения ${server.origin}/ca.crl`,
    );
    const second = await verify(fetching, signed);
    expect(second.body).toMatchObject({ verdict: 'valid' });
    expect(second.body.reasons.join('\n')).toMatch(/взят из кэша/);
    expect(server.hitsOf('/ca.crl')).toBe(1);
    const cached = await fetching.cache.get(crlCacheKey(`${server.origin}/ca.crl`));
    expect(cached).toMatchObject({
      contentType: 'application/pkix-crl',
      metadata: { 'crl-url': `${server.origin}/ca.crl` },
    });
    expect(cached?.bytes[0]).toBe(0x30);
  });

  it('GIVEN crlFetch and a fetched CRL listing the signer THEN invalid REVOKED', async () => {
    const { body } = await verify(fetching, revoked);
    expect(body).toMatchObject({ verdict: 'invalid', subIndications: ['REVOKED'] });
  });

  it('GIVEN crlFetch and a distribution point that answers 404 THEN indeterminate TRY_LATER naming the URL', async () => {
    const lost = pki.signer('DD03', `${server.origin}/gone.crl`);
    const { status, body } = await verify(fetching, lost);
    expect(status).toBe(200);
    expect(body).toMatchObject({ verdict: 'indeterminate', subIndications: ['TRY_LATER'] });
    expect(body.reasons).toContain(
      `Список отозванных сертификатов из точки распространения ${server.origin}/gone.crl не получен: сервер ответил 404 Not Found.`,
    );
  });
});
