/**
 * `npm run demo`: the reference letter end to end on a fresh temporary data directory. Registers the
 * regional government's request 25-24/6781 of 10.06.2014, prepares the reply with the seed's title
 * and text, signs it on 23.12.2021 with a GOST certificate like the seed's (issued by a test CA that
 * only this demo trusts), finalizes it through the API and writes the registered copy to
 * out/07-04-11180.pdf. The clock stands at the seed's dates, so the certificate and the CRL of
 * 2021 are judged as they stood then.
 */

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../functions/adapters/config/load-config.ts';
import { issueToken, type Role } from '../functions/api/auth.ts';
import type { Config } from '../functions/domain/config.ts';
import { referenceDraft } from '../functions/domain/letter/reference-letter.ts';
import { makeDemoIdentity } from '../functions/domain/signatures/demo-identity.ts';
import { projectRoot } from '../infra/local/settings.ts';
import { startLocalStack } from '../infra/local/stack.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'out' } } });
const outDir = resolve(process.cwd(), values.out ?? 'out');

/** The shipped configuration, its outgoing journal continuing at 11180 in 2021 as the seed's office did. */
async function demoConfig(): Promise<Config> {
  const config = await loadConfig(join(projectRoot, 'docroute.config.json'));
  const outgoing = config.journals['outgoing'];
  if (outgoing === undefined) throw new Error('docroute.config.json has no outgoing journal');
  return {
    ...config,
    journals: { ...config.journals, outgoing: { ...outgoing, startingNumbers: { '2021': 11180 } } },
  };
}

let now = new Date('2014-06-16T10:00:00+04:00');
const clock = { now: () => new Date(now) };

const dataDir = await mkdtemp(join(tmpdir(), 'docroute-demo-'));
const identity = makeDemoIdentity();
const stack = await startLocalStack({
  dataDir,
  config: await demoConfig(),
  port: 0,
  clock,
  schedule: false,
  trust: async () => identity.trustList,
});

async function call(method: string, path: string, role: Role, sub: string, body?: unknown) {
  const token = await issueToken(stack.tokenSecret, { sub, role, ttlSeconds: 600 }, new Date());
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${Buffer.from(bytes).toString('utf8')}`);
  return bytes;
}
const callJson = async (method: string, path: string, role: Role, sub: string, body?: unknown) =>
  JSON.parse(Buffer.from(await call(method, path, role, sub, body)).toString('utf8'));

try {
  const incoming = await callJson('POST', '/v1/incoming', 'clerk', 'clerk-demo', {
    correspondent: {
      organization: 'Аппарат Правительства Ставропольского края',
      person: 'А.Д. Литовкин',
      email: 'regpolitika@stavregion.example',
    },
    theirRef: { number: '25-24/6781', date: '2014-06-10' },
    kind: 'request',
    subject: 'О ходе выполнения распоряжения Губернатора Ставропольского края № 239-р',
    receivedAt: '2014-06-16T09:30:00+04:00',
    channel: 'post',
    executor: 'plaksina',
  });
  console.log(
    `Registered the request 25-24/6781 of 10.06.2014 as ${incoming.regNumber} of ${incoming.regDate}`,
  );

  now = new Date('2021-12-22T10:00:00+03:00');
  const reply = await callJson('POST', '/v1/outgoing', 'clerk', 'clerk-demo', {
    inReplyTo: [incoming.id],
    references: referenceDraft.references.slice(1),
    addressee: { lines: referenceDraft.addresseeLines },
    title: referenceDraft.titleLines,
    paragraphs: referenceDraft.paragraphs,
    signer: referenceDraft.signer,
    executor: referenceDraft.executor,
  });
  console.log(`Prepared the reply ${reply.id}: ${reply.drafts[0].pages} pages, ${reply.status}`);

  const draft = await call('GET', `/v1/documents/${reply.id}/draft.pdf`, 'signer', 'kulikov');
  const signature = identity.sign(draft, new Date('2021-12-23T10:00:00+03:00'));
  now = new Date('2021-12-23T10:05:00+03:00');
  const signed = await callJson('POST', `/v1/documents/${reply.id}/signature`, 'signer', 'kulikov', {
    signature: Buffer.from(signature).toString('base64'),
  });
  console.log(
    `Signed and registered: № ${signed.regNumber} of ${signed.regDate} (${signed.signature.summary})`,
  );

  const letter = await call('GET', `/v1/documents/${reply.id}/letter.pdf`, 'auditor', 'auditor-demo');
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `${signed.regNumber.replaceAll('/', '-')}.pdf`);
  await writeFile(file, letter);
  console.log(`The registered copy: ${file}`);

  const manifest = await callJson('GET', `/v1/documents/${reply.id}/archive`, 'auditor', 'auditor-demo');
  console.log('Archive:');
  for (const object of manifest.objects) console.log(`  ${object.key}  sha256 ${object.sha256}`);
  console.log(`  ${signed.archive.manifestKey}  sha256 ${signed.archive.manifestSha256}`);

  console.log('History of the reply:');
  const history = await callJson('GET', `/v1/documents/${reply.id}/history`, 'auditor', 'auditor-demo');
  for (const event of history.events)
    console.log(`  ${event.seq}. ${event.at} ${event.type} (${event.actor.sub})`);
  console.log(`  chain intact: ${history.chain.intact}`);
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
