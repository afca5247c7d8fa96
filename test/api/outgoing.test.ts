import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveManifest } from '../../functions/domain/archive.ts';
import type { Config } from '../../functions/domain/config.ts';
import { verifyChain } from '../../functions/domain/history.ts';
import { referenceDraft } from '../../functions/domain/letter/reference-letter.ts';
import { type DemoIdentity, makeDemoIdentity } from '../../functions/domain/signatures/demo-identity.ts';
import { WriteOnceError } from '../../functions/ports/blob-store.ts';
import {
  seedConfig,
  seedRequest,
  settableClock,
  startTestStack,
  type TestStack,
} from '../support/local-stack.ts';

/**
 * A reply from draft to archive through the API, as a clerk and a signer use it: the seed letter
 * 07-04/11180 of 23.12.2021 answering 25-24/6781 of 10.06.2014, signed with a GOST certificate like
 * the seed's, issued by a test CA that this stack alone trusts.
 */

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const clock = settableClock('2021-12-22T10:00:00+03:00');
let identity: DemoIdentity;
let trust: DemoIdentity['trustList'];
let stack: TestStack;
let incomingId: string;

async function officeConfig(): Promise<Config> {
  const base = await seedConfig();
  const outgoing = base.journals['outgoing'];
  if (outgoing === undefined) throw new Error('the seed configuration has no outgoing journal');
  return {
    ...base,
    journals: { ...base.journals, outgoing: { ...outgoing, startingNumbers: { '2021': 11180 } } },
    approvers: {
      petrova: { fullName: 'Петрова Анна Сергеевна', position: 'Начальник правового отдела' },
      sidorov: { fullName: 'Сидоров Олег Петрович', position: 'Управляющий делами' },
    },
  };
}

const replyRequest = (overrides: Record<string, unknown> = {}) => ({
  inReplyTo: [incomingId],
  references: [{ number: '239-р', date: '2013-04-17' }],
  addressee: { lines: referenceDraft.addresseeLines, email: 'region@example.org' },
  title: referenceDraft.titleLines,
  paragraphs: referenceDraft.paragraphs,
  signer: 'kulikov',
  executor: 'plaksina',
  ...overrides,
});

