import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamodb/index.ts';
import { letterRegistrar, startTestStack, type TestStack, verifyAsAuditor } from '../support/local-stack.ts';

/**
 * Tamper evidence as an auditor meets it: an event, a card and a card's last change, each altered
 * directly in DynamoDB through the local endpoint, behind docroute, are named by verification.
 */

let stack: TestStack;
let dynamo: ReturnType<typeof createDocumentClient>;
const registered = letterRegistrar(() => stack, 'ПР');
const verify = (id: string) => verifyAsAuditor(stack, id);

async function edit(
  table: 'documents' | 'events',
  key: Record<string, unknown>,
  change: (item: Record<string, unknown>) => void,
) {
  const TableName = stack.tableNames[table];
  const { Item } = await dynamo.send(new GetCommand({ TableName, Key: key }));
  if (Item === undefined) throw new Error(`no item ${JSON.stringify(key)}`);
  change(Item);
  await dynamo.send(new PutCommand({ TableName, Item }));
}

beforeAll(async () => {
  stack = await startTestStack();
  dynamo = createDocumentClient({ endpoint: stack.dynamoEndpoint });
});
afterAll(async () => {
  dynamo?.destroy();
  await stack?.dispose();
});

describe('GET /v1/documents/{id}/history/verify', () => {
  it('says ok for a history and card as docroute wrote them', async () => {
    const id = await registered();
    expect(await verify(id)).toEqual({ ok: true, events: 1, cardChecked: true, anchor: null });
  });

  it('names an event edited behind docroute', async () => {
    const id = await registered();
    await edit('events', { documentId: id, seq: 1 }, (item) => {
      (item['data'] as { after: { subject: string } }).after.subject = 'Подменённое содержание';
    });
    expect(await verify(id)).toEqual({ ok: false, seq: 1, problem: 'its content does not match its hash' });
  });

  it('names the card field edited behind docroute', async () => {
    const id = await registered();
    await edit('documents', { id }, (item) => {
      item['subject'] = 'Подменённое содержание';
    });
    expect(await verify(id)).toMatchObject({ ok: false, seq: 1, field: 'subject' });
    // GET serves the card as it is, and says it no longer matches.
    expect((await stack.call('GET', `/v1/documents/${id}`)).body.subject).toBe('Подменённое содержание');
  });

  it('names a nested field of a card changed after a resolution', async () => {
    const id = await registered();
    const routed = await stack.call('POST', `/v1/documents/${id}/resolutions`, {
      body: { author: 'kulikov', text: 'Подготовить ответ', executor: 'plaksina', dueDate: '2014-07-01' },
    });
    expect(routed.status, JSON.stringify(routed.body)).toBe(200);
    expect(await verify(id)).toEqual({ ok: true, events: 2, cardChecked: true, anchor: null });
    await edit('documents', { id }, (item) => {
      (item['control'] as { dueDate: string }).dueDate = '2014-12-31';
    });
    expect(await verify(id)).toMatchObject({ ok: false, seq: 2, field: 'control.dueDate' });
  });

  it('names a deleted last change: the card stands at a revision the history lacks', async () => {
    const id = await registered();
    await stack.call('POST', `/v1/documents/${id}/resolutions`, {
      body: { author: 'kulikov', text: 'Подготовить ответ', executor: 'plaksina' },
    });
    await dynamo.send(
      new DeleteCommand({ TableName: stack.tableNames.events, Key: { documentId: id, seq: 2 } }),
    );
    expect(await verify(id)).toMatchObject({ ok: false, field: 'revision' });
  });

  it('answers 404 for a document that is not there', async () => {
    expect(
      (await stack.call('GET', '/v1/documents/00000000-0000-4000-8000-000000000000/history/verify')).status,
    ).toBe(404);
  });
});
