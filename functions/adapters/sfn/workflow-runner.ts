import { type SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowOutcome, WorkflowRunner } from '../../ports/workflow-runner.ts';

/** Runs Express state machines synchronously: the API waits for the workflow's answer. */
export class SfnWorkflowRunner implements WorkflowRunner {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArns: Readonly<Record<string, string>>,
  ) {}

  async run(workflow: string, input: unknown): Promise<WorkflowOutcome> {
    const stateMachineArn = this.stateMachineArns[workflow];
    if (stateMachineArn === undefined) throw new Error(`no state machine configured for ${workflow}`);
    const result = await this.client.send(
      new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
    );
    if (result.status === 'SUCCEEDED')
      return { status: 'succeeded', output: JSON.parse(result.output ?? 'null') };
    return {
      status: 'failed',
      error: result.error ?? (result.status === 'TIMED_OUT' ? 'States.Timeout' : 'States.Runtime'),
      cause: result.cause ?? '',
    };
  }
}

/** The environment variable carrying a workflow's state machine ARN to the API function. */
export function workflowArnEnvVar(workflow: string): string {
  return `DOCROUTE_WORKFLOW_${workflow.replaceAll('-', '_').toUpperCase()}_ARN`;
}
