import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { IdempotencyStart, IdempotencyStore, StoredResponse } from '../../ports/idempotency-store.ts';
import { isConditionFailure } from './client.ts';

/**
 * Longer than any request can run (API Gateway gives up after 29 s, a registration's workflow after
 * its 30 s time limit), so that a retry after a crash is not refused for long.
 */
const abandonedAfterMs = 2 * 60 * 1000;

/** Idempotency keys share the claims table under their own prefix. */
const keyOf = (key: string) => `idempotency#${key}`;

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async begin(key: string, fingerprint: string, at: string): Promise<IdempotencyStart> {
    const abandonedBefore = new Date(Date.parse(at) - abandonedAfterMs).toISOString();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { key: keyOf(key), fingerprint, startedAt: at, state: 'in_progress' },
          // A request that started long ago and never finished died with its process: its key is free again.
          ConditionExpression:
            'attribute_not_exists(#key) OR (#state = :inProgress AND startedAt < :abandoned)',
          ExpressionAttributeNames: { '#key': 'key', '#state': 'state' },
          ExpressionAttributeValues: { ':inProgress': 'in_progress', ':abandoned': abandonedBefore },
        }),
      );
      return { state: 'started' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { key: keyOf(key) }, ConsistentRead: true }),
    );
    if (Item === undefined) return this.begin(key, fingerprint, at);
    if (Item['fingerprint'] !== fingerprint) return { state: 'mismatch' };
    if (Item['state'] === 'completed')
      return { state: 'completed', response: Item['response'] as StoredResponse };
    return { state: 'in_progress' };
  }

  async complete(key: string, response: StoredResponse): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { key: keyOf(key) },
        UpdateExpression: 'SET #state = :completed, #response = :response',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: { ':completed': 'completed', ':response': response },
      }),
    );
  }

  async release(key: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { key: keyOf(key) } }));
  }
}
