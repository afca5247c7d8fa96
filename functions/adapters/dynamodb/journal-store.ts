import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { CounterRef, JournalEntry } from '../../domain/numbering.ts';
import type { JournalStore } from '../../ports/journal-store.ts';
import { isConditionFailure, queryAll } from './client.ts';

/** The counter lives in its journal's partition at sort key 0, beside the entries it hands out. */
const counterSeq = 0;

export class DynamoJournalStore implements JournalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(counter: CounterRef): Promise<number> {
    // One atomic update: a new counter starts just below its first number, then every call adds one.
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { journalKey: counter.journalKey, seq: counterSeq },
        UpdateExpression:
          'SET #last = if_not_exists(#last, :base) + :one, #first = if_not_exists(#first, :first)',
        ExpressionAttributeNames: { '#last': 'last', '#first': 'firstNumber' },
        ExpressionAttributeValues: {
          ':base': counter.firstNumber - 1,
          ':one': 1,
          ':first': counter.firstNumber,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = Attributes?.['last'];
    if (typeof last !== 'number') throw new Error(`counter ${counter.journalKey} returned no number`);
    return last;
  }

  async record(journalKey: string, entry: JournalEntry): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { journalKey, ...entry },
          ConditionExpression: 'attribute_not_exists(seq)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConflictError(`${journalKey} number ${entry.seq} already has an entry`);
      throw error;
    }
  }

  async voidNumber(journalKey: string, seq: number, reason: string, at: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { journalKey, seq },
          UpdateExpression: 'SET voided = :voided REMOVE documentId',
          ConditionExpression: 'attribute_exists(seq)',
          ExpressionAttributeValues: { ':voided': { reason, at } },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new NotFoundError(`${journalKey} has no entry for number ${seq}`);
      throw error;
    }
  }

  async list(journalKey: string): Promise<{ counter: number | null; entries: JournalEntry[] }> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'journalKey = :k',
      ExpressionAttributeValues: { ':k': journalKey },
      ConsistentRead: true,
    });
    let counter: number | null = null;
    const entries: JournalEntry[] = [];
    for (const { journalKey: _key, ...item } of items) {
      if (item['seq'] === counterSeq) counter = item['last'] as number;
      else entries.push(item as unknown as JournalEntry);
    }
    return { counter, entries };
  }
}
