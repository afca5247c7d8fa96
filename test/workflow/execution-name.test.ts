import { describe, expect, it } from 'vitest';
import {
  executionContext,
  type LocalHandler,
  LocalWorkflowRunner,
} from '../../functions/adapters/local/workflow-runner.ts';
import { projectRoot } from '../../infra/local/settings.ts';
import { stateNameOf, workflows } from '../../workflows/registry.ts';

/**
 * The definitions pass `$$.Execution.Name` to every task, so each Lambda log line names its
 * execution; the local engine must give the same context object, Map iterations included. Here the
 * real definitions run with handlers that record what each state receives.
 */

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Runs only the named workflow (building a definition takes a while), every task recording its input. */
function recordingRunner(name: string, answers: Record<string, (input: Record<string, unknown>) => unknown>) {
  const received: { state: string; input: Record<string, unknown> }[] = [];
  const handlers: Record<string, LocalHandler> = {};
  const chosen = workflows.filter((w) => w.name === name);
  for (const workflow of chosen)
    for (const { id } of workflow.tasks)
      handlers[id] = async (input: never) => {
        const state = stateNameOf(id);
        received.push({ state, input });
        return answers[state]?.(input) ?? {};
      };
  const runner = new LocalWorkflowRunner({ projectRoot, workflows: chosen, handlers });
  return { runner, received };
}

describe('the execution name each task receives from the local engine', () => {
  it('GIVEN settle-registrations THEN every task, each Map iteration too, gets the one execution name, and nothing else changes', async () => {
    const { runner, received } = recordingRunner('settle-registrations', {
      FindUnsettledJournals: () => ({
        journals: [{ journalKey: 'incoming#2021' }, { journalKey: 'outgoing#2021' }],
      }),
      SettleJournal: ({ journalKey }) => ({ journalKey, completed: 0 }),
      ReleaseStaleSignings: () => ({ released: 0, looked: 0 }),
    });
    const outcome = await runner.run('settle-registrations', {});
    expect(outcome).toEqual({
      status: 'succeeded',
      output: {
        journals: [
          { journalKey: 'incoming#2021', completed: 0 },
          { journalKey: 'outgoing#2021', completed: 0 },
        ],
        signings: { released: 0, looked: 0 },
      },
    });
    const name = received[0]?.input['execution'];
    expect(name).toMatch(uuid);
    expect(received.map((r) => r.state).sort()).toEqual([
      'FindUnsettledJournals',
      'ReleaseStaleSignings',
      'SettleJournal',
      'SettleJournal',
    ]);
    // Each task still gets exactly the fields it read before, plus the execution.
    for (const { state, input } of received)
      if (state === 'SettleJournal')
        expect(input).toEqual({ journalKey: expect.stringMatching(/#2021$/), execution: name });
      else expect(input, state).toEqual({ execution: name });
  });

  it('GIVEN send-reminders THEN SendReminder gets its reminder, the sweep moment and the execution name', async () => {
    const reminder = (n: number) => ({ key: `k${n}`, documentId: `d${n}` });
    const { runner, received } = recordingRunner('send-reminders', {
      PlanReminders: () => ({
        at: '2021-12-22T07:00:00.000Z',
        today: '2021-12-22',
        reminders: [reminder(1), reminder(2)],
        more: false,
      }),
      SendReminder: ({ reminder }) => ({ key: (reminder as { key: string }).key, sent: true }),
    });
    const outcome = await runner.run('send-reminders', { at: null });
    expect(outcome).toEqual({
      status: 'succeeded',
      output: {
        today: '2021-12-22',
        sent: [
          { key: 'k1', sent: true },
          { key: 'k2', sent: true },
        ],
      },
    });
    const [plan, ...sends] = received;
    expect(plan).toEqual({
      state: 'PlanReminders',
      input: { at: null, execution: expect.stringMatching(uuid) },
    });
    const name = plan?.input['execution'];
    expect(sends.map((s) => s.input)).toEqual(
      expect.arrayContaining([
        { reminder: reminder(1), at: '2021-12-22T07:00:00.000Z', execution: name },
        { reminder: reminder(2), at: '2021-12-22T07:00:00.000Z', execution: name },
      ]),
    );
    expect(sends).toHaveLength(2);
  });

  it('GIVEN two executions THEN each has its own name', async () => {
    const { runner, received } = recordingRunner('anchor-histories', {});
    await runner.run('anchor-histories', { requestedBy: null });
    await runner.run('anchor-histories', { requestedBy: null });
    expect(received).toHaveLength(2);
    const [first, second] = received.map((r) => r.input['execution']);
    expect(first).toMatch(uuid);
    expect(second).toMatch(uuid);
    expect(first).not.toBe(second);
    expect(received[0]?.input).toEqual({ requestedBy: null, execution: first });
  });

  it('gives an Express-shaped execution ARN naming the state machine and the execution', () => {
    const { Execution, StateMachine } = executionContext('register-incoming');
    expect(Execution.Name).toMatch(uuid);
    expect(Execution.Id).toMatch(
      new RegExp(
        `^arn:aws:states:local:000000000000:express:docroute-register-incoming:${Execution.Name}:[0-9a-f-]{36}$`,
      ),
    );
    expect(StateMachine).toEqual({
      Id: 'arn:aws:states:local:000000000000:stateMachine:docroute-register-incoming',
      Name: 'docroute-register-incoming',
    });
  });
});
