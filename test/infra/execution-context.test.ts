import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/aws/app.ts';
import { stateNameOf, workflows } from '../../workflows/registry.ts';
import { capturedLines, lambdaContext, useStackAsLambdaEnvironment } from '../support/lambda-run.ts';
import { seedRequest, startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * Every task log line in AWS names its Step Functions execution: Lambda's context does not carry
 * it, so each Task state passes `$$.Execution.Name` in its Parameters and the task's Lambda entry
 * logs it.
 */

interface State {
  readonly Type: string;
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly ItemProcessor?: { readonly States: Readonly<Record<string, State>> };
  readonly Iterator?: { readonly States: Readonly<Record<string, State>> };
  readonly Branches?: readonly { readonly States: Readonly<Record<string, State>> }[];
}

/** Every Task state of a definition, inside Map and Parallel states too, by name. */
function taskStates(states: Readonly<Record<string, State>>): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => [
    ...(state.Type === 'Task' ? [[name, state] as [string, State]] : []),
    ...taskStates(state.ItemProcessor?.States ?? state.Iterator?.States ?? {}),
    ...(state.Branches ?? []).flatMap((branch) => taskStates(branch.States)),
  ]);
}

const definitionOf = (file: string) =>
  JSON.parse(readFileSync(join(projectRoot, file), 'utf8')) as { States: Record<string, State> };

describe('the execution in every task state', () => {
  for (const workflow of workflows)
    it(`GIVEN ${workflow.definitionFile} THEN each of its task states passes $$.Execution.Name as execution`, () => {
      const tasks = taskStates(definitionOf(workflow.definitionFile).States);
      // The walk reaches every task the registry lists, those inside a Map included.
      expect(new Set(tasks.map(([name]) => name))).toEqual(
        new Set(workflow.tasks.map(({ id }) => stateNameOf(id))),
      );
      for (const [name, state] of tasks)
        expect(state.Parameters?.['execution.$'], `${workflow.name} ${name}`).toBe('$$.Execution.Name');
    });

  it('GIVEN a Task nested in a Map without it THEN the walk finds that task', () => {
    const tasks = taskStates({
      Each: {
        Type: 'Map',
        ItemProcessor: { States: { Inner: { Type: 'Task', Parameters: { 'x.$': '$.x' } } } },
      },
    });
    expect(tasks.map(([name, state]) => [name, state.Parameters?.['execution.$']])).toEqual([
      ['Inner', undefined],
    ]);
  });
});

describe('a task’s Lambda log line', () => {
  let stack: TestStack;
  let stdout: ReturnType<typeof capturedLines>;
  let restoreEnvironment: () => void = () => {};
  beforeAll(async () => {
    stack = await startTestStack();
    restoreEnvironment = useStackAsLambdaEnvironment(stack);
  });
  afterAll(async () => {
    restoreEnvironment();
    await stack?.dispose();
  });
  beforeEach(() => {
    stdout = capturedLines();
  });
  afterEach(() => stdout.restore());

  it('GIVEN a task that reads no input THEN its line names the execution it was given, and the task still runs', async () => {
    const { handler } = await import('../../functions/handlers/find-unsettled-journals.ts');
    const output = await handler(
      { execution: 'b6f7c1de-0c1a-4a8e-9a51-2f3d6c7e8a90' } as never,
      lambdaContext('docroute-FindUnsettledJournals', 'req-e1'),
    );
    expect(output).toEqual({ journals: [] });
    const lines = stdout.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      message: 'task completed',
      task: 'find-unsettled-journals',
      execution: 'b6f7c1de-0c1a-4a8e-9a51-2f3d6c7e8a90',
      function_request_id: 'req-e1',
    });
  });

  it('GIVEN executions one after another THEN each line names its own, and a line of an input without one names none', async () => {
    const { handler } = await import('../../functions/handlers/validate-incoming.ts');
    const actor = { sub: 'clerk-ivanova', role: 'clerk' as const };
    const draft = await handler(
      { request: seedRequest(), actor, execution: 'first-execution' } as never,
      lambdaContext('docroute-ValidateIncoming', 'req-e2'),
    );
    expect(draft).not.toHaveProperty('execution');
    await handler(
      { request: seedRequest({ kind: 'poem' }), actor, execution: 'second-execution' } as never,
      lambdaContext('docroute-ValidateIncoming', 'req-e3'),
    ).catch(() => undefined);
    await handler(
      { request: seedRequest({ kind: 'poem' }), actor },
      lambdaContext('docroute-ValidateIncoming', 'req-e4'),
    ).catch(() => undefined);
    const [completed, failed, unnamed] = stdout.lines();
    expect(completed).toMatchObject({
      message: 'task completed',
      execution: 'first-execution',
      documentId: (draft as { id: string }).id,
      function_request_id: 'req-e2',
    });
    expect(failed).toMatchObject({
      message: 'task failed',
      errorName: 'ValidationError',
      execution: 'second-execution',
      function_request_id: 'req-e3',
    });
    expect(unnamed).toMatchObject({ message: 'task failed', function_request_id: 'req-e4' });
    expect(unnamed).not.toHaveProperty('execution');
  });
});
