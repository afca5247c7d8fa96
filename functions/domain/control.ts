/**
 * A registered document on control: resolutions that route it to executors with a due date, its
 * deadline (deadlines.ts), one extension for a citizen's appeal, and how control ends: answered by
 * a registered reply, the controller accepting the executor's report, or removed with a reason.
 * Every change is one step of the card with the event it leaves, before and after.
 */

import { z } from 'zod';
import { calendarDateProblem } from './calendar-date.ts';
import type { Config } from './config.ts';
import {
  type Deadline,
  type DeadlineRules,
  deadlineFor,
  extendedDeadline,
  type WorkingDayCalendar,
} from './deadlines.ts';
import type { Actor, IncomingCard } from './documents.ts';
import { ConflictError, type FieldProblem, RuleViolationError } from './errors.ts';
import { freeText } from './validation.ts';

export interface Control extends Deadline {
  readonly state: 'open' | 'done' | 'removed';
  /** Who lifts control by accepting the executor's report. */
  readonly controller?: string;
  /** The deadline before its extension, kept beside the extended one. */
  readonly original?: Deadline;
  readonly extended?: {
    readonly days: number;
    readonly reason: string;
    /** How the citizen was told of the extension. */
    readonly notice: string;
    readonly at: string;
    readonly by: Actor;
  };
  readonly closed?: {
    readonly at: string;
    readonly by: Actor;
    readonly how: 'answered' | 'report_accepted' | 'removed';
    readonly reason?: string;
    readonly reply?: { readonly id: string; readonly regNumber: string };
  };
}

export interface Resolution {
  readonly author: string;
  readonly text: string;
  readonly executor: string;
  readonly coExecutors: readonly string[];
  readonly dueDate?: string;
  readonly controller?: string;
  readonly at: string;
  readonly recordedBy: Actor;
}

