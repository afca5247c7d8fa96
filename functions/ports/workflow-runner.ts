export type WorkflowOutcome =
  | { readonly status: 'succeeded'; readonly output: unknown }
  | { readonly status: 'failed'; readonly error: string; readonly cause: string };

/** Runs a workflow to its end and reports how it ended (Express Step Functions, or the local engine). */
export interface WorkflowRunner {
  run(workflow: string, input: unknown): Promise<WorkflowOutcome>;
}