async function prepare(overrides: Record<string, unknown> = {}) {
  clock.set('2021-12-22T10:00:00+03:00');
  const answer = await stack.call('POST', '/v1/outgoing', { body: replyRequest(overrides) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: string; status: string; drafts: { sha256: string; pdfKey: string }[] };
}

async function draftBytes(id: string, format = 'pdf', version?: number): Promise<Uint8Array> {
  const query = version === undefined ? '' : `?version=${version}`;
  const response = await fetch(`${stack.apiUrl}/v1/documents/${id}/draft.${format}${query}`, {
    headers: { Authorization: `Bearer ${await stack.token('auditor')}` },
  });
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

const signed = (content: Uint8Array, by: DemoIdentity = identity, at = '2021-12-23T10:00:00+03:00') =>
  Buffer.from(by.sign(content, new Date(at))).toString('base64');

async function submit(id: string, signature: string, as: { role?: 'signer' | 'clerk'; sub?: string } = {}) {
  clock.set('2021-12-23T10:05:00+03:00');
  return stack.call('POST', `/v1/documents/${id}/signature`, {
    role: as.role ?? 'signer',
    sub: as.sub ?? 'kulikov',
    body: { signature },
  });
}

const outgoingJournal = async () => (await stack.call('GET', '/v1/journals/outgoing/2021')).body;

beforeAll(async () => {
  identity = makeDemoIdentity();
  trust = identity.trustList;
  stack = await startTestStack({ config: await officeConfig(), clock, trust: async () => trust });
  const incoming = await stack.call('POST', '/v1/incoming', { body: seedRequest() });
  expect(incoming.status).toBe(201);
  incomingId = incoming.body.id;
});

afterAll(async () => {
  await stack?.dispose();
});

describe('a reply, from its draft to the archive', () => {
  let replyId: string;
  let draft: Uint8Array;
  let signature: string;

  it('prepares the draft: PDF and DOCX stored, awaiting the signer since now', async () => {
    const reply = await prepare();
    replyId = reply.id;
    expect(reply).toMatchObject({
      status: 'awaiting_signature',
      awaiting: { role: 'signer', who: 'kulikov', since: '2021-12-22T07:00:00.000Z' },
      references: [
        { number: '25-24/6781', date: '2014-06-10' },
        { number: '239-р', date: '2013-04-17' },
      ],
    });
    draft = await draftBytes(replyId);
    expect(sha256(draft)).toBe(reply.drafts[0]?.sha256);
    expect(Buffer.from(draft.subarray(0, 5)).toString()).toBe('%PDF-');
    const docx = await draftBytes(replyId, 'docx');
    expect(Buffer.from(docx.subarray(0, 2)).toString()).toBe('PK');
  });

  it('refuses a signature over other content: 422 with the reason, no number taken, the rejection in the history', async () => {
    const answer = await submit(replyId, signed(new TextEncoder().encode('другой текст')));
    expect(answer.status).toBe(422);
    expect(answer.body.error).toBe('SignatureRejectedError');
    expect(answer.body.message).toMatch(/изменён|не подтверждена/);
    expect((await outgoingJournal()).lastNumber).toBeNull();
    const card = (await stack.call('GET', `/v1/documents/${replyId}`)).body;
    expect(card).toMatchObject({ status: 'awaiting_signature', rejectedSignatures: 1 });
    const history = (await stack.call('GET', `/v1/documents/${replyId}/history`)).body;
    expect(history.events.map((e: { type: string }) => e.type)).toEqual(['drafted', 'signature_rejected']);
    expect(history.chain.intact).toBe(true);
  });

  it('refuses a valid signature by someone else than the designated signer', async () => {
    const stranger = makeDemoIdentity({
      owner: [
        ['CN', 'Иванов Иван Иванович'],
        ['SN', 'Иванов'],
        ['G', 'Иван Иванович'],
      ],
    });
    const trustList = identity.trustList;
    // The stranger's CA is not trusted either: both reasons are given.
    const answer = await submit(replyId, signed(draft, stranger));
    expect(answer.status).toBe(422);
    expect(answer.body.message).toContain('not by the designated signer Куликов Василий Иванович');
    expect(trustList.anchors).toHaveLength(1);
    expect((await outgoingJournal()).lastNumber).toBeNull();
  });

  it('lets no other signer submit it: 403', async () => {
    const answer = await submit(replyId, signed(draft), { role: 'signer', sub: 'someone-else' });
    expect(answer.status).toBe(403);
  });

  it('registers the signed reply: 07-04/11180 of 23.12.2021, the registered copy and the archive', async () => {
    signature = signed(draft);
    const answer = await submit(replyId, signature);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({
      status: 'registered',
      regNumber: '07-04/11180',
      regDate: '2021-12-23',
      repeated: false,
      signature: {
        verdict: 'valid',
        dateSource: 'signingTime',
        certificate: { serial: '0118EC5A8BAE6CF293EB11EE5A2E22B808', owner: 'Куликов Василий Иванович' },
        uploadedBy: { sub: 'kulikov', role: 'signer' },
      },
      archive: { prefix: 'archive/2021/outgoing/07-04-11180/' },
    });

    const letter = await fetch(`${stack.apiUrl}/v1/documents/${replyId}/letter.pdf`, {
      headers: { Authorization: `Bearer ${await stack.token('auditor')}` },
    });
    expect(letter.status).toBe(200);
    expect(letter.headers.get('content-type')).toBe('application/pdf');

    const incoming = (await stack.call('GET', `/v1/documents/${incomingId}`)).body;
    expect(incoming).toMatchObject({
      status: 'answered',
      answeredBy: [{ id: replyId, regNumber: '07-04/11180', regDate: '2021-12-23' }],
    });
    const journal = await outgoingJournal();
    expect(journal.entries).toMatchObject([{ seq: 11180, documentId: replyId, state: 'registered' }]);
  });

  it('archives exactly what the manifest names: the signed original is the draft, each hash matches', async () => {
    const answer = await stack.call('GET', `/v1/documents/${replyId}/archive`, { role: 'auditor' });
    expect(answer.status).toBe(200);
    const manifest = answer.body as ArchiveManifest;
    expect(manifest).toMatchObject({ regNumber: '07-04/11180', regDate: '2021-12-23', draftVersion: 1 });
    expect(manifest.signature.verdict).toBe('valid');
    const roles = manifest.objects.map((o) => o.role);
    expect(roles).toEqual(['original', 'signature', 'certificate', 'certificate', 'visualisation']);
    for (const object of manifest.objects) {
      const stored = await stack.blobs.get(object.key);
      expect(stored, object.key).not.toBeNull();
      expect(sha256(stored?.bytes ?? new Uint8Array()), object.key).toBe(object.sha256);
    }
    const original = manifest.objects.find((o) => o.role === 'original');
    expect(original?.sha256).toBe(sha256(draft));
    const certificate = await stack.blobs.get(manifest.objects[2]?.key ?? '');
    expect(Buffer.from(certificate?.bytes ?? []).equals(Buffer.from(identity.signerCertificate))).toBe(true);
  });

  it('keeps the archive write-once: an overwrite or a delete is refused', async () => {
    const { prefix } = (await stack.call('GET', `/v1/documents/${replyId}`)).body.archive;
    const key = `${prefix}original.pdf`;
    await expect(
      stack.blobs.put(key, { bytes: new Uint8Array([1]), contentType: 'application/pdf' }),
    ).rejects.toBeInstanceOf(WriteOnceError);
    await expect(stack.blobs.delete(key)).rejects.toBeInstanceOf(WriteOnceError);
    expect(sha256((await stack.blobs.get(key))?.bytes ?? new Uint8Array())).toBe(sha256(draft));
  });

  it('lets an admin put a legal hold on the archive and lift it, each in the history; nobody else', async () => {
    const path = `/v1/documents/${replyId}/archive/legal-hold`;
    for (const role of ['clerk', 'signer', 'auditor'] as const)
      expect(
        (await stack.call('PUT', path, { role, body: { on: true, reason: 'Запрос суда' } })).status,
      ).toBe(403);
    const refused = await stack.call('PUT', path, { role: 'admin', body: { on: 'yes' } });
    expect(refused.status).toBe(400);
    expect(refused.body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['on', 'reason']);
    const held = await stack.call('PUT', path, {
      role: 'admin',
      sub: 'admin-1',
      body: { on: true, reason: 'Запрос прокуратуры № 7-12 от 24.12.2021' },
    });
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    const { prefix } = (await stack.call('GET', `/v1/documents/${replyId}`)).body.archive;
    expect(held.body).toMatchObject({ on: true, enforcedBy: 'write_once' });
    expect(held.body.objects).toContain(`${prefix}manifest.json`);
    expect(held.body.objects.every((key: string) => key.startsWith(prefix))).toBe(true);
    const lifted = await stack.call('PUT', path, {
      role: 'admin',
      body: { on: false, reason: 'Дело закрыто' },
    });
    expect(lifted.body.on).toBe(false);
    const history = (await stack.call('GET', `/v1/documents/${replyId}/history`, { role: 'auditor' })).body;
    const holds = history.events.filter((e: { type: string }) => e.type.startsWith('legal_hold'));
    expect(holds.map((e: { type: string; actor: { sub: string } }) => [e.type, e.actor.sub])).toEqual([
      ['legal_hold_set', 'admin-1'],
      ['legal_hold_lifted', 'test-admin'],
    ]);
    expect(history.chain).toEqual({ intact: true });
    const draftOnly = await stack.call(
      'PUT',
      '/v1/documents/00000000-0000-4000-8000-000000000000/archive/legal-hold',
      {
        role: 'admin',
        body: { on: true, reason: 'x' },
      },
    );
    expect(draftOnly.status).toBe(404);
  });

  it('answers the same signature sent again with the first result; another one gets 409', async () => {
    const again = await submit(replyId, signature);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ regNumber: '07-04/11180', repeated: true });
    const other = await submit(replyId, signed(draft, identity, '2021-12-23T10:01:00+03:00'));
    expect(other.status).toBe(409);
    expect((await outgoingJournal()).lastNumber).toBe(11180);
  });

  it('refuses a new version of a signed reply: 409', async () => {
    const answer = await stack.call('PUT', `/v1/documents/${replyId}/draft`, { body: replyRequest() });
    expect(answer.status).toBe(409);
  });

  it('records every step in an intact history', async () => {
    const history = (await stack.call('GET', `/v1/documents/${replyId}/history`, { role: 'auditor' })).body;
    expect(history.events.map((e: { type: string }) => e.type)).toEqual([
      'drafted',
      'signature_rejected',
      'signature_rejected',
      'signature_accepted',
      'registered',
      'dispatched',
      'legal_hold_set',
      'legal_hold_lifted',
    ]);
    expect(verifyChain(history.events)).toEqual({ intact: true });
    expect(history.events.find((e: { type: string }) => e.type === 'dispatched')).toMatchObject({
      data: { to: 'region@example.org', status: 'sent' },
    });
    const incomingHistory = (await stack.call('GET', `/v1/documents/${incomingId}/history`)).body;
    expect(incomingHistory.events.map((e: { type: string }) => e.type)).toEqual(['registered', 'answered']);
  });
});

