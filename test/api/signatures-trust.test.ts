import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../functions/domain/signatures/asn1-writer.ts';
import {
  issueCertificate,
  issuerOf,
  selfIssuer,
} from '../../functions/domain/signatures/issue-certificate.ts';
import { issueCrl } from '../../functions/domain/signatures/issue-crl.ts';
import { signDetached } from '../../functions/domain/signatures/sign-detached.ts';
import { generateSigningKey } from '../../functions/domain/signatures/signing-key.ts';
import { startLocalStack } from '../../infra/local/stack.ts';
import { StartupError } from '../../infra/local/startup-error.ts';
import { seedConfig, startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * POST /v1/signatures/verify judges against the office's own trust list and CRLs, from the folders
 * the configuration names: a GOST signature under a listed CA with a current CRL is valid.
 */

const folder = mkdtempSync(join(tmpdir(), 'docroute-trust-'));
const now = new Date();
const caKey = generateSigningKey('gost2012-256');
const caName = [
  ['CN', 'Тестовый УЦ администрации'],
  ['C', 'RU'],
] as const;
const ca = issueCertificate(
  {
    subject: caName,
    publicKeyInfo: caKey.publicKeyInfo,
    serial: '01',
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: new Date(now.getTime() + 365 * 86_400_000),
    ca: {},
  },
  selfIssuer(caName, caKey),
);
const signerKey = generateSigningKey('gost2012-256', 'A');
const signer = issueCertificate(
  {
    subject: [
      ['CN', 'Куликов Василий Иванович'],
      ['SN', 'Куликов'],
    ],
    publicKeyInfo: signerKey.publicKeyInfo,
    serial: '0118EC5A8BAE6CF293EB11EE5A2E22B808',
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(now.getTime() + 30 * 86_400_000),
  },
  issuerOf(ca, caKey),
);
const content = new TextEncoder().encode('Исх. № 07-04/11180 от 23.12.2021');
const signature = signDetached({ content, key: signerKey, certificate: signer, signingTime: now });
const crlFor = (revoked: { serial: string; at: Date }[]) =>
  issueCrl(
    {
      thisUpdate: new Date(now.getTime() - 3600_000),
      nextUpdate: new Date(now.getTime() + 86_400_000),
      revoked,
      number: 1,
    },
    issuerOf(ca, caKey),
  );

let stack: TestStack;
beforeAll(async () => {
  mkdirSync(join(folder, 'trust'));
  mkdirSync(join(folder, 'crl'));
  writeFileSync(join(folder, 'trust', 'ca.cer'), toPem(ca, 'CERTIFICATE'));
  writeFileSync(join(folder, 'crl', 'ca.crl'), toPem(crlFor([]), 'X509 CRL'));
  const config = { ...(await seedConfig()), trust: join(folder, 'trust'), crl: join(folder, 'crl') };
  stack = await startTestStack({ config });
});

afterAll(async () => {
  await stack?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

const verify = (body: Record<string, string>) =>
  stack.call('POST', '/v1/signatures/verify', { role: 'auditor', body });
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('POST /v1/signatures/verify with the office trust list', () => {
  it('GIVEN a GOST signature under a listed CA, with its current CRL THEN valid: «Подпись действительна»', async () => {
    const { status, body } = await verify({ signature: base64(signature), content: base64(content) });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      verdict: 'valid',
      indication: 'TOTAL-PASSED',
      signature: 'valid',
      digest: 'match',
    });
    expect(body.summary).toMatch(/^Подпись действительна/);
    expect(body.certificate.chain.at(-1)).toMatchObject({ isTrustAnchor: true });
  });

  it('GIVEN the changed document THEN invalid', async () => {
    const { body } = await verify({
      signature: base64(signature),
      content: base64(new TextEncoder().encode('другое')),
    });
    expect(body).toMatchObject({ verdict: 'invalid', subIndications: ['HASH_FAILURE'] });
  });

  it('GIVEN a trust folder with a file that is not a certificate THEN the service does not start, naming the file', async () => {
    writeFileSync(join(folder, 'broken.cer'), 'не сертификат');
    const config = { ...(await seedConfig()), trust: join(folder, 'broken.cer') };
    const dataDir = mkdtempSync(join(tmpdir(), 'docroute-trust-data-'));
    try {
      const started = startLocalStack({ dataDir, config, port: 0, schedule: false });
      await expect(started).rejects.toBeInstanceOf(StartupError);
      await expect(started).rejects.toThrow(/broken\.cer/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
