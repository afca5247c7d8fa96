import { Logger } from '@aws-lambda-powertools/logger';

/** What Lambda's context says about the invocation (the fields the logger reads). */
export interface LambdaContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
}

/**
 * JSON lines, one logger per function, made on the first invocation: the local engine calls
 * `run` directly and never gets here, so `npm start` prints none of this. POWERTOOLS_LOG_LEVEL
 * (or Lambda's own log level) sets the threshold.
 */
export function functionLogger(keys: Readonly<Record<string, string>>): Logger {
  return new Logger({ serviceName: 'docroute', persistentKeys: keys });
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringAt = (value: unknown, key: string): string | undefined =>
  isRecord(value) && typeof value[key] === 'string' ? value[key] : undefined;

/** The fields of a state input that are (or hold) the document, in the order they are believed. */
const documentHolders = ['document', 'reply', 'draft', 'reminder', 'card'] as const;

/**
 * The document a state input is about: its `documentId`, else the `id` (or `documentId`) of the
 * document it carries (`document`, `reply`, `draft`, `reminder`, `card`), else its own `id`.
 * Journal-wide steps (settling, voiding a number) have none.
 */
export function documentIdOf(input: unknown): string | undefined {
  const direct = stringAt(input, 'documentId');
  if (direct !== undefined) return direct;
  for (const key of documentHolders) {
    const held = isRecord(input) ? input[key] : undefined;
    const id = stringAt(held, 'id') ?? stringAt(held, 'documentId');
    if (id !== undefined) return id;
  }
  return stringAt(input, 'id');
}

/**
 * The Step Functions execution, when the definition passes it (`"execution.$": "$$.Execution.Name"`
 * in a task's Parameters); Lambda's context does not carry it.
 */
export function executionOf(input: unknown): string | undefined {
  return stringAt(input, 'execution');
}