describe('dispatch', () => {
  it('sends the registered reply once, with its copy, original, signature and certificate attached', async () => {
    const outbox = (await stack.call('GET', '/v1/notifications', { role: 'auditor' })).body.items as {
      key: string;
      kind: string;
      to: string[];
      status: string;
      subject: string;
    }[];
    const dispatched = outbox.filter((n) => n.kind === 'dispatch');
    expect(dispatched.length).toBeGreaterThan(0);
    expect(dispatched[0]).toMatchObject({ to: ['region@example.org'], status: 'sent' });
    expect(dispatched.some((n) => n.subject.startsWith('№ 07-04/11180 от 23.12.2021: Информация'))).toBe(
      true,
    );
    const eml = readdirSync(join(stack.dataDir, 'outbox')).filter((f) => f.startsWith('dispatch.'));
    expect(eml.length).toBe(dispatched.length);
    const message = readFileSync(join(stack.dataDir, 'outbox', eml[0] ?? ''), 'utf8');
    for (const name of ['letter.pdf', 'original.pdf', 'signature.p7s', 'certificate.cer'])
      expect(message).toContain(`filename=${name}`);
  });
});

describe('approval before the signature', () => {
  it('goes through the approvers in order; a return sends it back for a new version', async () => {
    const reply = await prepare({ approvers: ['petrova', 'sidorov'] });
    expect(reply).toMatchObject({
      status: 'awaiting_approval',
      awaiting: { role: 'approver', who: 'petrova' },
    });
    const id = reply.id;
    const approve = (approver: string, body: Record<string, unknown>, sub = approver) =>
      stack.call('POST', `/v1/documents/${id}/approvals`, {
        role: 'signer',
        sub,
        body: { approver, ...body },
      });

    expect((await submit(id, signed(await draftBytes(id)))).status).toBe(409);
    expect((await approve('sidorov', { decision: 'approve' })).status).toBe(422);
    const noComment = await approve('petrova', { decision: 'return' });
    expect(noComment.status).toBe(400);
    expect(noComment.body.problems).toEqual([
      { field: 'comment', problem: 'is required when the reply is returned' },
    ]);
    const returned = await approve('petrova', { decision: 'return', comment: 'Уточнить данные МФЦ' });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({
      status: 'returned',
      awaiting: { role: 'executor', who: 'plaksina' },
    });

    const revised = await stack.call('PUT', `/v1/documents/${id}/draft`, {
      body: replyRequest({ approvers: ['petrova', 'sidorov'], paragraphs: ['Новый текст ответа.'] }),
    });
    expect(revised.status, JSON.stringify(revised.body)).toBe(200);
    expect(revised.body).toMatchObject({ status: 'awaiting_approval', approvals: [] });
    expect(revised.body.drafts).toHaveLength(2);
    // Both versions stay readable.
    expect(sha256(await draftBytes(id, 'pdf', 1))).toBe(revised.body.drafts[0].sha256);
    expect(sha256(await draftBytes(id, 'pdf', 2))).toBe(revised.body.drafts[1].sha256);

    expect((await approve('petrova', { decision: 'approve' })).body.status).toBe('awaiting_approval');
    // A clerk records the second visa for the approver.
    const last = await stack.call('POST', `/v1/documents/${id}/approvals`, {
      role: 'clerk',
      body: { approver: 'sidorov', decision: 'approve' },
    });
    expect(last.body).toMatchObject({ status: 'awaiting_signature', awaiting: { who: 'kulikov' } });

    // The signature over the first version is not the signature of the text that was approved.
    const stale = await submit(id, signed(await draftBytes(id, 'pdf', 1)));
    expect(stale.status).toBe(422);
    const done = await submit(id, signed(await draftBytes(id, 'pdf', 2)), {
      role: 'clerk',
      sub: 'clerk-ivanova',
    });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body.signature).toMatchObject({ onBehalfOf: 'kulikov', uploadedBy: { role: 'clerk' } });
    const history = (await stack.call('GET', `/v1/documents/${id}/history`)).body;
    expect(history.events.map((e: { type: string }) => e.type)).toEqual([
      'drafted',
      'returned_for_revision',
      'draft_revised',
      'approved',
      'approved',
      'signature_rejected',
      'signature_accepted',
      'registered',
      'dispatched',
    ]);
    expect(history.chain.intact).toBe(true);
  });
});

