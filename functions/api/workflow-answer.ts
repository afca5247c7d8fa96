import { decodeTaskCause } from '../domain/task-failure.ts';
import type { StoredResponse } from '../ports/idempotency-store.ts';
import { type Answers, type Route, statusesOf } from './contract.ts';
import { errorBody, statusOf } from './errors.ts';
import type { ApiDeps } from './http.ts';

/** A workflow's answer, and whether the workflow did anything (what an Idempotency-Key may keep). */
export interface WorkflowAnswer extends StoredResponse {
  /** False when the workflow's first step refused the input: nothing ran, nothing changed. */
  readonly ran: boolean;
}

/**
 * Errors only the validation of the input throws (ValidateIncoming): the workflow refused the
 * request before it did anything, as if the API had refused it itself.
 */
const refusedBeforeRunning = new Set(['ValidationError', 'RuleViolationError']);

/** Runs a workflow and turns how it ended into one of the route's declared answers. */
export async function runWorkflow(
  deps: ApiDeps,
  route: Route<Answers>,
  workflow: string,
  input: unknown,
  answer: (output: unknown) => StoredResponse,
): Promise<WorkflowAnswer> {
  const outcome = await deps.workflows.run(workflow, input);
  if (outcome.status === 'succeeded') return { ...answer(outcome.output), ran: true };
  const failure = decodeTaskCause(outcome.cause);
  const status = statusOf(outcome.error);
  // A status the route does not declare is a fault too: the contract says what callers can get.
  if (status === 500 || !statusesOf(route).includes(status)) {
    console.error(JSON.stringify({ level: 'error', workflow, error: outcome.error, cause: outcome.cause }));
    // The details are in the log; the caller learns that the service failed, not its internals.
    return {
      status: 500,
      body: errorBody('WorkflowFailed', `${workflow} did not complete (${outcome.error}); it was logged`),
      ran: true,
    };
  }
  // The caller's mistake, not ours: a warning, without the cause's stack.
  console.warn(
    JSON.stringify({
      level: 'warn',
      workflow,
      status,
      error: outcome.error,
      message: failure.message.slice(0, 1000),
    }),
  );
  return {
    status,
    body: errorBody(outcome.error, failure.message, failure.problems),
    ran: !refusedBeforeRunning.has(outcome.error),
  };
}
