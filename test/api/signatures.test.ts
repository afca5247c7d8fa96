import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/local/settings.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const generated = join(projectRoot, 'test/fixtures/signatures/generated');
const base64Of = (file: string) => readFileSync(join(generated, file)).toString('base64');

interface ManifestSignature {
  file: string;
  content: string;
  certificate: string;
  signingTime: string | null;
  expect: { window: string; digest: string; signature: string };
}
const manifest = JSON.parse(readFileSync(join(generated, 'manifest.json'), 'utf8')) as {
  signatures: ManifestSignature[];
};
const bySignature = (file: string, content = 'content.txt') => {
  const found = manifest.signatures.find((s) => s.file === file && s.content === content);
  if (found === undefined) throw new Error(`no manifest entry for ${file} with ${content}`);
  return found;
};

describe('POST /v1/signatures/verify', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.dispose());

  it('GIVEN a valid RSA signature and its content THEN every check done passes, judged at signingTime, and the verdict is indeterminate (chain and revocation not checked)', async () => {
    const entry = bySignature('rsa-valid.sig');
    const response = await stack.call('POST', '/v1/signatures/verify', {
      role: 'auditor',
      body: { signature: base64Of(entry.file), content: base64Of(entry.content) },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      window: 'valid',
      digest: 'match',
      signature: 'valid',
      timeSource: 'signingTime',
      signingTime: new Date(entry.signingTime ?? '').toISOString(),
    });
    expect(response.body.stamp).toHaveLength(5);
    expect(response.body.stamp[0]).toBe('ДОКУМЕНТ ПОДПИСАН');
    expect(response.body).toMatchObject({
      verdict: 'indeterminate',
      indication: 'INDETERMINATE',
      subIndications: ['NO_CERTIFICATE_CHAIN_FOUND', 'TRY_LATER'],
    });
    expect(response.body.summary).toMatch(/^Статус подписи не определён: /);
    expect(response.body.checks).toHaveLength(6);
  });

  it('GIVEN changed content THEN the digest does not match', async () => {
    const entry = bySignature('rsa-valid.sig', 'content-tampered.txt');
    const response = await stack.call('POST', '/v1/signatures/verify', {
      role: 'clerk',
      body: { signature: base64Of(entry.file), content: base64Of(entry.content) },
    });
    expect(response.status).toBe(200);
    expect(response.body.digest).toBe('mismatch');
    expect(response.body).toMatchObject({ verdict: 'invalid', subIndications: ['HASH_FAILURE'] });
  });

  it('GIVEN a signature made after its certificate expired THEN the window is expired', async () => {
    const entry = bySignature('rsa-expired.sig');
    const response = await stack.call('POST', '/v1/signatures/verify', {
      role: 'signer',
      body: { signature: base64Of(entry.file), content: base64Of(entry.content) },
    });
    expect(response.body.window).toBe(entry.expect.window);
    expect(response.body.window).toBe('expired');
    expect(response.body).toMatchObject({ verdict: 'invalid', indication: 'TOTAL-FAILED' });
  });

  it('GIVEN bytes that are no signature THEN 422 names the signature field, with the report', async () => {
    const response = await stack.call('POST', '/v1/signatures/verify', {
      body: { signature: Buffer.from('not a signature at all').toString('base64') },
    });
    expect(response.status).toBe(422);
    expect(response.body.problems[0].field).toBe('signature');
    expect(response.body.report.window).toBe('unparseable');
    expect(response.body.report).toMatchObject({ verdict: 'invalid', subIndications: ['FORMAT_FAILURE'] });
  });

  it('GIVEN a body that is not base64, or no signature THEN 400 names each field', async () => {
    const response = await stack.call('POST', '/v1/signatures/verify', { body: { content: 'not base64!' } });
    expect(response.status).toBe(400);
    expect(response.body.problems.map((p: { field: string }) => p.field).sort()).toEqual([
      'content',
      'signature',
    ]);
  });

  it('GIVEN no token THEN 401', async () => {
    const response = await stack.call('POST', '/v1/signatures/verify', { role: null, body: {} });
    expect(response.status).toBe(401);
  });
});
