import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, ClaimStore } from '../../ports/claim-store.ts';
import { isConditionFailure } from './client.ts';

export class DynamoClaimStore implements ClaimStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(key: string, holder: string, at: string): Promise<ClaimResult> {
    if (
      await this.putIf(key, holder, at, 'attribute_not_exists(#key) OR holder = :holder', {
        ':holder': holder,
      })
    ) {
      return { claimed: true };
    }
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { key }, ConsistentRead: true }),
    );
    if (Item === undefined) return this.claim(key, holder, at);
    return { claimed: false, holder: String(Item['holder']), claimedAt: String(Item['claimedAt']) };
  }

  takeOver(key: string, from: string, to: string, at: string): Promise<boolean> {
    return this.putIf(key, to, at, 'holder = :from', { ':from': from });
  }

  async release(key: string, holder: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { key },
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async putIf(
    key: string,
    holder: string,
    at: string,
    condition: string,
    values: Record<string, string>,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { key, holder, claimedAt: at },
          ConditionExpression: condition,
          ExpressionAttributeNames: condition.includes('#key') ? { '#key': 'key' } : undefined,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
