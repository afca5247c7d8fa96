import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TableKey, tableEnvVar } from '../../infra/resources.ts';
import { seedRequest, startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * The `handler` exports are what Lambda runs: built from the environment CDK sets, on the same
 * stores. Here they run against the embedded DynamoDB, reached the way the SDK finds any endpoint.
 */
describe('task handlers as Lambda runs them', () => {
  let stack: TestStack;
  const saved = { ...process.env };
  beforeAll(async () => {
    stack = await startTestStack();
    for (const [key, name] of Object.entries(stack.tableNames))
      process.env[tableEnvVar(key as TableKey)] = name;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await stack.dispose();
  });

  it('GIVEN a bad request THEN validate-incoming fails with the error name Step Functions matches, and the problems in its message', async () => {
    const { handler } = await import('../../functions/handlers/validate-incoming.ts');
    const failure = await handler({
      request: seedRequest({ kind: 'poem' }),
      actor: { sub: 'a', role: 'clerk' },
    }).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('ValidationError');
    expect(JSON.parse((failure as Error).message)).toMatchObject({ problems: [{ field: 'kind' }] });
  });

  it('GIVEN a document THEN assign-number takes its number from the table named in the environment', async () => {
    const { handler } = await import('../../functions/handlers/assign-number.ts');
    const number = await handler({
      document: {
        id: '7f1c0a52-3d55-4a49-9a55-6f1f7c1e0b11',
        journal: 'outgoing',
        regDate: '2021-12-23',
        duplicateKey: 'lambda-test',
      },
    });
    expect(number).toMatchObject({
      journal: 'outgoing',
      journalKey: 'outgoing#2021',
      seq: 1,
      regNumber: '07-04/1',
    });
    const { entries } = await stack.deps.journals.list('outgoing#2021');
    expect(entries).toEqual([
      expect.objectContaining({
        seq: 1,
        documentId: '7f1c0a52-3d55-4a49-9a55-6f1f7c1e0b11',
        inProgress: { until: expect.any(String), claimKey: 'lambda-test' },
      }),
    ]);
  });
});
