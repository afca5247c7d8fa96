import registerIncoming from './register-incoming.asl.json' with { type: 'json' };

/**
 * The single table of workflows and their tasks. infra/aws makes a function per task and binds the
 * definition's placeholders to them; infra/local runs the same definitions with the same handlers.
 * One name per task: function id `assign-number`, state `AssignNumber`, placeholder
 * `${AssignNumberFunctionArn}`, file `functions/handlers/assign-number.ts`, export `assignNumber`.
 */

export interface TaskRegistration {
  /** Function id and handler file name. */
  readonly id: string;
}

export interface WorkflowRegistration {
  readonly name: string;
  /** Path of the definition, relative to the project root. */
  readonly definitionFile: string;
  readonly tasks: readonly TaskRegistration[];
}

export const workflows = [
  {
    name: 'register-incoming',
    definitionFile: 'workflows/register-incoming.asl.json',
    tasks: [
      { id: 'validate-incoming' },
      { id: 'find-duplicate' },
      { id: 'record-duplicate' },
      { id: 'assign-number' },
      { id: 'save-card' },
      { id: 'record-events' },
      { id: 'complete-registration' },
      { id: 'void-number' },
      { id: 'release-claim' },
    ],
  },
  {
    name: 'prepare-reply',
    definitionFile: 'workflows/prepare-reply.asl.json',
    tasks: [{ id: 'validate-reply' }, { id: 'render-draft' }, { id: 'save-draft' }],
  },
  {
    name: 'finalize-reply',
    definitionFile: 'workflows/finalize-reply.asl.json',
    tasks: [
      { id: 'check-signature' },
      { id: 'record-rejection' },
      { id: 'claim-signing' },
      { id: 'assign-number' },
      { id: 'render-letter' },
      { id: 'archive-letter' },
      { id: 'register-reply' },
      { id: 'mark-answered' },
      { id: 'dispatch-reply' },
      { id: 'complete-registration' },
      { id: 'void-number' },
      { id: 'release-signing' },
    ],
  },
  {
    name: 'send-reminders',
    definitionFile: 'workflows/send-reminders.asl.json',
    tasks: [{ id: 'plan-reminders' }, { id: 'send-reminder' }],
  },
  {
    name: 'settle-registrations',
    definitionFile: 'workflows/settle-registrations.asl.json',
    tasks: [{ id: 'find-unsettled-journals' }, { id: 'settle-journal' }, { id: 'release-stale-signings' }],
  },
  {
    name: 'anchor-histories',
    definitionFile: 'workflows/anchor-histories.asl.json',
    tasks: [{ id: 'write-anchor' }],
  },
] as const satisfies readonly WorkflowRegistration[];

/** The registration workflow's time limit: a registration's lease on its number follows it. */
export const registrationTimeLimitSeconds = registerIncoming.TimeoutSeconds;

export type WorkflowName = (typeof workflows)[number]['name'];

const pascal = (id: string) => id.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());

/** `assign-number` -> `AssignNumber`: the task's state name in the definition. */
export const stateNameOf = (taskId: string) => pascal(taskId);
/** `assign-number` -> `AssignNumberFunctionArn`: the definition's placeholder for the function. */
export const placeholderOf = (taskId: string) => `${pascal(taskId)}FunctionArn`;
/** `assign-number` -> `assignNumber`: the handler file's task export and the domain function. */
export const exportNameOf = (taskId: string) =>
  taskId.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
/** `assign-number` -> `functions/handlers/assign-number.ts`. */
export const handlerFileOf = (taskId: string) => `functions/handlers/${taskId}.ts`;

/** The definition with every `${Placeholder}` replaced, as Step Functions' DefinitionSubstitutions do. */
export function substitute(definition: string, values: Readonly<Record<string, string>>): string {
  return definition.replace(/\$\{([A-Za-z0-9]+)\}/g, (whole, name: string) => values[name] ?? whole);
}
