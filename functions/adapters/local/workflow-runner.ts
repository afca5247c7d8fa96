import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ExecutionError,
  ExecutionTimeoutError,
  type RunOptions,
  StateMachine,
} from 'aws-local-stepfunctions';
import {
  placeholderOf,
  stateNameOf,
  substitute,
  type WorkflowRegistration,
} from '../../../workflows/registry.ts';
import { encodeTaskError } from '../../domain/task-failure.ts';
import type { WorkflowOutcome, WorkflowRunner } from '../../ports/workflow-runner.ts';

/** What runs a task in-process: its handler, already bound to the stores. */
export type LocalHandler = (input: never) => Promise<unknown>;

export interface LocalWorkflowRunnerOptions {
  readonly projectRoot: string;
  readonly workflows: readonly WorkflowRegistration[];
  /** Each task's handler, by function id (`assign-number`). */
  readonly handlers: Readonly<Record<string, LocalHandler>>;
  /** Replaces a state's handler, by state name: how tests inject faults. */
  readonly stateOverrides?: Readonly<Record<string, LocalHandler>>;
  /** Retries happen at once instead of after their IntervalSeconds (for tests). */
  readonly retryWithoutWaiting?: boolean;
  /** Caps every workflow's TimeoutSeconds (a slow machine, or a test that waits for leases to end). */
  readonly timeLimitSeconds?: number;
}

type Overrides = NonNullable<RunOptions['overrides']>;

interface LoadedWorkflow {
  readonly machine: StateMachine;
  readonly handlers: NonNullable<Overrides['taskResourceLocalHandlers']>;
  readonly retryIntervals: NonNullable<Overrides['retryIntervalOverrides']>;
}

/**
 * Runs the workflows' .asl.json files in aws-local-stepfunctions, each task state calling its
 * handler in-process. Failures are shaped as Lambda shapes them, so Catch, Retry and the API's error
 * mapping behave as they do in AWS.
 */
export class LocalWorkflowRunner implements WorkflowRunner {
  private readonly loaded = new Map<string, LoadedWorkflow>();

  constructor(options: LocalWorkflowRunnerOptions) {
    for (const workflow of options.workflows) {
      const placeholders: Record<string, string> = {};
      const handlers: LoadedWorkflow['handlers'] = {};
      for (const { id } of workflow.tasks) {
        const handler = options.stateOverrides?.[stateNameOf(id)] ?? options.handlers[id];
        if (handler === undefined) throw new Error(`workflow ${workflow.name}: no handler for task ${id}`);
        placeholders[placeholderOf(id)] = `arn:aws:lambda:local:000000000000:function:docroute-${id}`;
        handlers[stateNameOf(id)] = asLambda(handler);
      }
      const definition = JSON.parse(
        substitute(readFileSync(join(options.projectRoot, workflow.definitionFile), 'utf8'), placeholders),
      ) as { TimeoutSeconds?: number; States: Record<string, { Retry?: unknown }> };
      if (options.timeLimitSeconds !== undefined)
        definition.TimeoutSeconds = Math.min(
          definition.TimeoutSeconds ?? Number.POSITIVE_INFINITY,
          options.timeLimitSeconds,
        );
      const retryIntervals = Object.fromEntries(
        options.retryWithoutWaiting === true
          ? Object.entries(definition.States)
              .filter(([, state]) => state.Retry !== undefined)
              .map(([name]) => [name, 0])
          : [],
      );
      // Building a state machine validates its definition; build each once and reuse it.
      this.loaded.set(workflow.name, {
        machine: new StateMachine(definition as never),
        handlers,
        retryIntervals,
      });
    }
  }

  async run(workflow: string, input: unknown): Promise<WorkflowOutcome> {
    const loaded = this.loaded.get(workflow);
    if (loaded === undefined) throw new Error(`unknown workflow ${workflow}`);
    const execution = loaded.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: loaded.handlers,
        retryIntervalOverrides: loaded.retryIntervals,
      },
      context: executionContext(workflow),
    });
    try {
      return { status: 'succeeded', output: await execution.result };
    } catch (error) {
      // As Step Functions reports an execution that ran past its TimeoutSeconds.
      if (error instanceof ExecutionTimeoutError)
        return { status: 'failed', error: 'States.Timeout', cause: `${workflow} ran past its time limit` };
      if (!(error instanceof ExecutionError) || !(error.cause instanceof Error)) throw error;
      return { status: 'failed', error: error.cause.name, cause: error.cause.message };
    }
  }
}

/** Where the local engine says its state machines and executions are, beside its function ARNs. */
const localArnPrefix = 'arn:aws:states:local:000000000000';

/**
 * The context object Step Functions gives an Express execution started without a name: a UUID for
 * its name and an ARN naming the state machine and the name, so a definition's `$$.Execution.Name`
 * reads here what it reads in AWS. The engine adds `Input` and `StartTime` itself (also in a Map's
 * iterations, which get this same context).
 */
export function executionContext(workflow: string): {
  readonly Execution: { readonly Id: string; readonly Name: string };
  readonly StateMachine: { readonly Id: string; readonly Name: string };
} {
  const machine = `docroute-${workflow}`;
  const name = randomUUID();
  return {
    Execution: { Id: `${localArnPrefix}:express:${machine}:${name}:${randomUUID()}`, Name: name },
    StateMachine: { Id: `${localArnPrefix}:stateMachine:${machine}`, Name: machine },
  };
}

/** Reports errors in Lambda's Cause shape (the engine itself copies state data as JSON between states). */
function asLambda(handler: LocalHandler): LoadedWorkflow['handlers'][string] {
  return async (input) => {
    try {
      return ((await handler(input as never)) ?? null) as never;
    } catch (error) {
      const encoded = encodeTaskError(error);
      const lambdaShaped = new Error(
        JSON.stringify({ errorType: encoded.name, errorMessage: encoded.message }),
      );
      lambdaShaped.name = encoded.name;
      throw lambdaShaped;
    }
  };
}