const calendarDate = z.string().superRefine((value, ctx) => {
  const problem = calendarDateProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const personId = freeText(60);

export const resolutionRequestSchema = z.strictObject({
  author: personId.describe('Who gives the resolution: a signer of the configuration (the head or a deputy)'),
  text: freeText(4000, { multiline: true }),
  executor: personId.describe('The responsible executor'),
  coExecutors: z.array(personId).max(20).optional(),
  dueDate: calendarDate.optional().describe('The due date the resolution sets'),
  controller: personId.optional().describe('Who lifts control: a signer or executor of the configuration'),
});
export type ResolutionRequest = z.infer<typeof resolutionRequestSchema>;

export const extensionRequestSchema = z.strictObject({
  days: z.int().min(1).max(30),
  reason: freeText(2000, { multiline: true }),
  notice: freeText(1000, { multiline: true }).describe('How and when the citizen was told'),
});
export type ExtensionRequest = z.infer<typeof extensionRequestSchema>;

export const closeControlRequestSchema = z.strictObject({
  how: z.enum(['report_accepted', 'removed']),
  reason: freeText(2000, { multiline: true }).optional().describe('Required when removed from control'),
});
export type CloseControlRequest = z.infer<typeof closeControlRequestSchema>;

const isPerson = (config: Config, id: string) =>
  Object.hasOwn(config.signers, id) || Object.hasOwn(config.executors, id);

function changed(
  card: IncomingCard,
  next: Partial<IncomingCard>,
  type: string,
  actor: Actor,
  at: string,
  data: Record<string, unknown>,
): IncomingCard {
  const revision = (card.revision ?? 0) + 1;
  return { ...card, ...next, revision, lastChange: { revision, type, at, actor, data } };
}

/**
 * A resolution routes the document: its responsible executor, co-executors, due date and controller.
 * The head gives it (a signer acting as themselves), or a clerk records it on the head's behalf.
 */
export function addResolution(
  card: IncomingCard,
  request: ResolutionRequest,
  context: { readonly config: Config; readonly calendar: WorkingDayCalendar; readonly rules: DeadlineRules },
  actor: Actor,
  now: Date,
): IncomingCard {
  const { config } = context;
  const problems: FieldProblem[] = [];
  if (!Object.hasOwn(config.signers, request.author))
    problems.push({ field: 'author', problem: `unknown signer '${request.author}'` });
  if (actor.role !== 'clerk' && actor.sub !== request.author)
    problems.push({ field: 'author', problem: `${actor.sub} may not give ${request.author}'s resolution` });
  if (!Object.hasOwn(config.executors, request.executor))
    problems.push({ field: 'executor', problem: `unknown executor '${request.executor}'` });
  (request.coExecutors ?? []).forEach((id, i) => {
    if (!Object.hasOwn(config.executors, id))
      problems.push({ field: `coExecutors.${i}`, problem: `unknown executor '${id}'` });
  });
  if (request.controller !== undefined && !isPerson(config, request.controller))
    problems.push({ field: 'controller', problem: `unknown signer or executor '${request.controller}'` });
  if (request.dueDate !== undefined && request.dueDate < card.regDate)
    problems.push({ field: 'dueDate', problem: `is before the registration date ${card.regDate}` });
  if (card.control?.state === 'done' || card.control?.state === 'removed')
    throw new ConflictError(`document ${card.id} is off control (${card.control.state})`);
  if (problems.length > 0) throw new RuleViolationError(problems);

  const at = now.toISOString();
  const resolution: Resolution = {
    author: request.author,
    text: request.text,
    executor: request.executor,
    coExecutors: request.coExecutors ?? [],
    ...(request.dueDate === undefined ? {} : { dueDate: request.dueDate }),
    ...(request.controller === undefined ? {} : { controller: request.controller }),
    at,
    recordedBy: actor,
  };
  // A citizen's appeal keeps its legal deadline; a resolution's date sets any other document's.
  const deadline =
    request.dueDate !== undefined && card.control?.basis !== 'citizen_appeal'
      ? deadlineFor(request.dueDate, 'resolution', context.rules, context.calendar)
      : card.control;
  const control: Control | null =
    deadline == null
      ? null
      : {
          ...(card.control ?? { state: 'open' as const }),
          ...deadline,
          state: 'open',
          ...(request.controller === undefined
            ? card.control?.controller === undefined
              ? {}
              : { controller: card.control.controller }
            : { controller: request.controller }),
        };
  const before = {
    executor: card.executor,
    coExecutors: card.coExecutors ?? [],
    control: card.control ?? null,
  };
  const after = { executor: request.executor, coExecutors: resolution.coExecutors, control };
  return changed(
    card,
    {
      executor: request.executor,
      coExecutors: resolution.coExecutors,
      control,
      resolutions: [...(card.resolutions ?? []), resolution],
    },
    'resolution',
    actor,
    at,
    { resolution, before, after, ...(actor.sub === request.author ? {} : { onBehalfOf: request.author }) },
  );
}

/** The one extension of a citizen's appeal: the new date, the original kept, the reason and the notice. */
export function extendControl(
  card: IncomingCard,
  request: ExtensionRequest,
  context: { readonly calendar: WorkingDayCalendar; readonly rules: DeadlineRules },
  actor: Actor,
  now: Date,
): IncomingCard {
  const control = card.control;
  if (control == null || control.state !== 'open')
    throw new ConflictError(`document ${card.id} is not on control`);
  const extended = extendedDeadline(control, request.days, context.rules, context.calendar);
  const at = now.toISOString();
  const { lastDay, dueDate, controlDate, basis } = control;
  const next: Control = {
    ...control,
    ...extended,
    original: { lastDay, dueDate, controlDate, basis },
    extended: { days: request.days, reason: request.reason, notice: request.notice, at, by: actor },
  };
  return changed(card, { control: next }, 'deadline_extended', actor, at, { before: control, after: next });
}

/**
 * Control lifted: by a registered reply (answered), by the controller accepting the executor's report,
 * or removed with a reason. The executor alone never lifts it.
 */
export function closeControl(
  card: IncomingCard,
  request:
    | CloseControlRequest
    | { readonly how: 'answered'; readonly reply: { readonly id: string; readonly regNumber: string } },
  actor: Actor,
  now: Date,
): IncomingCard | null {
  const control = card.control;
  if (control == null || control.state !== 'open') {
    if (request.how === 'answered') return null;
    throw new ConflictError(`document ${card.id} is not on control`);
  }
  if (request.how === 'report_accepted' && actor.role !== 'clerk' && actor.sub !== control.controller)
    throw new RuleViolationError([
      {
        field: 'how',
        problem: `only the controller${control.controller ? ` (${control.controller})` : ''} accepts the report`,
      },
    ]);
  if (request.how === 'removed' && ('reason' in request ? request.reason : undefined) === undefined)
    throw new RuleViolationError([
      { field: 'reason', problem: 'is required when the document is removed from control' },
    ]);
  const at = now.toISOString();
  const next: Control = {
    ...control,
    state: request.how === 'removed' ? 'removed' : 'done',
    closed: {
      at,
      by: actor,
      how: request.how,
      ...('reason' in request && request.reason !== undefined ? { reason: request.reason } : {}),
      ...('reply' in request ? { reply: request.reply } : {}),
    },
  };
  return changed(card, { control: next }, 'control_closed', actor, at, { before: control, after: next });
}
