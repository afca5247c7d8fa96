import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamodb/index.ts';
import { type DynamoProcess, startDynamoProcess } from '../../infra/local/dynamo-process.ts';
import { createTableInput, ensureTables } from '../../infra/local/tables.ts';
import { localTableNames, tables } from '../../infra/resources.ts';

let dataDir: string;
let dynamo: DynamoProcess;
let client: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'docroute-tables-'));
  dynamo = await startDynamoProcess(join(dataDir, 'db'), 0, '127.0.0.1');
  client = createDocumentClient({ endpoint: `http://127.0.0.1:${dynamo.port}` });
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const indexesOf = async (name: string) =>
  ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.GlobalSecondaryIndexes ?? [])
    .map((index) => index.IndexName)
    .sort();

describe('the embedded tables at start', () => {
  it('GIVEN a journals table made by an earlier docroute, without its indexes THEN it is rebuilt with them and keeps every item', async () => {
    const names = localTableNames('older');
    await client.send(
      new CreateTableCommand(createTableInput(names.journals, { ...tables.journals, indexes: [] })),
    );
    for (let seq = 0; seq <= 30; seq++)
      await client.send(
        new PutCommand({ TableName: names.journals, Item: { journalKey: 'incoming#2014', seq } }),
      );

    await ensureTables(client, names, dataDir);

    expect(await indexesOf(names.journals)).toEqual(['byDocument', 'bySettling']);
    for (const seq of [0, 17, 30]) {
      const { Item } = await client.send(
        new GetCommand({ TableName: names.journals, Key: { journalKey: 'incoming#2014', seq } }),
      );
      expect(Item).toEqual({ journalKey: 'incoming#2014', seq });
    }
  });

  it('GIVEN histories written before chain heads were kept THEN each gets its last event as its head, once', async () => {
    const names = localTableNames('headless');
    await client.send(new CreateTableCommand(createTableInput(names.events, tables.events)));
    for (const [documentId, last] of [
      ['doc-a', 3],
      ['doc-b', 1],
    ] as const)
      for (let seq = 1; seq <= last; seq++)
        await client.send(
          new PutCommand({
            TableName: names.events,
            Item: { documentId, seq, hash: `${documentId}-${seq}`, at: `2014-06-1${seq}T09:00:00.000Z` },
          }),
        );

    await ensureTables(client, names, dataDir);

    const headOf = async (documentId: string) =>
      (await client.send(new GetCommand({ TableName: names.chainHeads, Key: { documentId } }))).Item;
    expect(await headOf('doc-a')).toEqual({
      documentId: 'doc-a',
      seq: 3,
      hash: 'doc-a-3',
      at: '2014-06-13T09:00:00.000Z',
    });
    expect(await headOf('doc-b')).toMatchObject({ seq: 1, hash: 'doc-b-1' });
    // The next start leaves a head alone: the appends keep it from now on.
    await client.send(
      new PutCommand({
        TableName: names.chainHeads,
        Item: { documentId: 'doc-b', seq: 2, hash: 'moved', at: 'x' },
      }),
    );
    await ensureTables(client, names, dataDir);
    expect(await headOf('doc-b')).toMatchObject({ seq: 2, hash: 'moved' });
  });

  it('GIVEN a rebuild that was killed after it deleted the table THEN the next start restores the items from the copy it kept', async () => {
    const names = localTableNames('killed');
    await writeFile(
      join(dataDir, `rebuild-${names.journals}.json`),
      JSON.stringify([{ journalKey: 'outgoing#2021', seq: 11180, documentId: 'd' }]),
    );
    await ensureTables(client, names, dataDir);
    const { Item } = await client.send(
      new GetCommand({ TableName: names.journals, Key: { journalKey: 'outgoing#2021', seq: 11180 } }),
    );
    expect(Item).toMatchObject({ documentId: 'd' });
  });
});
