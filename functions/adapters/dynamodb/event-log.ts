import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors.ts';
import type { HistoryEvent } from '../../domain/history.ts';
import type { EventLog } from '../../ports/event-log.ts';
import { isConditionFailure, queryAll } from './client.ts';

export class DynamoEventLog implements EventLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
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
