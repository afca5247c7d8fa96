/**
 * The stores docroute needs, described once: infra/aws builds them with CDK and infra/local creates
 * them in the embedded DynamoDB and S3 at start.
 */

export type AttributeType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

export interface TableDefinition {
  /** CDK construct id, and the suffix of the local table name. */
  readonly id: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly indexes: readonly IndexDefinition[];
}

export const tables = {
  /** Registration cards, one item per document. */
  documents: {
    id: 'Documents',
    partitionKey: { name: 'id', type: 'S' },
    indexes: [
      {
        name: 'byRegNumber',
        partitionKey: { name: 'regNumber', type: 'S' },
        sortKey: { name: 'regDate', type: 'S' },
      },
      {
        name: 'byTheirRef',
        partitionKey: { name: 'theirRefNumber', type: 'S' },
        sortKey: { name: 'theirRefDate', type: 'S' },
      },
      /** Incoming documents by registration date: what the period reports read. */
      {
        name: 'byRegDate',
        partitionKey: { name: 'incomingRegistered', type: 'S' },
        sortKey: { name: 'regDate', type: 'S' },
      },
      /** Sparse: documents on control, by their control date (what the reminders and the control list read). */
      {
        name: 'byControl',
        partitionKey: { name: 'controlOpen', type: 'S' },
        sortKey: { name: 'controlDateKey', type: 'S' },
      },
      /** Sparse: documents taken off control, by how (done or removed) and when. */
      {
        name: 'byControlClosed',
        partitionKey: { name: 'controlClosedState', type: 'S' },
        sortKey: { name: 'controlClosedAt', type: 'S' },
      },
      /** Sparse: replies awaiting their signature, by since when (what the signer's reminders read). */
      {
        name: 'byAwaitingSignature',
        partitionKey: { name: 'awaitingSignature', type: 'S' },
        sortKey: { name: 'awaitingSince', type: 'S' },
      },
      /** Sparse: replies held by a finalization, by the end of its lease (what settling releases). */
      {
        name: 'bySigning',
        partitionKey: { name: 'signingOpen', type: 'S' },
        sortKey: { name: 'signingUntil', type: 'S' },
      },
      /*
       * The search indexes (GET /v1/documents, functions/domain/document-search.ts): each sorted by
       * searchKey (registration date, then time, then id), so a date range is a key condition and
       * every answer comes in one order. A search reads the most selective one its filters allow.
       */
      /**
       * Every document in one partition: a search by dates alone. One hot partition (every write of
       * every card lands on it) is acceptable for one office, far below 1,000 writes a second.
       */
      {
        name: 'searchByDate',
        partitionKey: { name: 'searchAll', type: 'S' },
        sortKey: { name: 'searchKey', type: 'S' },
      },
      /** Sparse: registered documents, by our number. */
      {
        name: 'searchByRegNumber',
        partitionKey: { name: 'regNumber', type: 'S' },
        sortKey: { name: 'searchKey', type: 'S' },
      },
      /** Sparse: incoming documents, by their number. */
      {
        name: 'searchByTheirRef',
        partitionKey: { name: 'theirRefNumber', type: 'S' },
        sortKey: { name: 'searchKey', type: 'S' },
      },
      /** Sparse: incoming documents, by the correspondent's normalised name. */
      {
        name: 'searchByCorrespondent',
        partitionKey: { name: 'correspondentKey', type: 'S' },
        sortKey: { name: 'searchKey', type: 'S' },
      },
      /** Documents and replies, by executor. */
      {
        name: 'searchByExecutor',
        partitionKey: { name: 'executor', type: 'S' },
        sortKey: { name: 'searchKey', type: 'S' },
      },
      /**
       * Sparse: incoming documents, by kind. A few kinds hold most documents (hot partitions), which
       * one office's volume allows.
       */
      {
        name: 'searchByKind',
        partitionKey: { name: 'kind', type: 'S' },
        sortKey: { name: 'searchKey', type: 'S' },
      },
      /** Documents and replies, by status; `registered` holds most of them (hot, as above). */
      {
        name: 'searchByStatus',
        partitionKey: { name: 'status', type: 'S' },
        sortKey: { name: 'searchKey', type: 'S' },
      },
    ],
  },
  /** Per journal and year: the counter (seq 0) and one entry per number taken. */
  journals: {
    id: 'Journals',
    partitionKey: { name: 'journalKey', type: 'S' },
    sortKey: { name: 'seq', type: 'N' },
    indexes: [
      /** The entry of a document: how a letter sent again finds the number its first try took. */
      { name: 'byDocument', partitionKey: { name: 'documentId', type: 'S' } },
      /** Sparse: only counters with numbers that settling has not yet seen settled. */
      {
        name: 'bySettling',
        partitionKey: { name: 'settling', type: 'S' },
        sortKey: { name: 'journalKey', type: 'S' },
      },
    ],
  },
  /** Each document's hash-chained history. */
  events: {
    id: 'Events',
    partitionKey: { name: 'documentId', type: 'S' },
    sortKey: { name: 'seq', type: 'N' },
    indexes: [],
  },
  /**
   * Each history's last event (its sequence number and hash), updated on every append: what the
   * daily anchor reads, so that it never has to read every event of every document.
   */
  chainHeads: {
    id: 'ChainHeads',
    partitionKey: { name: 'documentId', type: 'S' },
    indexes: [],
  },
  /** Every notification sent or tried: one item per key (document, threshold, day), so each goes once. */
  notifications: {
    id: 'Notifications',
    partitionKey: { name: 'key', type: 'S' },
    indexes: [
      /** All notifications by the time they were made: what GET /v1/notifications lists. */
      {
        name: 'byCreated',
        partitionKey: { name: 'outbox', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
      },
    ],
  },
  /** Keys held by one holder only: duplicate-detection keys and API idempotency keys. */
  claims: {
    id: 'Claims',
    partitionKey: { name: 'key', type: 'S' },
    indexes: [],
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof tables;
export type TableNames = Readonly<Record<TableKey, string>>;

export const buckets = {
  /** Signed originals, signatures, certificates and visualisations, write-once. */
  archive: { id: 'Archive', objectLock: true },
  /** What can be fetched again (CRLs from their distribution points): no lock, expiring. */
  cache: { id: 'Cache', objectLock: false },
} as const;

export type BucketKey = keyof typeof buckets;
export type BucketNames = Readonly<Record<BucketKey, string>>;

/** The environment variable that carries a table's or bucket's name to a function. */
export function tableEnvVar(key: TableKey): string {
  return `DOCROUTE_TABLE_${key.toUpperCase()}`;
}

export function bucketEnvVar(key: BucketKey): string {
  return `DOCROUTE_BUCKET_${key.toUpperCase()}`;
}

export function localTableNames(prefix = 'docroute'): TableNames {
  return Object.fromEntries(Object.keys(tables).map((key) => [key, `${prefix}-${key}`])) as Record<
    TableKey,
    string
  >;
}

export function localBucketNames(prefix = 'docroute'): BucketNames {
  return Object.fromEntries(Object.keys(buckets).map((key) => [key, `${prefix}-${key}`])) as Record<
    BucketKey,
    string
  >;
}

/** The table names a function was given by its environment; a missing one is a deployment error. */
export function tableNamesFrom(env: Readonly<Record<string, string | undefined>>): TableNames {
  return Object.fromEntries(
    (Object.keys(tables) as TableKey[]).map((key) => {
      const name = env[tableEnvVar(key)];
      if (!name) throw new Error(`${tableEnvVar(key)} is not set`);
      return [key, name];
    }),
  ) as Record<TableKey, string>;
}
