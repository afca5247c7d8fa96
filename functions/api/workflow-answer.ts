import { decodeTaskCause } from '../domain/task-failure.ts';
import type { StoredResponse } from '../ports/idempotency-store.ts';
import { errorBody, statusOf } from './errors.ts';
import type { ApiDeps } from './http.ts';

/** Runs a workflow and turns how it ended into an HTTP answer. */
export async function runWorkflow(
  deps: ApiDeps,
  workflow: string,
  input: unknown,
  answer: (output: unknown) => StoredResponse,
): Promise<StoredResponse> {
  const outcome = await deps.workflows.run(workflow, input);
  if (outcome.status === 'succeeded') return answer(outcome.output);
  const failure = decodeTaskCause(outcome.cause);
  const status = statusOf(outcome.error);
  if (status === 500) {
    console.error(JSON.stringify({ level: 'error', workflow, error: outcome.error, cause: outcome.cause }));
    // The details are in the log; the caller learns that the service failed, not its internals.
    return {
      status,
      body: errorBody('WorkflowFailed', `${workflow} did not complete (${outcome.error}); it was logged`),
    };
  }
  return { status, body: errorBody(outcome.error, failure.message, failure.problems) };
}
