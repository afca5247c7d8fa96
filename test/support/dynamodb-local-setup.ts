import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from './dynamodb-local.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /** The run's one DynamoDB Local, when DOCROUTE_TEST_DYNAMODB=dynamodb-local. */
    dynamodbLocalEndpoint: string;
  }
}

/** The variable that runs the suites on Amazon's DynamoDB Local instead of each stack's own dynalite. */
export const testDynamoVariable = 'DOCROUTE_TEST_DYNAMODB';

export function testDynamoMode(
  env: Readonly<Record<string, string | undefined>>,
): 'dynalite' | 'dynamodb-local' {
  const mode = env[testDynamoVariable];
  if (mode === undefined || mode === '' || mode === 'dynalite') return 'dynalite';
  if (mode === 'dynamodb-local') return mode;
  throw new Error(`${testDynamoVariable}: must be 'dynamodb-local' or 'dynalite', got '${mode}'`);
}

/**
 * vitest globalSetup: one DynamoDB Local for the whole run (a JVM per test file would cost 4.5 s
 * and a few hundred MB each); every test stack makes its own tables in it under a prefix of its own.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (testDynamoMode(process.env) !== 'dynamodb-local') return undefined;
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamodbLocalEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
