import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
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

/** Creates the tables that do not exist yet; existing ones (and their data) are left as they are. */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  for (const [key, table] of Object.entries(tables) as [keyof TableNames, TableDefinition][]) {
    if (!existing.has(names[key]))
      await client.send(new CreateTableCommand(createTableInput(names[key], table)));
  }
}
