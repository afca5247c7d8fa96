import { createHash } from 'node:crypto';
import { z } from 'zod';
import { calendarDateIn, calendarDateProblem, instantProblem, yearOf } from './calendar-date.ts';
import type { Config } from './config.ts';
import type { Control } from './control.ts';
import { addDays, citizenAppealDays, registrationDeadline, type WorkingDayCalendar } from './deadlines.ts';
import { documentKinds } from './document-kinds.ts';
import { type FieldProblem, RuleViolationError, ValidationError } from './errors.ts';
import { freeText, problemsOf } from './validation.ts';

export { documentKinds };
export const deliveryChannels = ['post', 'email', 'medo', 'courier', 'reception', 'hotline', 'fax'] as const;

/** One line of text (a name, a number); a subject or a note may run over several lines. */
const text = (max: number) => freeText(max);
const multilineText = (max: number) => freeText(max, { multiline: true });
const calendarDate = z.string().superRefine((value, ctx) => {
  const problem = calendarDateProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const instant = z.string().superRefine((value, ctx) => {
  const problem = instantProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** What a clerk sends to register an incoming document (the registration card's input fields). */
export const incomingRequestSchema = z.strictObject({
  correspondent: z.strictObject({
    organization: text(500),
    person: text(200).optional(),
    /** Where a reply is sent when the reply names no address of its own. */
    email: z.email('must be an e-mail address').optional(),
  }),
  theirRef: z.strictObject({
    number: text(100),
    date: calendarDate,
  }),
  kind: z.enum(documentKinds),
  subject: multilineText(2000),
  receivedAt: instant,
  channel: z.enum(deliveryChannels),
  executor: text(60),
  addressee: text(300).optional(),
  signedBy: text(200).optional(),
  pages: z.int().min(1).max(100_000).optional(),
  attachments: z
    .array(z.strictObject({ title: text(500), pages: z.int().min(1).max(100_000).optional() }))
    .max(100)
    .optional(),
  note: multilineText(4000).optional(),
  /** The date the sender (a higher body) set for the answer. */
  dueDate: calendarDate.optional(),
});

export type IncomingRequest = z.infer<typeof incomingRequestSchema>;

/** A validated request, ready for numbering: instants normalised to UTC, the registration date fixed. */
export interface IncomingDraft extends IncomingRequest {
  readonly id: string;
  readonly journal: 'incoming';
  /** The calendar date of receipt in the organisation's zone: the date the card is registered under. */
  readonly regDate: string;
  readonly duplicateKey: string;
  /** Its deadline and control; null when no deadline applies. */
  readonly control: Control | null;
}

/** The production calendar as registration uses it: which years it knows, and its working days. */
export interface RegistrationCalendar extends WorkingDayCalendar {
  covers(year: number): boolean;
}

/** Clocks disagree a little; a receipt time further in the future than this is a mistake. */
const futureTolerance = 5 * 60 * 1000;

/**
 * Checks an incoming request against the card's schema (ValidationError) and the office's rules
 * (RuleViolationError): their letter cannot be dated after we received it, nor received in the future,
 * and the executor must be one the office knows.
 */
export function validateIncoming(
  raw: unknown,
  config: Config,
  now: Date,
  id: string,
  calendar: RegistrationCalendar,
): IncomingDraft {
  const parsed = incomingRequestSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ValidationError(problemsOf(parsed.error));
  const request = parsed.data;

  const receivedAt = new Date(request.receivedAt);
  const regDate = calendarDateIn(receivedAt, config.timeZone);
  const problems: FieldProblem[] = [];
  if (request.theirRef.date > regDate) {
    problems.push({
      field: 'theirRef.date',
      problem: `${request.theirRef.date} is after the date the document was received (${regDate})`,
    });
  }
  if (receivedAt.getTime() > now.getTime() + futureTolerance) {
    problems.push({ field: 'receivedAt', problem: 'is in the future' });
  }
  if (!Object.hasOwn(config.executors, request.executor)) {
    problems.push({ field: 'executor', problem: `unknown executor '${request.executor}'` });
  }
  if (request.dueDate !== undefined && request.dueDate < regDate) {
    problems.push({ field: 'dueDate', problem: `is before the date the document was received (${regDate})` });
  }
  if (problems.length > 0) throw new RuleViolationError(problems);

  const control = controlAtRegistration(
    { kind: request.kind, regDate, statedDueDate: request.dueDate },
    config,
    calendar,
  );
  return {
    ...request,
    receivedAt: receivedAt.toISOString(),
    id,
    journal: 'incoming',
    regDate,
    duplicateKey: duplicateKeyOf(request),
    control,
  };
}

/**
 * The deadline a document is put on control with. The calendar must know the year of its last day
 * (and the next, where a deadline may move into it): without it no deadline can be set, and the
 * registration is refused with the year named rather than left off control silently.
 */
function controlAtRegistration(
  document: { readonly kind: string; readonly regDate: string; readonly statedDueDate?: string | undefined },
  config: Config,
  calendar: RegistrationCalendar,
): Control | null {
  const rules = config.deadlines;
  const applies =
    document.kind === 'citizen_appeal' ||
    document.statedDueDate !== undefined ||
    rules.byKind[document.kind] !== undefined;
  if (!applies) return null;
  const probe =
    document.statedDueDate ??
    addDays(document.regDate, Math.max(citizenAppealDays, rules.byKind[document.kind] ?? 0));
  for (const year of new Set([yearOf(document.regDate), yearOf(probe), yearOf(probe) + 1]))
    if (!calendar.covers(year))
      throw new RuleViolationError([
        {
          field: document.statedDueDate === undefined ? 'receivedAt' : 'dueDate',
          problem: `the production calendar has no ${year}: its deadline cannot be set (add calendar/ru/${year}.json)`,
        },
      ]);
  const deadline = registrationDeadline(document, rules, calendar);
  return deadline === null ? null : { ...deadline, state: 'open' };
}

/** Spelling noise that does not make a different correspondent: case, quotes, ё, runs of spaces. */
function normalise(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[«»"'„“”]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The same correspondent with the same number and date is the same document (registered once). */
export function duplicateKeyOf(request: Pick<IncomingRequest, 'correspondent' | 'theirRef'>): string {
  const identity = [
    normalise(request.correspondent.organization),
    normalise(request.theirRef.number).replace(/\s/g, ''),
    request.theirRef.date,
  ].join('\n');
  return `incoming#${createHash('sha256').update(identity).digest('hex')}`;
}