describe('bad input', () => {
  it('names what the request gets wrong', async () => {
    const unknown = await stack.call('POST', '/v1/outgoing', {
      body: replyRequest({
        inReplyTo: ['00000000-0000-4000-8000-000000000000'],
        signer: 'nobody',
        executor: 'nobody',
        approvers: ['nobody'],
      }),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.problems.map((p: { field: string }) => p.field).sort()).toEqual([
      'approvers.0',
      'executor',
      'inReplyTo.0',
      'signer',
    ]);
    const malformed = await stack.call('POST', '/v1/outgoing', {
      body: { ...replyRequest(), paragraphs: [] },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.problems).toEqual([
      { field: 'paragraphs', problem: 'must have at least one item' },
    ]);
    const noReply = await stack.call('POST', '/v1/documents/00000000-0000-4000-8000-000000000000/signature', {
      role: 'signer',
      sub: 'kulikov',
      body: { signature: 'AAAA' },
    });
    expect(noReply.status).toBe(404);
    const unreadable = await submit((await prepare()).id, Buffer.from('not a signature').toString('base64'));
    expect(unreadable.status).toBe(422);
    expect((await stack.call('GET', `/v1/documents/${incomingId}/letter.pdf`)).status).toBe(404);
  });

  it('refuses a signature by a revoked certificate: 422 naming the revocation, no number taken', async () => {
    const revoked = makeDemoIdentity({ revokedAt: new Date('2021-12-21T00:00:00Z') });
    trust = revoked.trustList;
    try {
      const reply = await prepare();
      const before = (await outgoingJournal()).lastNumber;
      const answer = await submit(reply.id, signed(await draftBytes(reply.id), revoked));
      expect(answer.status).toBe(422);
      expect(answer.body.message).toContain('сертификат отозван');
      expect((await outgoingJournal()).lastNumber).toBe(before);
    } finally {
      trust = identity.trustList;
    }
  });

  it('refuses a signature made after the certificate expired: 422', async () => {
    const reply = await prepare();
    const content = await draftBytes(reply.id);
    clock.set('2022-05-01T10:05:00+03:00');
    const answer = await stack.call('POST', `/v1/documents/${reply.id}/signature`, {
      role: 'signer',
      sub: 'kulikov',
      body: { signature: signed(content, identity, '2022-05-01T10:00:00+03:00') },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toContain('срок действия сертификата истёк');
    expect((await stack.call('GET', `/v1/documents/${reply.id}`)).body.status).toBe('awaiting_signature');
  });

  it('lets one of two different signatures sent at once win; the other gets 409', async () => {
    const reply = await prepare();
    const content = await draftBytes(reply.id);
    const [one, two] = await Promise.all([
      submit(reply.id, signed(content, identity, '2021-12-23T10:00:00+03:00')),
      submit(reply.id, signed(content, identity, '2021-12-23T10:01:00+03:00')),
    ]);
    expect([one?.status, two?.status].sort()).toEqual([201, 409]);
    const journal = await outgoingJournal();
    expect(journal.entries.filter((e: { documentId?: string }) => e.documentId === reply.id)).toHaveLength(1);
  });
});

describe('a change whose event was lost', () => {
  it('is named by verification, and recorded, as its writer made it, by the next change of the card', async () => {
    const reply = await prepare();
    const card = await stack.deps.documents.get(reply.id);
    if (card === null || card.direction !== 'outgoing') throw new Error('no reply card');
    // As if the process died after writing the card and before its event.
    const revised = { ...card, revision: card.revision + 1, rejectedSignatures: 1 };
    const changed = {
      ...revised,
      lastChange: {
        revision: card.revision + 1,
        type: 'signature_rejected',
        at: '2021-12-22T08:00:00.000Z',
        actor: { sub: 'kulikov', role: 'signer' },
        data: { verdict: 'invalid' },
      },
    };
    await stack.deps.documents.replace(changed, card.revision);
    const verdict = (await stack.call('GET', `/v1/documents/${reply.id}/history/verify`, { role: 'auditor' }))
      .body;
    expect(verdict).toMatchObject({ ok: false, field: 'revision' });
    expect(verdict.problem).toContain('a change is missing from the history');
    // Reading changes nothing.
    expect((await stack.deps.events.list(reply.id)).map((e) => e.type)).toEqual(['drafted']);

    const stale = await submit(reply.id, signed(new TextEncoder().encode('другой текст')));
    expect(stale.status).toBe(422);
    const history = (await stack.call('GET', `/v1/documents/${reply.id}/history`, { role: 'auditor' })).body;
    expect(history.events.map((e: { type: string }) => e.type)).toEqual([
      'drafted',
      'signature_rejected',
      'signature_rejected',
    ]);
    expect(history.events[1]).toMatchObject({ actor: { sub: 'kulikov' }, at: '2021-12-22T08:00:00.000Z' });
    expect((await stack.call('GET', `/v1/documents/${reply.id}/history/verify`)).body).toEqual({
      ok: true,
      events: 3,
      cardChecked: true,
      anchor: null,
    });
  });
});
