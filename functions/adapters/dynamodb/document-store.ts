import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DocumentCard } from '../../domain/documents.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { DocumentStore } from '../../ports/document-store.ts';
import { isConditionFailure, queryAll } from './client.ts';

/** Index attributes are flat copies of nested card fields, since DynamoDB keys must be top level. */
function toItem(card: DocumentCard): Record<string, unknown> {
  if (card.direction === 'outgoing')
    return {
      ...card,
      ...(card.signing === null ? {} : { signingOpen: 'open', signingUntil: card.signing.until }),
      ...(card.status === 'awaiting_signature' && card.awaiting !== null
        ? { awaitingSignature: 'open', awaitingSince: card.awaiting.since }
        : {}),
    };
  return {
    ...card,
    theirRefNumber: card.theirRef.number,
    theirRefDate: card.theirRef.date,
    incomingRegistered: 'incoming',
    ...(card.control?.state === 'open'
      ? { controlOpen: 'open', controlDateKey: card.control.controlDate }
      : {}),
    ...(card.control != null && card.control.state !== 'open' && card.control.closed !== undefined
      ? { controlClosedState: card.control.state, controlClosedAt: card.control.closed.at }
      : {}),
  };
}

function toCard(item: Record<string, unknown>): DocumentCard {
  const {
    theirRefNumber: _n,
    theirRefDate: _d,
    signingOpen: _o,
    signingUntil: _u,
    controlOpen: _c,
    controlDateKey: _k,
    awaitingSignature: _a,
    incomingRegistered: _ir,
    controlClosedState: _cs,
    controlClosedAt: _ca,
    awaitingSince: _s,
    ...card
  } = item;
  return card as unknown as DocumentCard;
}

export class DynamoDocumentStore implements DocumentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<DocumentCard | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    return Item === undefined ? null : toCard(Item);
  }

  async create(card: DocumentCard): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(card),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`document ${card.id} already exists`);
      throw error;
    }
  }

  async replace(card: DocumentCard, expectedRevision: number): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(card),
          ...(expectedRevision === 0
            ? { ConditionExpression: 'attribute_exists(id) AND attribute_not_exists(revision)' }
            : {
                ConditionExpression: 'revision = :expected',
                ExpressionAttributeValues: { ':expected': expectedRevision },
              }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConflictError(
          `document ${card.id} changed meanwhile (expected revision ${expectedRevision})`,
        );
      throw error;
    }
  }

  async onControl(controlDateUntil: string, limit: number): Promise<DocumentCard[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'byControl',
        KeyConditionExpression: 'controlOpen = :open AND controlDateKey <= :until',
        ExpressionAttributeValues: { ':open': 'open', ':until': controlDateUntil },
      },
      limit,
    );
    return items.map(toCard);
  }

  async offControl(state: 'done' | 'removed', limit: number): Promise<DocumentCard[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'byControlClosed',
        KeyConditionExpression: 'controlClosedState = :state',
        ExpressionAttributeValues: { ':state': state },
        ScanIndexForward: false,
      },
      limit,
    );
    return items.map(toCard);
  }

  async awaitingSignature(limit: number): Promise<DocumentCard[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'byAwaitingSignature',
        KeyConditionExpression: 'awaitingSignature = :open',
        ExpressionAttributeValues: { ':open': 'open' },
      },
      limit,
    );
    return items.map(toCard);
  }

  async heldSignings(before: string, limit: number): Promise<{ id: string; attempt: string }[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'bySigning',
        KeyConditionExpression: 'signingOpen = :open AND signingUntil < :before',
        ExpressionAttributeValues: { ':open': 'open', ':before': before },
      },
      limit,
    );
    return items.flatMap((item) => {
      const signing = (item as { signing?: { attempt?: unknown } }).signing;
      return typeof item['id'] === 'string' && typeof signing?.attempt === 'string'
        ? [{ id: item['id'], attempt: signing.attempt }]
        : [];
    });
  }

  async *registeredBetween(from: string, to: string): AsyncIterable<DocumentCard> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byRegDate',
          KeyConditionExpression: 'incomingRegistered = :incoming AND regDate BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':incoming': 'incoming', ':from': from, ':to': to },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) yield toCard(item);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  }

  async *allIds(): AsyncIterable<string> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          ProjectionExpression: 'id',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) yield String(item['id']);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  }

  findByRegNumber(regNumber: string): Promise<DocumentCard[]> {
    return this.query('byRegNumber', 'regNumber', regNumber);
  }

  findByTheirRef(theirNumber: string): Promise<DocumentCard[]> {
    return this.query('byTheirRef', 'theirRefNumber', theirNumber);
  }

  private async query(indexName: string, attribute: string, value: string): Promise<DocumentCard[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': attribute },
        ExpressionAttributeValues: { ':v': value },
      },
      1000,
    );
    return items.map(toCard);
  }
}
