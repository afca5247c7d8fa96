import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../../../infra/resources.ts';
import { DynamoClaimStore } from './claim-store.ts';
import { DynamoDocumentStore } from './document-store.ts';
import { DynamoEventLog } from './event-log.ts';
import { DynamoIdempotencyStore } from './idempotency-store.ts';
import { DynamoJournalStore } from './journal-store.ts';
import { DynamoNotificationStore } from './notification-store.ts';

export function dynamoStores(client: DynamoDBDocumentClient, tables: TableNames) {
  return {
    documents: new DynamoDocumentStore(client, tables.documents),
    journals: new DynamoJournalStore(client, tables.journals),
    events: new DynamoEventLog(client, tables.events, tables.chainHeads),
    claims: new DynamoClaimStore(client, tables.claims),
    idempotency: new DynamoIdempotencyStore(client, tables.claims),
    notifications: new DynamoNotificationStore(client, tables.notifications),
  };
}

export { type CallCounter, createDocumentClient, type DynamoConnection } from './client.ts';
