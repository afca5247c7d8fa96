import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../functions/domain/documents.ts';
import { referenceDraft } from '../../functions/domain/letter/reference-letter.ts';
import type { OutgoingCard } from '../../functions/domain/outgoing.ts';
import { interruptedFinalizationReason } from '../../functions/domain/settling.ts';
import { type DemoIdentity, makeDemoIdentity } from '../../functions/domain/signatures/demo-identity.ts';
import type { WorkflowOutcome } from '../../functions/ports/workflow-runner.ts';
import { type CrlServer, serve, startCrlServer } from '../support/crl-server.ts';
import { configStartingAt, settableClock, startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * finalize-reply as it runs in the local engine: many replies finalized at once draw distinct,
 * consecutive numbers; one killed after its number was taken is settled as a registration is.
 */

const clerk: Actor = { sub: 'clerk-ivanova', role: 'clerk' };
const signer: Actor = { sub: 'kulikov', role: 'signer' };

function output<T>(outcome: WorkflowOutcome): T {
  if (outcome.status !== 'succeeded') throw new Error(`${outcome.error}: ${outcome.cause}`);
  return outcome.output as T;
}

async function prepareReply(stack: TestStack, n: number): Promise<OutgoingCard> {
  const request = {
    addressee: { lines: referenceDraft.addresseeLines },
    title: `Ответ № ${n}`,
    paragraphs: [`Текст ответа номер ${n}.`],
    signer: 'kulikov',
    executor: 'plaksina',
  };
  return output<{ document: OutgoingCard }>(
    await stack.runner.run('prepare-reply', { request, actor: clerk, documentId: null }),
  ).document;
}

async function finalize(stack: TestStack, identity: DemoIdentity, reply: OutgoingCard, attempt: string) {
  const draft = await stack.blobs.get(reply.drafts[0]?.pdfKey ?? '');
  if (draft === null) throw new Error('the draft is not stored');
  const signature = identity.sign(draft.bytes, new Date('2021-12-23T10:00:00+03:00'));
  return stack.runner.run('finalize-reply', {
    documentId: reply.id,
    signature: Buffer.from(signature).toString('base64'),
    attempt,
    uploadedAt: stack.deps.clock.now().toISOString(),
    actor: signer,
    onBehalfOf: null,
  });
}

describe('fifty replies finalized at once', () => {
  const clock = settableClock('2021-12-22T10:00:00+03:00');
  const identity = makeDemoIdentity();
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      config: await configStartingAt('outgoing', { '2021': 11180 }),
      clock,
      trust: async () => identity.trustList,
    });
  });
  afterAll(async () => stack?.dispose());

  it('get distinct consecutive numbers, each its own archive', async () => {
    const replies: OutgoingCard[] = [];
    for (let n = 1; n <= 50; n++) replies.push(await prepareReply(stack, n));
    clock.set('2021-12-23T10:05:00+03:00');
    const outcomes = await Promise.all(
      replies.map((reply, i) => finalize(stack, identity, reply, `attempt-${i}`)),
    );
    const registered = outcomes.map((o) => output<{ document: OutgoingCard }>(o).document);
    const seqs = registered.map((card) => card.regSeq ?? 0).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => 11180 + i));
    expect(new Set(registered.map((card) => card.archive?.prefix)).size).toBe(50);
    const { counter, entries } = await stack.deps.journals.list('outgoing#2021');
    expect(counter?.last).toBe(11229);
    expect(entries.every((entry) => !('voided' in entry) && entry.inProgress === undefined)).toBe(true);
  }, 120_000);
});

