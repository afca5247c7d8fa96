/**
 * What each function may touch, in one table: read from each handler in functions/handlers/ and
 * from the store methods it calls (functions/adapters/dynamodb/*.ts show the DynamoDB operation
 * behind each method). infra/aws builds every function's policy from this table and nothing else;
 * test/infra/least-privilege.test.ts holds the synthesized policies to it.
 */
import type { TableKey } from '../resources.ts';

export type DynamoAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'Query'
  | 'Scan';

/**
 * Tables a declaration may name: those of infra/resources.ts, and `chainHeads`, the head of each
 * document's history that every event append updates (granted once the table exists).
 */
export type DeclaredTable = TableKey | 'chainHeads';

export interface TableAccess {
  /** Operations on the table itself (Query here means the table's own key, not an index). */
  readonly actions: readonly DynamoAction[];
  /** Indexes queried: by name, or `all` for every index of the table (`index/*`). @default none */
  readonly indexes?: readonly string[] | 'all';
}

export interface BucketAccess {
  /** Key patterns read (GetObject; HeadObject needs the same). @default none */
  readonly read?: readonly string[];
  /** Key patterns written (PutObject). Nothing anywhere may delete. @default none */
  readonly put?: readonly string[];
  /** Prefixes listed (ListBucket with an s3:prefix condition). @default none */
  readonly list?: readonly string[];
  /** Key patterns whose legal hold may be read and set (the admin's hold on an archived letter). @default none */
  readonly legalHold?: readonly string[];
}

export interface FunctionAccess {
  readonly tables: Readonly<Partial<Record<DeclaredTable, TableAccess>>>;
  readonly archive?: BucketAccess;
  readonly cache?: BucketAccess;
  /** Sends e-mail through SES as the office's From identity. @default false */
  readonly ses?: boolean;
  /** Starts workflows synchronously (the API). @default false */
  readonly startsWorkflows?: boolean;
}

// The store methods, by the operations they use.
/** EventLog: append (PutItem, and UpdateItem of the chain head), last and list (Query). */
const events = {
  events: { actions: ['PutItem', 'Query'] },
  chainHeads: { actions: ['UpdateItem'] },
} as const satisfies FunctionAccess['tables'];
/** changeCard/recordCardChange: documents.get and replace, and the events above. */
const cardChange = {
  documents: { actions: ['GetItem', 'PutItem'] },
  ...events,
} as const satisfies FunctionAccess['tables'];
/** NotificationStore.claim (PutItem) and settle (UpdateItem): one send per key. */
const outbox = {
  notifications: { actions: ['PutItem', 'UpdateItem'] },
} as const satisfies FunctionAccess['tables'];
/**
 * Reading the CRLs the signature check fetched, and caching new ones: only under crl-cache/. A cache
 * miss must read as "not there": without ListBucket, S3 answers a missing key with 403, not 404.
 */
const crlCache = {
  read: ['crl-cache/*'],
  put: ['crl-cache/*'],
  list: ['crl-cache/'],
} as const satisfies BucketAccess;

