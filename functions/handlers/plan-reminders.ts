import { calendarDateIn } from '../domain/calendar-date.ts';
import { isIncoming, isOutgoing } from '../domain/documents.ts';
import { hourIn, planReminders as plan, type Reminder } from '../domain/reminders.ts';
import { calendar } from './lambda/calendar.ts';
import { clock } from './lambda/clock.ts';
import { config } from './lambda/config.ts';
import { documents, notifications } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface PlanRemindersInput {
  /** The sweep's moment (ISO); now when absent or null. */
  readonly at?: string | null;
}

export interface PlannedReminders {
  readonly at: string;
  readonly today: string;
  /** Not yet in the outbox, at most {@link perRun}. */
  readonly reminders: readonly Reminder[];
  /** More are due than one run takes: the workflow plans again. */
  readonly more: boolean;
}

/** Reminders one run sends: a workflow's state must stay small, so a longer day takes several runs. */
const perRun = 200;
/** Documents read from each index in one plan. */
const readLimit = 10_000;

/**
 * What the sweep sends now: the documents on control up to the furthest threshold ahead and the
 * drafts awaiting a signature, read by index (never a scan), less what the outbox already holds.
 */
export const planReminders = defineTask(
  'plan-reminders',
  ['config', 'calendar', 'documents', 'notifications', 'clock'],
  async ({ at }: PlanRemindersInput, deps): Promise<PlannedReminders> => {
    const { config, calendar, documents, notifications, clock } = deps;
    const now = typeof at === 'string' ? new Date(at) : clock.now();
    const today = calendarDateIn(now, config.timeZone);
    const rules = config.reminders;
    if (!calendar.covers(Number(today.slice(0, 4))) || !calendar.isWorkingDay(today))
      return { at: now.toISOString(), today, reminders: [], more: false };
    const ahead = calendar.addWorkingDays(today, Math.max(0, ...rules.beforeWorkingDays));
    const [onControl, awaiting] = await Promise.all([
      documents.onControl(ahead, readLimit),
      documents.awaitingSignature(readLimit),
    ]);
    const planned = plan(
      {
        today,
        nowHour: hourIn(now, config.timeZone),
        onControl: onControl
          .filter(isIncoming)
          .flatMap((card) => (card.control ? [{ ...card, control: card.control }] : [])),
        awaitingSignature: awaiting
          .filter(isOutgoing)
          .flatMap((card) => (card.awaiting ? [{ ...card, since: card.awaiting.since }] : [])),
      },
      rules,
      config,
      calendar,
    );
    const sent = await notifications.existing(
      planned.map((r) => r.key),
      clock.now().toISOString(),
    );
    const due = planned.filter((r) => !sent.has(r.key));
    return { at: now.toISOString(), today, reminders: due.slice(0, perRun), more: due.length > perRun };
  },
);

export const handler = lambdaHandler(planReminders, { config, clock, calendar, documents, notifications });
