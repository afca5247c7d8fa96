import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import defaultConfig from '../../docroute.config.json' with { type: 'json' };
import { renderLetterPdf } from '../../functions/adapters/pdf/pdf-letter-renderer.ts';
import { parseConfig } from '../../functions/domain/config.ts';
import type { Actor } from '../../functions/domain/documents.ts';
import { referenceDraft, referenceLetter } from '../../functions/domain/letter/reference-letter.ts';
import type { OutgoingCard } from '../../functions/domain/outgoing.ts';
import { demoSignerName, demoSignerSerial } from '../../functions/domain/signatures/demo-identity.ts';
import {
  issueCertificate,
  issuerOf,
  selfIssuer,
} from '../../functions/domain/signatures/issue-certificate.ts';
import { issueCrl } from '../../functions/domain/signatures/issue-crl.ts';
import { signDetached } from '../../functions/domain/signatures/sign-detached.ts';
import { generateSigningKey } from '../../functions/domain/signatures/signing-key.ts';
import { bundleFunction } from '../../infra/aws/bundle.ts';
import { type BundleAsset, calendarAsset, fontAssets, trustAssets } from '../../infra/aws/bundle-options.ts';
import { projectRoot } from '../../infra/local/settings.ts';
import {
  bucketEnvVar,
  type TableKey,
  tables as tableDefinitions,
  tableEnvVar,
} from '../../infra/resources.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * What a Lambda function carries: bundled as TaskFunction bundles (infra/aws/bundle.ts, the same
 * esbuild options), with its assets copied beside the bundle by the same commands as its
 * afterBundling hook, and run in a folder with no node_modules, so nothing is found that the
 * bundle does not carry.
 */

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function bundle(entry: string, assets: readonly BundleAsset[] = [], plugins: Plugin[] = []) {
  const bundled = await bundleFunction({ projectRoot, entry, assets, plugins });
  folders.push(bundled.folder);
  return bundled.folder;
}

/** Runs a script beside the bundle, in a fresh Node process, and returns what it printed. */
function runBeside(folder: string, script: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: folder,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, AWS_REGION: 'eu-central-1', ...env },
  });
}

