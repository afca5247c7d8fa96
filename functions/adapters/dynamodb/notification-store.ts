import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Notification, NotificationStore } from '../../ports/notification-store.ts';
import { isConditionFailure } from './client.ts';

/** Every item sits in one index partition: an office sends thousands of notifications a day, not millions. */
const outboxPartition = 'all';

export class DynamoNotificationStore implements NotificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(notification: Notification, now: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...notification, outbox: outboxPartition },
          ConditionExpression: 'attribute_not_exists(#key) OR (#status = :pending AND #until < :now)',
          ExpressionAttributeNames: { '#key': 'key', '#status': 'status', '#until': 'until' },
          ExpressionAttributeValues: { ':pending': 'pending', ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async settle(
    key: string,
    attempt: string,
    outcome: { status: Notification['status']; detail: string; sentAt: string },
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'SET #status = :status, detail = :detail, sentAt = :sentAt',
          ConditionExpression: 'attempt = :attempt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': outcome.status,
            ':detail': outcome.detail.slice(0, 2000),
            ':sentAt': outcome.sentAt,
            ':attempt': attempt,
          },
        }),
      );
    } catch (error) {
      // Another sender took it over after this one's hold ran out: its outcome is the one that counts.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async get(key: string): Promise<Notification | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { key }, ConsistentRead: true }),
    );
    return Item === undefined ? null : toNotification(Item);
  }

  async existing(keys: readonly string[], now: string): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += 100) {
      let request:
        | Record<
            string,
            {
              Keys: Record<string, unknown>[];
              ProjectionExpression: string;
              ExpressionAttributeNames: Record<string, string>;
            }
          >
        | undefined = {
        [this.tableName]: {
          Keys: keys.slice(i, i + 100).map((key) => ({ key })),
          ProjectionExpression: '#key, #status, #until',
          ExpressionAttributeNames: { '#key': 'key', '#status': 'status', '#until': 'until' },
        },
      };
      while (request !== undefined && Object.keys(request).length > 0) {
        const page = await this.client.send(new BatchGetCommand({ RequestItems: request }));
        // A pending one whose sender's hold ran out is due again: its sender died.
        for (const item of page.Responses?.[this.tableName] ?? [])
          if (item['status'] !== 'pending' || String(item['until']) >= now) found.add(String(item['key']));
        request = page.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async recent(limit: number): Promise<Notification[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byCreated',
        KeyConditionExpression: 'outbox = :all',
        ExpressionAttributeValues: { ':all': outboxPartition },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(toNotification);
  }
}

function toNotification(item: Record<string, unknown>): Notification {
  const { outbox: _outbox, ...notification } = item;
  return notification as unknown as Notification;
}
