import { tableNamesFrom } from '../../../infra/resources.ts';
import { createDocumentClient, dynamoStores } from '../../adapters/dynamodb/index.ts';
import { type DepFactory, once } from './factory.ts';

/** One DynamoDB client per container, shared by every store the function uses; tables named by CDK. */
export const stores = once(() => dynamoStores(createDocumentClient({}), tableNamesFrom(process.env)));

export const documents: DepFactory<'documents'> = () => stores().documents;
export const journals: DepFactory<'journals'> = () => stores().journals;
export const events: DepFactory<'events'> = () => stores().events;
export const claims: DepFactory<'claims'> = () => stores().claims;
export const notifications: DepFactory<'notifications'> = () => stores().notifications;
