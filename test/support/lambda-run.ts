import { vi } from 'vitest';
import { type TableKey, tableEnvVar } from '../../infra/resources.ts';
import type { TestStack } from './local-stack.ts';

/** The JSON lines written to stdout and stderr from now on (nothing else is let through). */
export function capturedLines(): { lines: () => Record<string, unknown>[]; restore: () => void } {
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  return {
    lines: () =>
      written
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/** The context Lambda hands a handler, as far as docroute's entries read it. */
export const lambdaContext = (functionName: string, awsRequestId: string) => ({
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-central-1:000000000000:function:${functionName}`,
  memoryLimitInMB: '512',
  awsRequestId,
});

/**
 * The environment CDK gives a function, pointed at a test stack's DynamoDB the way the SDK finds
 * any endpoint. Returns what puts the environment back.
 */
export function useStackAsLambdaEnvironment(stack: TestStack): () => void {
  const saved = { ...process.env };
  for (const [key, name] of Object.entries(stack.tableNames))
    process.env[tableEnvVar(key as TableKey)] = name;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  return () => {
    process.env = saved;
  };
}
