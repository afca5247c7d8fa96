import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors.ts';
import type {
  CounterRef,
  CounterState,
  JournalEntry,
  RegistrationLease,
  VoidedEntry,
} from '../../domain/numbering.ts';
import type { EntryOfDocument, JournalStore } from '../../ports/journal-store.ts';
import { isConditionFailure, queryAll } from './client.ts';

/** The counter lives in its journal's partition at sort key 0, beside the entries it hands out. */
const counterSeq = 0;
/** The value of `settling` on a counter with numbers above its settled frontier (a sparse index). */
const unsettled = 'open';

export class DynamoJournalStore implements JournalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(counter: CounterRef, at: string): Promise<number> {
    // One atomic update: a new counter starts just below its first number, then every call adds one.
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { journalKey: counter.journalKey, seq: counterSeq },
        UpdateExpression:
          'SET #last = if_not_exists(#last, :base) + :one, #first = if_not_exists(#first, :first), lastTakenAt = :at, settling = :open',
        ExpressionAttributeNames: { '#last': 'last', '#first': 'firstNumber' },
        ExpressionAttributeValues: {
          ':base': counter.firstNumber - 1,
          ':one': 1,
          ':first': counter.firstNumber,
          ':at': at,
          ':open': unsettled,
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

  voidNumber(
    journalKey: string,
    seq: number,
    voided: VoidedEntry['voided'],
    lease?: RegistrationLease,
  ): Promise<boolean> {
    return this.updateIf(journalKey, seq, {
      UpdateExpression: 'SET voided = :voided REMOVE documentId, inProgress',
      ...withLease(lease, { ':voided': voided }),
      ConditionExpression: lease === undefined ? 'attribute_exists(seq)' : leaseHolds,
    });
  }

  complete(journalKey: string, seq: number, documentId: string, lease?: RegistrationLease): Promise<boolean> {
    return this.updateIf(journalKey, seq, {
      UpdateExpression: 'REMOVE inProgress',
      ...withLease(lease, { ':document': documentId }),
      ConditionExpression:
        lease === undefined ? 'documentId = :document' : `documentId = :document AND ${leaseHolds}`,
    });
  }

  renewLease(journalKey: string, seq: number, lease: RegistrationLease, until: string): Promise<boolean> {
    return this.updateIf(journalKey, seq, {
      UpdateExpression: 'SET inProgress.#until = :next',
      ...withLease(lease, { ':next': until }),
      ConditionExpression: leaseHolds,
    });
  }

  async entryOf(documentId: string): Promise<EntryOfDocument | null> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byDocument',
        KeyConditionExpression: 'documentId = :d',
        ExpressionAttributeValues: { ':d': documentId },
        Limit: 1,
      }),
    );
    const item = Items?.[0];
    if (item === undefined) return null;
    const { journalKey, ...entry } = item;
    return { journalKey: String(journalKey), entry: entry as unknown as JournalEntry };
  }

  async counter(journalKey: string): Promise<CounterState | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { journalKey, seq: counterSeq },
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? null : counterOf(Item);
  }

  async unsettledCounters(): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: 'bySettling',
      KeyConditionExpression: 'settling = :open',
      ExpressionAttributeValues: { ':open': unsettled },
      ProjectionExpression: 'journalKey',
    });
    return items.map((item) => String(item['journalKey']));
  }

  async entriesAfter(journalKey: string, afterSeq: number, limit: number): Promise<JournalEntry[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'journalKey = :k AND seq > :after',
        ExpressionAttributeValues: { ':k': journalKey, ':after': Math.max(afterSeq, counterSeq) },
        ConsistentRead: true,
        Limit: limit,
      },
      limit,
    );
    return items.slice(0, limit).map(({ journalKey: _key, ...entry }) => entry as unknown as JournalEntry);
  }

  async markSettled(journalKey: string, through: number, last: number): Promise<void> {
    const key = { journalKey, seq: counterSeq };
    await this.updateIf(journalKey, counterSeq, {
      UpdateExpression: 'SET settledThrough = :through',
      ExpressionAttributeValues: { ':through': through },
      ConditionExpression: 'attribute_not_exists(settledThrough) OR settledThrough < :through',
    });
    if (through !== last) return;
    // Only if no number was taken since: a take sets `settling` again anyway, but this keeps it exact.
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'REMOVE settling',
          ConditionExpression: '#last = :last',
          ExpressionAttributeNames: { '#last': 'last' },
          ExpressionAttributeValues: { ':last': last },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  async list(journalKey: string): Promise<{ counter: CounterState | null; entries: JournalEntry[] }> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'journalKey = :k',
      ExpressionAttributeValues: { ':k': journalKey },
      ConsistentRead: true,
    });
    let counter: CounterState | null = null;
    const entries: JournalEntry[] = [];
    for (const item of items) {
      if (item['seq'] === counterSeq) counter = counterOf(item);
      else {
        const { journalKey: _key, ...entry } = item;
        entries.push(entry as unknown as JournalEntry);
      }
    }
    return { counter, entries };
  }

  /** A conditional update of one item: true when it was made, false when the condition did not hold. */
  private async updateIf(
    journalKey: string,
    seq: number,
    update: Pick<
      ConstructorParameters<typeof UpdateCommand>[0],
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({ TableName: this.tableName, Key: { journalKey, seq }, ...update }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** The lease a conditional write expects to find on the entry (`until` is a reserved word). */
const leaseHolds = 'inProgress.#until = :leaseUntil AND inProgress.claimKey = :claimKey';

/** An update's names and values, with those of the lease it is conditional on. */
function withLease(
  lease: RegistrationLease | undefined,
  values: Record<string, unknown>,
): { ExpressionAttributeValues: Record<string, unknown>; ExpressionAttributeNames?: Record<string, string> } {
  if (lease === undefined) return { ExpressionAttributeValues: values };
  return {
    ExpressionAttributeNames: { '#until': 'until' },
    ExpressionAttributeValues: { ...values, ':leaseUntil': lease.until, ':claimKey': lease.claimKey },
  };
}

function counterOf(item: Record<string, unknown>): CounterState {
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    journalKey: String(item['journalKey']),
    last: number(item['last']),
    firstNumber: number(item['firstNumber']) ?? 1,
    settledThrough: number(item['settledThrough']),
    lastTakenAt: text(item['lastTakenAt']),
  };
}
