import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ChainHead } from '../../domain/anchors.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { HistoryEvent } from '../../domain/history.ts';
import type { EventLog } from '../../ports/event-log.ts';
import { isConditionFailure, queryAll } from './client.ts';

export class DynamoEventLog implements EventLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly headsTableName: string,
  ) {}

  async append(event: HistoryEvent): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: event,
          ConditionExpression: 'attribute_not_exists(seq)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConflictError(`event ${event.seq} of ${event.documentId} already exists`);
      throw error;
    }
    await this.moveHead(event);
  }

  /** The head only moves forward: a slower writer of an earlier event leaves it where it is. */
  private async moveHead(event: HistoryEvent): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.headsTableName,
          Key: { documentId: event.documentId },
          UpdateExpression: 'SET seq = :seq, #hash = :hash, #at = :at',
          ConditionExpression: 'attribute_not_exists(seq) OR seq < :seq',
          ExpressionAttributeNames: { '#hash': 'hash', '#at': 'at' },
          ExpressionAttributeValues: { ':seq': event.seq, ':hash': event.hash, ':at': event.at },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async at(documentId: string, seq: number): Promise<HistoryEvent | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { documentId, seq }, ConsistentRead: true }),
    );
    return (Item as HistoryEvent | undefined) ?? null;
  }

  async *heads(): AsyncIterable<ChainHead> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.headsTableName,
          ProjectionExpression: 'documentId, seq, #hash',
          ExpressionAttributeNames: { '#hash': 'hash' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? [])
        yield {
          documentId: String(item['documentId']),
          seq: Number(item['seq']),
          hash: String(item['hash']),
        };
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  }

  async list(documentId: string): Promise<HistoryEvent[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'documentId = :d',
      ExpressionAttributeValues: { ':d': documentId },
      ConsistentRead: true,
    });
    return items as unknown as HistoryEvent[];
  }

  async last(documentId: string): Promise<HistoryEvent | null> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'documentId = :d',
        ExpressionAttributeValues: { ':d': documentId },
        ConsistentRead: true,
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return (Items?.[0] as HistoryEvent | undefined) ?? null;
  }
}
