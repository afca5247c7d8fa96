/**
 * Deadline control (RECORDS-RULES.md): the legal deadline of a registered document and the office's
 * internal control date, computed on the production calendar. A last day on a non-working day moves
 * to the next working day (Civil Code art. 193), and for that the 2020–2021 Covid non-working days
 * count as working (Supreme Court, Review No. 1 of 21.04.2020). The control date is the same, or
 * the office's last working day on or before the last day (a setting).
 */

import { ConflictError, RuleViolationError } from './errors.ts';
import { addCalendarDays as addDays } from './production-calendar.ts';

export { addDays };

/** What deadline arithmetic needs of the production calendar. */
export interface WorkingDayCalendar {
  /**
   * Whether the day is a working day. With `covidDaysWork`, the Covid non-working days count as
   * working (legal deadlines); without, they do not (the office was closed).
   */
  isWorkingDay(date: string, options?: { readonly covidDaysWork?: boolean }): boolean;
}

/** A calendar is at most a few weeks of non-working days in a row; a longer walk means no data. */
const maxWalk = 60;

function walk(
  calendar: WorkingDayCalendar,
  from: string,
  step: 1 | -1,
  options: { readonly covidDaysWork?: boolean },
): string {
  let date = from;
  for (let i = 0; i < maxWalk; i++, date = addDays(date, step))
    if (calendar.isWorkingDay(date, options)) return date;
  throw new RangeError(`no working day within ${maxWalk} days of ${from}`);
}

/** The first working day on or after `date`. */
export const workingDayOnOrAfter = (
  calendar: WorkingDayCalendar,
  date: string,
  options: { readonly covidDaysWork?: boolean } = {},
) => walk(calendar, date, 1, options);

/** The last working day on or before `date`. */
export const workingDayOnOrBefore = (
  calendar: WorkingDayCalendar,
  date: string,
  options: { readonly covidDaysWork?: boolean } = {},
) => walk(calendar, date, -1, options);

/** Working days after `from` up to and including `to`; negative when `to` is before `from`. */
export function workingDaysUntil(calendar: WorkingDayCalendar, from: string, to: string): number {
  const [start, end, sign] = to >= from ? [from, to, 1] : [to, from, -1];
  let count = 0;
  for (let date = addDays(start, 1); date <= end; date = addDays(date, 1))
    if (calendar.isWorkingDay(date)) count++;
  return sign * count;
}

/** Where a document's deadline comes from. */
export type DeadlineBasis =
  /** 59-ФЗ art. 12: 30 days from the day after registration. */
  | 'citizen_appeal'
  /** The date the sender (a higher body) set in its request. */
  | 'stated'
  /** The office's default for the document's kind. */
  | 'kind_default'
  /** A resolution's due date. */
  | 'resolution';

export interface DeadlineRules {
  /** Calendar days to the deadline, per document kind, from the day after registration. */
  readonly byKind: Readonly<Partial<Record<string, number>>>;
  /** The office's control date: the deadline itself, or its last working day on or before the last day. */
  readonly controlDate: 'same' | 'previous_working_day';
}

export interface Deadline {
  /** The last day as counted, before any move off a non-working day. */
  readonly lastDay: string;
  /** The legal deadline: the last day, or the next working day when it falls on a non-working one. */
  readonly dueDate: string;
  /** The office's internal date. */
  readonly controlDate: string;
  readonly basis: DeadlineBasis;
}

/** Citizens' appeals are answered within 30 days of registration (59-ФЗ art. 12). */
export const citizenAppealDays = 30;
/** One extension, of at most 30 days (59-ФЗ art. 12 part 2). */
export const maxExtensionDays = 30;

/** The deadline for a last day, with its legal date and the office's control date. */
export function deadlineFor(
  lastDay: string,
  basis: DeadlineBasis,
  rules: Pick<DeadlineRules, 'controlDate'>,
  calendar: WorkingDayCalendar,
): Deadline {
  const dueDate = workingDayOnOrAfter(calendar, lastDay, { covidDaysWork: true });
  const controlDate =
    rules.controlDate === 'same'
      ? dueDate
      : workingDayOnOrBefore(calendar, lastDay, { covidDaysWork: false });
  return { lastDay, dueDate, controlDate, basis };
}

/**
 * A registered document's deadline: a citizen's appeal 30 days from the day after registration; a
 * request the date its sender stated; else the office's default for its kind; null when none
 * applies (the document is not put on control).
 */
export function registrationDeadline(
  document: { readonly kind: string; readonly regDate: string; readonly statedDueDate?: string | undefined },
  rules: DeadlineRules,
  calendar: WorkingDayCalendar,
): Deadline | null {
  if (document.kind === 'citizen_appeal')
    return deadlineFor(addDays(document.regDate, citizenAppealDays), 'citizen_appeal', rules, calendar);
  if (document.statedDueDate !== undefined)
    return deadlineFor(document.statedDueDate, 'stated', rules, calendar);
  const days = rules.byKind[document.kind];
  if (days === undefined) return null;
  return deadlineFor(addDays(document.regDate, days), 'kind_default', rules, calendar);
}

/** The one extension a citizen's appeal may have: at most 30 days past its original last day. */
export function extendedDeadline(
  current: Deadline & { readonly extended?: unknown },
  days: number,
  rules: Pick<DeadlineRules, 'controlDate'>,
  calendar: WorkingDayCalendar,
): Deadline {
  if (current.basis !== 'citizen_appeal')
    throw new RuleViolationError([
      { field: 'days', problem: 'only a citizen’s appeal is extended this way' },
    ]);
  if (current.extended !== undefined)
    throw new ConflictError('the deadline of an appeal is extended only once');
  if (!Number.isInteger(days) || days < 1 || days > maxExtensionDays)
    throw new RuleViolationError([{ field: 'days', problem: `must be 1 to ${maxExtensionDays} days` }]);
  return deadlineFor(addDays(current.lastDay, days), current.basis, rules, calendar);
}

export type ControlState = 'on_control' | 'due_soon' | 'overdue' | 'done' | 'removed';

/**
 * The state a document on control is in on `today`: overdue once its control date has passed, due
 * soon within `dueSoonWorkingDays` working days of it; done and removed stay as they were recorded.
 */
export function controlStateOn(
  control: { readonly state: 'open' | 'done' | 'removed'; readonly controlDate: string },
  today: string,
  dueSoonWorkingDays: number,
  calendar: WorkingDayCalendar,
): ControlState {
  if (control.state !== 'open') return control.state;
  if (today > control.controlDate) return 'overdue';
  return workingDaysUntil(calendar, today, control.controlDate) <= dueSoonWorkingDays
    ? 'due_soon'
    : 'on_control';
}
