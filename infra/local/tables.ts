import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type KeyAttribute, type TableDefinition, type TableNames, tables } from '../resources.ts';

/** The CreateTable request for a table definition: the same keys and indexes CDK declares. */
export function createTableInput(name: string, table: TableDefinition): CreateTableCommandInput {
  const attributes = new Map<string, KeyAttribute>();
  const keySchema = (partition: KeyAttribute, sort?: KeyAttribute) => {
    for (const key of [partition, sort]) if (key !== undefined) attributes.set(key.name, key);
    return [
      { AttributeName: partition.name, KeyType: 'HASH' as const },
      ...(sort === undefined ? [] : [{ AttributeName: sort.name, KeyType: 'RANGE' as const }]),
    ];
  };
  const input: CreateTableCommandInput = {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keySchema(table.partitionKey, table.sortKey),
  };
  if (table.indexes.length > 0) {
    input.GlobalSecondaryIndexes = table.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: 'ALL' },
    }));
  }
  input.AttributeDefinitions = [...attributes.values()].map((a) => ({
    AttributeName: a.name,
    AttributeType: a.type,
  }));
  return input;
}

/**
 * Creates the tables that do not exist yet; existing ones (and their data) are left as they are,
 * except that a table missing an index a newer docroute declares is rebuilt with it (the embedded
 * store cannot add an index to a table). The rebuild keeps a copy of the items in `dataDir` until it
 * is done, so a service killed halfway restores them at its next start.
 */
export async function ensureTables(
  client: DynamoDBDocumentClient,
  names: TableNames,
  dataDir: string,
): Promise<void> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  for (const [key, table] of Object.entries(tables) as [keyof TableNames, TableDefinition][]) {
    const name = names[key];
    const copy = join(dataDir, `rebuild-${name}.json`);
    const saved = await readFile(copy, 'utf8').then(
      (text) => JSON.parse(text) as Record<string, unknown>[],
      () => null,
    );
    if (existing.has(name) && saved === null && (await missingIndexes(client, name, table)).length === 0)
      continue;
    const items = saved ?? (existing.has(name) ? await scanAll(client, name) : []);
    if (saved === null && items.length > 0) await writeFile(copy, JSON.stringify(items));
    if (existing.has(name)) {
      await client.send(new DeleteTableCommand({ TableName: name }));
      await waitForStatus(client, name, null);
    }
    await client.send(new CreateTableCommand(createTableInput(name, table)));
    await waitForStatus(client, name, 'ACTIVE');
    for (let i = 0; i < items.length; i += 25) {
      const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      await client.send(new BatchWriteCommand({ RequestItems: { [name]: batch } }));
    }
    await rm(copy, { force: true });
  }
}

/** Waits until the table has the status (null: until it is gone). */
async function waitForStatus(client: DynamoDBClient, name: string, status: 'ACTIVE' | null): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const current = await client.send(new DescribeTableCommand({ TableName: name })).then(
      ({ Table }) => Table?.TableStatus ?? null,
      (error: Error) => {
        if (error.name === 'ResourceNotFoundException') return null;
        throw error;
      },
    );
    if (current === status) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`table ${name} did not become ${status ?? 'deleted'}`);
}

async function missingIndexes(
  client: DynamoDBClient,
  name: string,
  table: TableDefinition,
): Promise<string[]> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  return table.indexes.map((index) => index.name).filter((index) => !present.has(index));
}

/** Every item of a table (only for a rebuild at start: the service itself never scans). */
async function scanAll(client: DynamoDBDocumentClient, name: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: name, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
