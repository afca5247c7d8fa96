import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  ListTablesCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { currentDocumentItem } from '../../functions/adapters/dynamodb/document-store.ts';
import { type KeyAttribute, type TableDefinition, type TableNames, tables } from '../resources.ts';
import { type ExternalEndpoint, firstCallTimeoutMs, storeProblem } from './external-stores.ts';
import { StartupError } from './startup-error.ts';

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
  // Histories written before chain heads were kept get their heads, once (the mark survives a kill).
  const headsMark = join(dataDir, 'backfill-chain-heads');
  if (!existing.has(names.chainHeads) && existing.has(names.events)) await writeFile(headsMark, '');
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
      // Items are written as this version writes them: old cards get the newer index attributes.
      const upgrade = key === 'documents' ? currentDocumentItem : (item: Record<string, unknown>) => item;
      const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item: upgrade(Item) } }));
      await client.send(new BatchWriteCommand({ RequestItems: { [name]: batch } }));
    }
    await rm(copy, { force: true });
  }
  if (
    await readFile(headsMark).then(
      () => true,
      () => false,
    )
  ) {
    await backfillChainHeads(client, names);
    await rm(headsMark, { force: true });
  }
}

/** Each history's last event as its head: what every append has kept since chain heads exist. */
async function backfillChainHeads(client: DynamoDBDocumentClient, names: TableNames): Promise<void> {
  const heads = new Map<string, { documentId: string; seq: number; hash: string; at: string }>();
  for (const item of await scanAll(client, names.events)) {
    const head = {
      documentId: String(item['documentId']),
      seq: Number(item['seq']),
      hash: String(item['hash']),
      at: String(item['at']),
    };
    if ((heads.get(head.documentId)?.seq ?? 0) < head.seq) heads.set(head.documentId, head);
  }
  const all = [...heads.values()];
  for (let i = 0; i < all.length; i += 25)
    await client.send(
      new BatchWriteCommand({
        RequestItems: { [names.chainHeads]: all.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
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

/**
 * On an external store (DOCROUTE_DYNAMODB_ENDPOINT): creates the tables that are missing, with their
 * indexes, and checks that each existing one has the keys and indexes docroute declares. It never
 * deletes or rebuilds a table there (the data is its owner's): one that differs stops the start,
 * named, with what differs. Indexes docroute does not declare are left alone.
 */
export async function ensureExternalTables(
  client: DynamoDBClient,
  store: ExternalEndpoint,
  names: TableNames,
): Promise<void> {
  const where = `${store.variable}=${store.endpoint}`;
  const describe = (name: string, signal?: AbortSignal) =>
    client.send(new DescribeTableCommand({ TableName: name }), signal ? { abortSignal: signal } : {}).then(
      ({ Table }) => Table ?? null,
      (error: Error) => {
        if (error.name === 'ResourceNotFoundException') return null;
        throw storeProblem(store, error);
      },
    );
  const entries = Object.entries(tables) as [keyof TableNames, TableDefinition][];
  // The first call alone, with a short timeout: an address that does not answer fails the start at once.
  const first = entries[0];
  if (first !== undefined) await describe(names[first[0]], AbortSignal.timeout(firstCallTimeoutMs));
  await Promise.all(
    entries.map(async ([key, table]) => {
      const name = names[key];
      let found = await describe(name);
      if (found === null) {
        try {
          await client.send(new CreateTableCommand(createTableInput(name, table)));
        } catch (error) {
          // Another installation with the same prefix created it meanwhile: check it as found.
          if ((error as Error).name !== 'ResourceInUseException') throw storeProblem(store, error);
        }
      }
      found = await untilActive(name, () => describe(name), where);
      const problems = tableProblems(found, table);
      if (problems.length > 0)
        throw new StartupError(
          `${where}: table ${name} does not have the keys and indexes docroute needs: ${problems.join('; ')}. ` +
            'docroute never changes an existing table on an external store: fix the table, or set DOCROUTE_STORE_PREFIX to use other tables',
        );
    }),
  );
}

/** Waits until the table and each of its indexes are ACTIVE (on AWS a new table takes seconds). */
async function untilActive(
  name: string,
  describe: () => Promise<TableDescription | null>,
  where: string,
): Promise<TableDescription> {
  const deadline = Date.now() + 5 * 60_000;
  for (let delay = 25; ; delay = Math.min(delay * 2, 1000)) {
    const table = await describe();
    const ready =
      table?.TableStatus === 'ACTIVE' &&
      (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (table !== null && ready) return table;
    if (Date.now() > deadline)
      throw new StartupError(
        `${where}: table ${name} is still ${table?.TableStatus ?? 'missing'} after 5 minutes`,
      );
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** How an existing table differs from its definition: keys, key types, declared indexes. */
export function tableProblems(found: TableDescription, table: TableDefinition): string[] {
  const types = new Map((found.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  const keysOf = (schema: readonly KeySchemaElement[] | undefined) => {
    const hash = schema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
    const range = schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    const show = (key?: string) => (key === undefined ? 'none' : `${key} (${types.get(key) ?? '?'})`);
    return `partition key ${show(hash)}, sort key ${show(range)}`;
  };
  const wanted = (partition: KeyAttribute, sort?: KeyAttribute) =>
    `partition key ${partition.name} (${partition.type}), sort key ${sort === undefined ? 'none' : `${sort.name} (${sort.type})`}`;
  const problems: string[] = [];
  const own = keysOf(found.KeySchema);
  const ownWanted = wanted(table.partitionKey, table.sortKey);
  if (own !== ownWanted) problems.push(`it has ${own}, docroute needs ${ownWanted}`);
  const indexes = new Map((found.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index]));
  for (const index of table.indexes) {
    const present = indexes.get(index.name);
    const indexWanted = wanted(index.partitionKey, index.sortKey);
    if (present === undefined) {
      problems.push(`index ${index.name} is missing (${indexWanted}, all attributes projected)`);
      continue;
    }
    const has = keysOf(present.KeySchema);
    if (has !== indexWanted) problems.push(`index ${index.name} has ${has}, docroute needs ${indexWanted}`);
    if (present.Projection?.ProjectionType !== 'ALL')
      problems.push(
        `index ${index.name} projects ${present.Projection?.ProjectionType ?? 'nothing'}, docroute needs ALL`,
      );
  }
  return problems;
}
