import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamodb/index.ts';
import { anchorManifestKey } from '../../functions/domain/anchors.ts';
import { cardHashOf, chainEvent, type HistoryEvent } from '../../functions/domain/history.ts';
import { WriteOnceError } from '../../functions/ports/blob-store.ts';
import { letterRegistrar, startTestStack, type TestStack, verifyAsAuditor } from '../support/local-stack.ts';

/**
 * Anchors as an auditor relies on them: once a history is anchored, cutting it short or rewriting it
 * whole with fresh hashes, even with its card and its head made to match, is named by verification
 * and by the next anchor; anchors link to each other and cannot be deleted or overwritten.
 */

let stack: TestStack;
let dynamo: ReturnType<typeof createDocumentClient>;
const registered = letterRegistrar(() => stack, 'АН');
const verify = (id: string) => verifyAsAuditor(stack, id);
const anchorNow = async () => {
  const answer = await stack.call('POST', '/v1/anchors', { role: 'admin', sub: 'admin-1' });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
};
const eventsOf = async (id: string) =>
  (await stack.call('GET', `/v1/documents/${id}/history`, { role: 'auditor' })).body.events as HistoryEvent[];
const rawCard = async (id: string) =>
  (await dynamo.send(new GetCommand({ TableName: stack.tableNames.documents, Key: { id } }))).Item as Record<
    string,
    unknown
  >;
const put = (table: 'documents' | 'events' | 'chainHeads', Item: Record<string, unknown>) =>
  dynamo.send(new PutCommand({ TableName: stack.tableNames[table], Item }));

beforeAll(async () => {
  stack = await startTestStack();
  dynamo = createDocumentClient({ endpoint: stack.dynamoEndpoint });
});
afterAll(async () => {
  dynamo?.destroy();
  await stack?.dispose();
});

describe('anchors', () => {
  it('before the first anchor: no latest, and a history verifies as not yet anchored', async () => {
    const id = await registered();
    expect((await stack.call('GET', '/v1/anchors/latest', { role: 'auditor' })).status).toBe(404);
    expect(await verify(id)).toEqual({ ok: true, events: 1, cardChecked: true, anchor: null });
  });

  it('only an admin writes one; it fixes every history and verification says where', async () => {
    const id = await registered();
    for (const role of ['clerk', 'signer', 'auditor'] as const)
      expect((await stack.call('POST', '/v1/anchors', { role })).status).toBe(403);
    const first = await anchorNow();
    expect(first).toMatchObject({ number: 1, chains: 2, previous: null, findingCount: 0 });
    expect(first.root).toMatch(/^[0-9a-f]{64}$/);
    expect(await verify(id)).toEqual({
      ok: true,
      events: 1,
      cardChecked: true,
      anchor: { number: 1, at: first.at, seq: 1 },
    });
    const latest = await stack.call('GET', '/v1/anchors/latest', { role: 'auditor' });
    expect(latest.body).toMatchObject({
      key: anchorManifestKey(1),
      manifest: { number: 1, root: first.root, requestedBy: { sub: 'admin-1', role: 'admin' } },
    });
  });

  it('anchors written at once are numbered in turn, each linked to the one before', async () => {
    const before = (await stack.call('GET', '/v1/anchors/latest', { role: 'auditor' })).body;
    const written = await Promise.all([anchorNow(), anchorNow(), anchorNow()]);
    const numbers = written.map((a) => a.number).sort((a, b) => a - b);
    const start = before.manifest.number as number;
    expect(numbers).toEqual([start + 1, start + 2, start + 3]);
    const byNumber = new Map(written.map((a) => [a.number, a]));
    expect(byNumber.get(start + 1)?.previous).toEqual({ number: start, sha256: before.sha256 });
    for (const n of [start + 2, start + 3]) expect(byNumber.get(n)?.previous?.number).toBe(n - 1);
  });

  it('names a deleted last event once anchored, though the card and the head were put back to match', async () => {
    const id = await registered();
    const routed = await stack.call('POST', `/v1/documents/${id}/resolutions`, {
      body: { author: 'kulikov', text: 'Подготовить ответ', executor: 'plaksina' },
    });
    expect(routed.status, JSON.stringify(routed.body)).toBe(200);
    const [registration, resolution] = await eventsOf(id);
    await anchorNow();
    // Behind docroute: the resolution's event removed, the card and the head as they stood before it.
    await dynamo.send(
      new DeleteCommand({ TableName: stack.tableNames.events, Key: { documentId: id, seq: 2 } }),
    );
    await put('documents', registration?.data['after'] as Record<string, unknown>);
    await put('chainHeads', { documentId: id, seq: 1, hash: registration?.hash, at: registration?.at });

    expect(await verify(id)).toMatchObject({
      ok: false,
      seq: 2,
      problem: expect.stringMatching(/event 2, fixed by anchor \d+ .* is missing: the history was cut short/),
    });
    // The next anchor finds it too, and keeps fixing the event that was removed.
    const next = await anchorNow();
    expect(next.findingCount).toBe(1);
    expect(next.findings[0]).toMatchObject({ documentId: id, anchoredSeq: 2 });
    expect(next.findings[0].problem).toMatch(/events were removed/);
    expect(await verify(id)).toMatchObject({ ok: false, seq: 2 });
    expect(resolution?.type).toBe('resolution');
  });

  it('names a history rewritten with fresh hashes and a card to match, once anchored', async () => {
    const id = await registered();
    await anchorNow();
    const [registration] = await eventsOf(id);
    // A forger who knows the hashing: the subject changed in the card, in the event, and in the head.
    const raw = await rawCard(id);
    await put('documents', { ...raw, subject: 'Подменённое содержание' });
    const card = (await stack.call('GET', `/v1/documents/${id}`)).body;
    const data = { ...registration?.data, after: card, cardHash: cardHashOf(card) };
    const forged = chainEvent(id, null, {
      type: 'registered',
      at: registration?.at ?? '',
      actor: registration?.actor ?? { sub: 'x', role: 'clerk' },
      data,
    });
    await put('events', forged as unknown as Record<string, unknown>);
    await put('chainHeads', { documentId: id, seq: 1, hash: forged.hash, at: forged.at });

    expect(await verify(id)).toMatchObject({
      ok: false,
      seq: 1,
      problem: expect.stringMatching(/event 1 is not the one anchor \d+ .* fixed: the history was rewritten/),
    });
  });

  it('cannot be deleted or overwritten', async () => {
    await expect(stack.blobs.delete(anchorManifestKey(1))).rejects.toBeInstanceOf(WriteOnceError);
    await expect(
      stack.blobs.put(anchorManifestKey(1), {
        bytes: new TextEncoder().encode('{}'),
        contentType: 'application/json',
      }),
    ).rejects.toBeInstanceOf(WriteOnceError);
  });
});
