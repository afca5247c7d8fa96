import type { FieldProblem } from './errors.ts';

/**
 * How a task's failure travels: Step Functions keeps the error's `name` (what Retry and Catch match)
 * and a Cause string. The message is JSON so that field problems survive the trip to the API.
 */
export interface TaskFailure {
  readonly message: string;
  readonly problems?: readonly FieldProblem[];
}

export function encodeTaskError(error: unknown): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const failure: TaskFailure = {
    message: source.message,
    ...('problems' in source && Array.isArray(source.problems)
      ? { problems: source.problems as FieldProblem[] }
      : {}),
  };
  const encoded = new Error(JSON.stringify(failure));
  encoded.name = source.name;
  return encoded;
}

/**
 * Reads a Cause back. Lambda wraps the thrown error as {"errorType","errorMessage","trace"}; the
 * local engine is made to produce the same shape, so one reader serves both.
 */
export function decodeTaskCause(cause: string): TaskFailure {
  const parsed = tryJson(cause);
  const inner =
    isRecord(parsed) && typeof parsed['errorMessage'] === 'string' ? tryJson(parsed['errorMessage']) : parsed;
  if (isRecord(inner) && typeof inner['message'] === 'string') {
    return Array.isArray(inner['problems'])
      ? { message: inner['message'], problems: inner['problems'] as FieldProblem[] }
      : { message: inner['message'] };
  }
  if (isRecord(parsed) && typeof parsed['errorMessage'] === 'string')
    return { message: parsed['errorMessage'] };
  return { message: cause };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