describe('a rendering function’s bundle', () => {
  it('renders the letter with the fonts it carries, the same bytes as in the project', async () => {
    const folder = await bundle('test/support/render-in-bundle.ts', fontAssets);
    const printed = execFileSync(process.execPath, [join(folder, 'index.mjs')], {
      cwd: folder,
      encoding: 'utf8',
    });
    const rendered = await renderLetterPdf(referenceLetter(parseConfig(defaultConfig)));
    expect(JSON.parse(printed)).toMatchObject({
      pages: rendered.pages,
      sha256: createHash('sha256').update(rendered.bytes).digest('hex'),
    });
  }, 60_000);

  it('fails plainly without its fonts, naming the missing file', async () => {
    const folder = await bundle('test/support/render-in-bundle.ts');
    expect(() =>
      execFileSync(process.execPath, [join(folder, 'index.mjs')], {
        cwd: folder,
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    ).toThrow(/Tinos_400Regular\.ttf|@expo-google-fonts/);
  }, 60_000);

  for (const id of ['render-draft', 'render-letter', 'check-signature', 'archive-letter']) {
    it(`loads the ${id} handler in a folder without node_modules`, async () => {
      const folder = await bundle(`functions/handlers/${id}.ts`, fontAssets);
      const loaded = runBeside(
        folder,
        `const m = await import('./index.mjs'); console.log(typeof m.handler);`,
      );
      expect(loaded.trim()).toBe('function');
    }, 60_000);
  }

  it('validates a citizen’s appeal with the calendar it carries: its deadline set', async () => {
    const folder = await bundle('functions/handlers/validate-incoming.ts', [calendarAsset]);
    const tables = Object.fromEntries(
      Object.keys(tableDefinitions).map((key) => [tableEnvVar(key as TableKey), `t-${key}`]),
    );
    const request = {
      correspondent: { organization: 'Иванов Иван Иванович' },
      theirRef: { number: 'б/н', date: '2021-04-05' },
      kind: 'citizen_appeal',
      subject: 'Обращение',
      receivedAt: '2021-04-05T10:00:00+03:00',
      channel: 'email',
      executor: 'plaksina',
    };
    const script = `const { handler } = await import('./index.mjs');
      const draft = await handler(${JSON.stringify({ request, actor: { sub: 'c', role: 'clerk' } })});
      console.log(JSON.stringify(draft.control));`;
    const printed = runBeside(folder, script, { ...tables, POWERTOOLS_LOG_LEVEL: 'SILENT' });
    // 5 May 2021 was a Covid non-working day, which counts as working for a legal deadline.
    expect(JSON.parse(printed)).toMatchObject({
      lastDay: '2021-05-05',
      dueDate: '2021-05-05',
      basis: 'citizen_appeal',
    });
  }, 60_000);
});

/** A test CA valid now, the reference signer's certificate from it, and a current CRL. */
function identityValidNow(now: Date) {
  const day = 86_400_000;
  const caName = [
    ['C', 'RU'],
    ['O', 'docroute'],
    ['CN', 'Тестовый УЦ пакета функции'],
  ] as const satisfies readonly (readonly [string, string])[];
  const caKey = generateSigningKey('gost2012-256', 'A');
  const caCertificate = issueCertificate(
    {
      subject: caName,
      publicKeyInfo: caKey.publicKeyInfo,
      serial: '01',
      notBefore: new Date(now.getTime() - 30 * day),
      notAfter: new Date(now.getTime() + 3650 * day),
      ca: { pathLength: 0 },
    },
    selfIssuer(caName, caKey),
  );
  const ca = issuerOf(caCertificate, caKey);
  const signerKey = generateSigningKey('gost2012-256', 'A');
  const notBefore = new Date(now.getTime() - day);
  const notAfter = new Date(now.getTime() + 365 * day);
  const signerCertificate = issueCertificate(
    {
      subject: demoSignerName,
      publicKeyInfo: signerKey.publicKeyInfo,
      serial: demoSignerSerial,
      notBefore,
      notAfter,
      privateKeyUsagePeriod: { notBefore, notAfter },
    },
    ca,
  );
  const crl = issueCrl(
    {
      thisUpdate: new Date(now.getTime() - day),
      nextUpdate: new Date(now.getTime() + 30 * day),
      revoked: [],
      number: 1,
    },
    ca,
  );
  return {
    caCertificate,
    crl,
    sign: (content: Uint8Array, at: Date) =>
      signDetached({ content, key: signerKey, certificate: signerCertificate, signingTime: at }),
  };
}

/** Makes the bundle read this configuration where the sources import docroute.config.json. */
const configPlugin = (file: string): Plugin => ({
  name: 'configuration',
  setup(build) {
    build.onResolve({ filter: /docroute\.config\.json$/ }, () => ({ path: file }));
  },
});

describe('the trust list the signature check carries', () => {
  const clerk: Actor = { sub: 'clerk-ivanova', role: 'clerk' };
  let stack: TestStack;
  let reply: OutgoingCard;
  let identity: ReturnType<typeof identityValidNow>;
  let input: Record<string, string>;
  let env: Record<string, string>;
  const officeDir = mkdtempSync(join(tmpdir(), 'docroute-office-'));
  folders.push(officeDir);

  beforeAll(async () => {
    stack = await startTestStack();
    const prepared = await stack.runner.run('prepare-reply', {
      request: {
        addressee: { lines: referenceDraft.addresseeLines },
        title: 'Ответ о доверенном УЦ',
        paragraphs: ['Текст ответа.'],
        signer: 'kulikov',
        executor: 'plaksina',
      },
      actor: clerk,
      documentId: null,
    });
    if (prepared.status !== 'succeeded') throw new Error(`${prepared.error}: ${prepared.cause}`);
    reply = (prepared.output as { document: OutgoingCard }).document;
    const draft = await stack.blobs.get(reply.drafts[0]?.pdfKey ?? '');
    if (draft === null) throw new Error('the draft is not stored');
    const now = new Date();
    identity = identityValidNow(now);
    input = {
      documentId: reply.id,
      signature: Buffer.from(identity.sign(draft.bytes, new Date(now.getTime() + 1000))).toString('base64'),
      attempt: 'bundle-trust',
      uploadedAt: new Date(now.getTime() + 2000).toISOString(),
    };
    // The office's folders, named by its configuration relative to the configuration's folder.
    mkdirSync(join(officeDir, 'trusted'));
    mkdirSync(join(officeDir, 'revocation'));
    writeFileSync(join(officeDir, 'trusted', 'test-ca.cer'), identity.caCertificate);
    writeFileSync(join(officeDir, 'revocation', 'test-ca.crl'), identity.crl);
    writeFileSync(
      join(officeDir, 'docroute.config.json'),
      JSON.stringify({ ...defaultConfig, trust: 'trusted', crl: 'revocation' }),
    );
    env = {
      ...Object.fromEntries(
        Object.entries(stack.tableNames).map(([key, name]) => [tableEnvVar(key as TableKey), name]),
      ),
      [bucketEnvVar('archive')]: stack.bucketNames.archive,
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
      AWS_ENDPOINT_URL_S3: stack.s3Endpoint,
      // s3rver takes only these; the DynamoDB stores take any.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    };
  }, 120_000);
  afterAll(async () => {
    await stack?.dispose();
  });

  // Asynchronously: the embedded S3 answers from this very process.
  const check = async (folder: string) => {
    const script = `const { handler } = await import('./index.mjs');
      console.log(JSON.stringify(await handler(${JSON.stringify(input)})));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: folder,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, AWS_REGION: 'eu-central-1', ...env },
    });
    return JSON.parse(stdout);
  };

  it('judges a signature with the CA of the trust folder the configuration names', async () => {
    const office = { ...parseConfig(defaultConfig), trust: 'trusted', crl: 'revocation' };
    const folder = await bundle(
      'functions/handlers/check-signature.ts',
      [calendarAsset, ...trustAssets(officeDir, office)],
      [configPlugin(join(officeDir, 'docroute.config.json'))],
    );
    const outcome = await check(folder);
    expect(outcome).toMatchObject({ outcome: 'accepted', facts: { verdict: 'valid' } });
    // The chain ends at the carried CA: the signer's certificate, then the test CA's own bytes.
    expect(outcome.facts.chain).toHaveLength(2);
    expect(outcome.facts.chain[1]).toBe(Buffer.from(identity.caCertificate).toString('base64'));
  }, 120_000);

  it('refuses it with the reason when the configuration names no trust folder', async () => {
    expect(trustAssets(projectRoot)).toEqual([]);
    const folder = await bundle('functions/handlers/check-signature.ts', [calendarAsset]);
    const outcome = await check(folder);
    expect(outcome.outcome).toBe('rejected');
    expect(JSON.stringify(outcome.problems)).toMatch(/chain|цепочк|доверенн/i);
  }, 120_000);

  it('stops the synthesis when a trust folder the configuration names is missing', () => {
    expect(() => trustAssets(officeDir, { trust: 'nowhere' })).toThrow(/trust: .*nowhere does not exist/);
  });
});