describe('a finalization killed after taking its number', () => {
  const clock = settableClock('2021-12-22T10:00:00+03:00');
  const identity = makeDemoIdentity();
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      config: await configStartingAt('outgoing', { '2021': 11180 }),
      clock,
      trust: async () => identity.trustList,
      timeLimitSeconds: 2,
    });
  });
  afterAll(async () => stack?.dispose());

  it('is settled like a registration: the number voided with the reason, the reply signable again', async () => {
    const reply = await prepareReply(stack, 1);
    clock.set('2021-12-23T10:05:00+03:00');
    stack.faults['RegisterReply'] = 'crash';
    const killed = await finalize(stack, identity, reply, 'killed-attempt');
    expect(killed.status).toBe('failed');
    expect((await stack.deps.documents.get(reply.id))?.status).toBe('signing');

    // Within the lease nothing is settled, and another signature must wait.
    delete stack.faults['RegisterReply'];
    output(await stack.runner.run('settle-registrations', {}));
    expect((await stack.deps.journals.list('outgoing#2021')).entries).toMatchObject([{ seq: 11180 }]);
    const early = await finalize(stack, identity, reply, 'too-early');
    expect(early).toMatchObject({ status: 'failed', error: 'ConflictError' });

    clock.set('2021-12-23T10:06:00+03:00');
    output(await stack.runner.run('settle-registrations', {}));
    const { entries } = await stack.deps.journals.list('outgoing#2021');
    expect(entries).toMatchObject([{ seq: 11180, voided: { reason: interruptedFinalizationReason } }]);
    const card = (await stack.deps.documents.get(reply.id)) as OutgoingCard;
    expect(card).toMatchObject({ status: 'awaiting_signature', signing: null });
    const history = await stack.deps.events.list(reply.id);
    expect(history.map((e) => e.type)).toEqual(['drafted', 'signature_accepted', 'finalization_abandoned']);

    const retried = output<{ document: OutgoingCard }>(
      await finalize(stack, identity, reply, 'second-attempt'),
    );
    expect(retried.document).toMatchObject({ status: 'registered', regNumber: '07-04/11181' });
  }, 60_000);

  it('killed before its number: settling gives the reply back to its signer, no number taken', async () => {
    clock.set('2021-12-23T11:00:00+03:00');
    const reply = await prepareReply(stack, 2);
    const before = (await stack.deps.journals.counter('outgoing#2021'))?.last;
    stack.faults['AssignNumber'] = 'crash';
    expect((await finalize(stack, identity, reply, 'killed-before-number')).status).toBe('failed');
    delete stack.faults['AssignNumber'];
    expect((await stack.deps.documents.get(reply.id))?.status).toBe('signing');

    output(await stack.runner.run('settle-registrations', {}));
    expect((await stack.deps.documents.get(reply.id))?.status).toBe('signing');
    clock.set('2021-12-23T11:01:00+03:00');
    output(await stack.runner.run('settle-registrations', {}));
    expect(await stack.deps.documents.get(reply.id)).toMatchObject({
      status: 'awaiting_signature',
      signing: null,
    });
    expect((await stack.deps.journals.counter('outgoing#2021'))?.last).toBe(before);
    const history = await stack.deps.events.list(reply.id);
    expect(history.at(-1)).toMatchObject({
      type: 'finalization_abandoned',
      data: { attempt: 'killed-before-number' },
    });
    // A second run finds nothing more to do.
    output(await stack.runner.run('settle-registrations', {}));
    expect((await stack.deps.events.list(reply.id)).length).toBe(history.length);
  }, 60_000);

  it('registered but killed before marking the request answered: settling marks it', async () => {
    clock.set('2021-12-23T12:00:00+03:00');
    const incoming = output<{ document: { id: string } }>(
      await stack.runner.run('register-incoming', {
        request: {
          correspondent: { organization: 'Аппарат Правительства Ставропольского края' },
          theirRef: { number: '25-24/9999', date: '2021-12-20' },
          kind: 'request',
          subject: 'Запрос',
          receivedAt: '2021-12-21T10:00:00+03:00',
          channel: 'email',
          executor: 'plaksina',
        },
        actor: clerk,
      }),
    ).document;
    const reply = output<{ document: OutgoingCard }>(
      await stack.runner.run('prepare-reply', {
        request: {
          inReplyTo: [incoming.id],
          addressee: { lines: ['Начальнику управления'] },
          title: 'Ответ на запрос',
          paragraphs: ['Текст.'],
          signer: 'kulikov',
          executor: 'plaksina',
        },
        actor: clerk,
        documentId: null,
      }),
    ).document;
    stack.faults['MarkAnswered'] = 'crash';
    expect((await finalize(stack, identity, reply, 'killed-before-marking')).status).toBe('failed');
    delete stack.faults['MarkAnswered'];
    expect((await stack.deps.documents.get(reply.id))?.status).toBe('registered');
    expect((await stack.deps.documents.get(incoming.id))?.status).toBe('registered');

    clock.set('2021-12-23T12:01:00+03:00');
    output(await stack.runner.run('settle-registrations', {}));
    expect(await stack.deps.documents.get(incoming.id)).toMatchObject({
      status: 'answered',
      answeredBy: [{ id: reply.id }],
    });
    const { entries } = await stack.deps.journals.list('outgoing#2021');
    expect(entries.find((e) => 'documentId' in e && e.documentId === reply.id)).not.toHaveProperty(
      'inProgress',
    );
  }, 60_000);
});

describe('a signature whose CRL is fetched from its distribution point', () => {
  const clock = settableClock('2021-12-22T10:00:00+03:00');
  let server: CrlServer;
  let identity: DemoIdentity;
  let stack: TestStack;

  beforeAll(async () => {
    server = await startCrlServer();
    identity = makeDemoIdentity({ crlUrl: `${server.origin}/demo-ca.crl` });
    const config = await configStartingAt('outgoing', { '2021': 11180 });
    // The office holds no CRL: only the fetched one can tell that the certificate is not revoked.
    stack = await startTestStack({
      config: { ...config, crlFetch: true },
      clock,
      trust: async () => ({ ...identity.trustList, crls: [] }),
    });
  });
  afterAll(async () => {
    await stack?.dispose();
    await server?.close();
  });

  it('is refused while the CRL cannot be had, and registered once it can', async () => {
    const reply = await prepareReply(stack, 1);
    clock.set('2021-12-23T10:05:00+03:00');
    const refused = await finalize(stack, identity, reply, 'no-crl-yet');
    expect(refused).toMatchObject({ status: 'failed', error: 'SignatureRejectedError' });
    expect(server.hitsOf('/demo-ca.crl')).toBe(1);

    server.routes.set('/demo-ca.crl', serve(identity.crl));
    const registered = output<{ document: OutgoingCard }>(await finalize(stack, identity, reply, 'with-crl'));
    expect(registered.document).toMatchObject({ status: 'registered', regNumber: '07-04/11180' });
    expect(server.hitsOf('/demo-ca.crl')).toBe(2);
  }, 60_000);
});
