import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type DocumentSearch,
  normaliseName,
  planCovers,
  planSearch,
  type SearchPage,
  type SearchPosition,
  type SearchResult,
  searchAllIndex,
  searchKeyOf,
  searchSortKey,
} from '../../domain/document-search.ts';
import type { DocumentCard } from '../../domain/documents.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { DocumentStore } from '../../ports/document-store.ts';
import { isConditionFailure, queryAll } from './client.ts';

/** Index attributes are flat copies of nested card fields, since DynamoDB keys must be top level. */
function toItem(card: DocumentCard): Record<string, unknown> {
  // Every card is in the search indexes: the date-ordered one, and those its own fields key.
  const search = { [searchAllIndex.attribute]: searchAllIndex.value, [searchSortKey]: searchKeyOf(card) };
  if (card.direction === 'outgoing')
    return {
      ...card,
      ...search,
      ...(card.signing === null ? {} : { signingOpen: 'open', signingUntil: card.signing.until }),
      ...(card.status === 'awaiting_signature' && card.awaiting !== null
        ? { awaitingSignature: 'open', awaitingSince: card.awaiting.since }
        : {}),
    };
  return {
    ...card,
    ...search,
    theirRefNumber: card.theirRef.number,
    theirRefDate: card.theirRef.date,
    incomingRegistered: 'incoming',
    ...correspondentKeyOf(card.correspondent.organization),
    ...(card.control?.state === 'open'
      ? { controlOpen: 'open', controlDateKey: card.control.controlDate }
      : {}),
    ...(card.control != null && card.control.state !== 'open' && card.control.closed !== undefined
      ? { controlClosedState: card.control.state, controlClosedAt: card.control.closed.at }
      : {}),
  };
}

/** A key attribute may not be empty: a name that normalises to nothing is left out of the index. */
function correspondentKeyOf(organization: string): { correspondentKey?: string } {
  const key = normaliseName(organization);
  return key === '' ? {} : { correspondentKey: key };
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
    searchAll: _sa,
    searchKey: _sk,
    correspondentKey: _ck,
    ...card
  } = item;
  return card as unknown as DocumentCard;
}

/**
 * A stored item as this version writes it, from one an earlier version wrote (which may lack the
 * newer index attributes): what a table rebuilt with new indexes is refilled with.
 */
export function currentDocumentItem(item: Record<string, unknown>): Record<string, unknown> {
  return toItem(toCard(item));
}

/** How a search reads its index: Limit of each Query, and how many Queries one search page may make. */
export interface SearchReads {
  /** Items a filtered Query evaluates; DynamoDB applies Limit before the filter. */
  readonly itemsPerRead: number;
  /** Enough to fill a page past a selective filter, never unbounded: no request holds the service. */
  readonly readsPerPage: number;
}

const defaultSearchReads: SearchReads = { itemsPerRead: 500, readsPerPage: 5 };

export class DynamoDocumentStore implements DocumentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly searchReads: SearchReads = defaultSearchReads,
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

  async search(query: DocumentSearch, page: SearchPage): Promise<SearchResult> {
    const plan = planSearch(query);
    const names: Record<string, string> = { '#p': plan.partition.attribute };
    const values: Record<string, unknown> = { ':p': plan.partition.value };
    let keyCondition = '#p = :p';
    if (plan.range !== null) {
      names['#s'] = searchSortKey;
      Object.assign(values, { ':from': plan.range.from, ':to': plan.range.to });
      keyCondition += ' AND #s BETWEEN :from AND :to';
    }
    const filters = plan.filters.map((filter, i) => {
      const path = filter.path.map((part, j) => {
        names[`#f${i}_${j}`] = part;
        return `#f${i}_${j}`;
      });
      values[`:f${i}`] = filter.value;
      return `${path.join('.')} = :f${i}`;
    });
    // Without filters, one item more than the page tells whether there is a next; with them,
    // DynamoDB applies Limit before the filter, so read wider pages.
    const limit = filters.length === 0 ? page.limit + 1 : this.searchReads.itemsPerRead;
    const positionOf = (item: Record<string, unknown>): SearchPosition => ({
      searchKey: String(item[searchSortKey]),
      id: String(item['id']),
    });
    if (page.after !== null && !planCovers(plan, page.after.searchKey))
      throw new Error('the search position is outside the search range');
    let startKey: Record<string, unknown> | undefined =
      page.after === null
        ? undefined
        : {
            id: page.after.id,
            [plan.partition.attribute]: plan.partition.value,
            [searchSortKey]: page.after.searchKey,
          };
    const found: Record<string, unknown>[] = [];
    for (let read = 0; read < this.searchReads.readsPerPage; read++) {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: plan.index,
          KeyConditionExpression: keyCondition,
          ...(filters.length === 0 ? {} : { FilterExpression: filters.join(' AND ') }),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) {
        // One more match than the page holds: the page ends at the last one it returns.
        if (found.length === page.limit)
          return { items: found.map(toCard), next: positionOf(found[found.length - 1] ?? item) };
        found.push(item);
      }
      startKey = result.LastEvaluatedKey;
      if (startKey === undefined) return { items: found.map(toCard), next: null };
    }
    // Out of reads: resume after the last item evaluated (what lies before it did not match).
    return { items: found.map(toCard), next: positionOf(startKey ?? {}) };
  }

  /**
   * Writes every card that lacks the search attributes (one stored before the search indexes) again
   * as this version writes it, so that the search finds it; answers how many it wrote. A one-off scan
   * for a deployed table: the embedded store does the same when it rebuilds its table at start. A
   * card changed meanwhile was written with them already, and is left as it is.
   */
  async addSearchAttributes(): Promise<number> {
    let written = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'attribute_not_exists(#s)',
          ExpressionAttributeNames: { '#s': searchSortKey },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        try {
          await this.client.send(
            new PutCommand({
              TableName: this.tableName,
              Item: currentDocumentItem(item),
              ConditionExpression: 'attribute_exists(id) AND attribute_not_exists(#s)',
              ExpressionAttributeNames: { '#s': searchSortKey },
            }),
          );
          written++;
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return written;
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
