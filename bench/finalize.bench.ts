import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../functions/domain/documents.ts';
import { referenceDraft } from '../functions/domain/letter/reference-letter.ts';
import type { OutgoingCard } from '../functions/domain/outgoing.ts';
import { makeDemoIdentity } from '../functions/domain/signatures/demo-identity.ts';
import { tasksById } from '../functions/handlers/index.ts';
import type { WorkflowOutcome } from '../functions/ports/workflow-runner.ts';
import { type LocalStack, startLocalStack } from '../infra/local/stack.ts';
import { configStartingAt, settableClock } from '../test/support/local-stack.ts';
import { stateNameOf } from '../workflows/registry.ts';
import type { Bench } from './result.ts';

const perRun = 40;
const concurrency = 8;
const warmUp = 4;

const clerk: Actor = { sub: 'clerk-ivanova', role: 'clerk' };
const signer: Actor = { sub: 'kulikov', role: 'signer' };

/** The task states whose share of a finalize is reported; the rest is the engine and the other tasks. */
const parts = { render: 'render-letter', check: 'check-signature', archive: 'archive-letter' } as const;
type Part = keyof typeof parts;

function output<T>(outcome: WorkflowOutcome): T {
  if (outcome.status !== 'succeeded') throw new Error(`${outcome.error}: ${outcome.cause}`);
  return outcome.output as T;
}

/**
 * finalize-reply end to end in the local engine (dynalite, s3rver, aws-local-stepfunctions) on the
 * reference letter (3 pages): finalizes per second one at a time and 8 at once, and the share of
 * the RenderLetter, CheckSignature and ArchiveLetter tasks in a finalize made one at a time. The
 * three tasks are timed inside the real finalizes (a state override around each task's own `run`),
 * so each share is the whole task: its card read and store writes as well as its domain work.
 */
const bench: Bench = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'docroute-bench-'));
  const clock = settableClock('2021-12-22T10:00:00+03:00');
  const identity = makeDemoIdentity();
  const spent: Record<Part, number> = { render: 0, check: 0, archive: 0 };
  const timed = (part: Part) => {
    const task = tasksById[parts[part]];
    if (task === undefined) throw new Error(`no task ${parts[part]}`);
    return async (input: never) => {
      const started = performance.now();
      try {
        return await task.run(input, stack.deps);
      } finally {
        spent[part] += performance.now() - started;
      }
    };
  };
  const stateOverrides = Object.fromEntries(
    (Object.keys(parts) as Part[]).map((part) => [stateNameOf(parts[part]), timed(part)]),
  );
  const stack: LocalStack = await startLocalStack({
    dataDir,
    config: await configStartingAt('outgoing', { '2021': 11180 }),
    port: 0,
    schedule: false,
    clock,
    trust: async () => identity.trustList,
    stateOverrides,
  });

  const prepare = async (n: number) => {
    const request = {
      addressee: { lines: referenceDraft.addresseeLines },
      title: referenceDraft.titleLines,
      paragraphs: referenceDraft.paragraphs,
      signer: 'kulikov',
      executor: 'plaksina',
    };
    const reply = output<{ document: OutgoingCard }>(
      await stack.runner.run('prepare-reply', { request, actor: clerk, documentId: null }),
    ).document;
    const draft = await stack.blobs.get(reply.drafts[0]?.pdfKey ?? '');
    if (draft === null) throw new Error(`the draft of reply ${n} is not stored`);
    const signature = identity.sign(draft.bytes, new Date('2021-12-23T10:00:00+03:00'));
    return { documentId: reply.id, signature: Buffer.from(signature).toString('base64') };
  };

  const finalize = async ({ documentId, signature }: { documentId: string; signature: string }) => {
    const card = output<{ document: OutgoingCard }>(
      await stack.runner.run('finalize-reply', {
        documentId,
        signature,
        attempt: randomUUID(),
        uploadedAt: clock.now().toISOString(),
        actor: signer,
        onBehalfOf: null,
      }),
    ).document;
    if (card.status !== 'registered') throw new Error(`reply ${documentId} ended ${card.status}`);
  };

  /** Finalizes the replies with that many at once; returns the seconds it took. */
  const finalizeAll = async (replies: Awaited<ReturnType<typeof prepare>>[], atOnce: number) => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: atOnce }, async () => {
        for (let i = next++; i < replies.length; i = next++)
          await finalize(replies[i] as (typeof replies)[0]);
      }),
    );
    return (performance.now() - started) / 1000;
  };

  try {
    const replies = [];
    for (let n = 0; n < warmUp + 2 * perRun; n++) replies.push(await prepare(n));
    clock.set('2021-12-23T10:05:00+03:00');

    await finalizeAll(replies.slice(0, warmUp), 1); // JIT, fonts, sockets, LevelDB caches
    spent.render = spent.check = spent.archive = 0;
    const sequentialSeconds = await finalizeAll(replies.slice(warmUp, warmUp + perRun), 1);
    const sequentialSpent = { ...spent };
    const concurrentSeconds = await finalizeAll(replies.slice(warmUp + perRun), concurrency);

    const msPerFinalize = (sequentialSeconds * 1000) / perRun;
    const msOf = (part: Part) => sequentialSpent[part] / perRun;
    const rest = msPerFinalize - msOf('render') - msOf('check') - msOf('archive');
    const share = (ms: number) => (100 * ms) / msPerFinalize;
    return [
      { name: 'finalizes per second, one at a time', value: perRun / sequentialSeconds, unit: '/s' },
      {
        name: `finalizes per second, ${concurrency} at once`,
        value: perRun / concurrentSeconds,
        unit: '/s',
      },
      { name: 'ms per finalize (one at a time)', value: msPerFinalize, unit: 'ms' },
      { name: 'render the registered copy (RenderLetter)', value: msOf('render'), unit: 'ms' },
      { name: 'signature check (CheckSignature)', value: msOf('check'), unit: 'ms' },
      { name: 'archive (ArchiveLetter)', value: msOf('archive'), unit: 'ms' },
      { name: 'the rest (engine, DynamoDB, claim and card writes)', value: rest, unit: 'ms' },
      { name: 'share: render the registered copy', value: share(msOf('render')), unit: '%' },
      { name: 'share: signature check', value: share(msOf('check')), unit: '%' },
      { name: 'share: archive', value: share(msOf('archive')), unit: '%' },
      { name: 'share: the rest (engine, DynamoDB, claim and card writes)', value: share(rest), unit: '%' },
      { name: 'peak RSS', value: process.resourceUsage().maxRSS / 1024, unit: 'MB' },
    ];
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
};

export default bench;