/** Per task id (`assign-number`), the same ids as workflows/registry.ts. */
export const taskAccess: Readonly<Record<string, FunctionAccess>> = {
  // register-incoming
  'validate-incoming': { tables: {} },
  'find-duplicate': {
    tables: {
      // claims.claim/takeOver (PutItem, GetItem); documents.get; journals.entryOf/renewLease.
      claims: { actions: ['GetItem', 'PutItem'] },
      documents: { actions: ['GetItem'] },
      journals: { actions: ['UpdateItem'], indexes: ['byDocument'] },
    },
  },
  'record-duplicate': { tables: { ...events } },
  // journals.take (UpdateItem ADD) and record (PutItem).
  'assign-number': { tables: { journals: { actions: ['UpdateItem', 'PutItem'] } } },
  // documents.create, and get when the create found the card already there.
  'save-card': { tables: { documents: { actions: ['GetItem', 'PutItem'] } } },
  'record-events': { tables: { ...events } },
  // journals.complete.
  'complete-registration': { tables: { journals: { actions: ['UpdateItem'] } } },
  // journals.voidNumber.
  'void-number': { tables: { journals: { actions: ['UpdateItem'] } } },
  // claims.release (conditional DeleteItem of its own claim).
  'release-claim': { tables: { claims: { actions: ['DeleteItem'] } } },

  // prepare-reply
  'validate-reply': { tables: { documents: { actions: ['GetItem'] } } },
  'render-draft': { tables: {}, archive: { read: ['drafts/*'], put: ['drafts/*'] } },
  'save-draft': { tables: { ...cardChange } },

  // finalize-reply
  'check-signature': {
    tables: { documents: { actions: ['GetItem'] } },
    archive: { read: ['drafts/*'] },
    cache: crlCache,
  },
  'record-rejection': { tables: { ...cardChange } },
  'claim-signing': { tables: { ...cardChange } },
  'render-letter': {
    tables: { documents: { actions: ['GetItem'] } },
    archive: { read: ['archive/*'], put: ['archive/*'] },
  },
  'archive-letter': {
    tables: { documents: { actions: ['GetItem'] } },
    archive: { read: ['drafts/*', 'archive/*'], put: ['archive/*'] },
  },
  'register-reply': { tables: { ...cardChange } },
  'mark-answered': { tables: { ...cardChange } },
  // A reply goes out with its archived files; the outbox makes it go once.
  'dispatch-reply': {
    tables: { ...outbox, documents: { actions: ['GetItem'] }, ...events },
    archive: { read: ['archive/*'] },
    ses: true,
  },
  'release-signing': { tables: { ...cardChange } },

  // send-reminders
  'plan-reminders': {
    tables: {
      documents: { actions: [], indexes: ['byControl', 'byAwaitingSignature'] },
      // notifications.existing: BatchGetItem.
      notifications: { actions: ['BatchGetItem'] },
    },
  },
  'send-reminder': { tables: { ...outbox, ...events }, ses: true },

  // settle-registrations
  'find-unsettled-journals': { tables: { journals: { actions: [], indexes: ['bySettling'] } } },
  // Settles each number: completes, voids or records it, finishes what a finalization left
  // (marks the request answered, dispatches the reply) and releases the claims of voided ones.
  'settle-journal': {
    tables: {
      journals: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
      ...cardChange,
      claims: { actions: ['DeleteItem'] },
      ...outbox,
    },
    archive: { read: ['archive/*'] },
    ses: true,
  },
  'release-stale-signings': {
    tables: {
      documents: { actions: ['GetItem', 'PutItem'], indexes: ['bySigning'] },
      ...events,
    },
  },

  // anchor-histories: the day's chain heads, written once under anchors/.
  // events.heads (Scan of chainHeads), events.at (GetItem) for heads that moved since the last anchor.
  'write-anchor': {
    tables: { chainHeads: { actions: ['Scan'] }, events: { actions: ['GetItem'] } },
    archive: { read: ['anchors/*'], put: ['anchors/*'], list: ['anchors/'] },
  },
};

/** The API function: every route's reads, the writes of the routes that change a card, idempotency keys. */
export const apiAccess: FunctionAccess = {
  tables: {
    // Cards: get, changeCard (PutItem), every lookup index (the search indexes grow: `index/*`).
    documents: { actions: ['GetItem', 'PutItem'], indexes: 'all' },
    // Histories: list and verify (Query, GetItem), and the events of card changes.
    events: { actions: ['GetItem', 'PutItem', 'Query'] },
    chainHeads: events.chainHeads,
    // The journal listing: counter (GetItem) and entries (Query).
    journals: { actions: ['GetItem', 'Query'] },
    // GET /v1/notifications: the byCreated index.
    notifications: { actions: ['GetItem'], indexes: ['byCreated'] },
    // Idempotency keys share the claims table: begin (PutItem, GetItem), complete, release.
    claims: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  },
  archive: {
    read: ['drafts/*', 'archive/*', 'anchors/*'],
    // The latest anchor; the objects of a reply's archive, for its legal hold.
    list: ['anchors/', 'archive/'],
    legalHold: ['archive/*'],
  },
  cache: crlCache,
  startsWorkflows: true,
};
