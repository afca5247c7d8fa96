/**
 * Which reminders a sweep sends on a working day (RECORDS-RULES.md, deadline control): to the
 * executor 3 and 1 working days before the control date, on the day, then each working day overdue;
 * to the executor's supervisor once a document is N working days overdue; to the signer of each
 * draft awaiting a signature longer than N working hours. Each reminder has a key (document,
 * threshold, day): the outbox sends a key once, however many sweeps run.
 */

import { calendarDateIn, formatRussianDate } from './calendar-date.ts';
import type { Config } from './config.ts';
import type { ProductionCalendar } from './production-calendar.ts';
import { wallTimeIn } from './time-zone.ts';

export interface ReminderRules {
  /** Working days before the control date on which the executor is reminded. */
  readonly beforeWorkingDays: readonly number[];
  readonly onTheDay: boolean;
  /** Remind the executor on each working day a document is overdue. */
  readonly overdueDaily: boolean;
  /** From this many working days overdue, the executor's supervisor is told too (each working day). */
  readonly supervisorAfterWorkingDays: number;
  /** A draft awaiting its signature longer than this many working hours reminds its signer (once a day). */
  readonly signerAfterWorkingHours: number;
  /** When the sweep runs, in the office's time zone. */
  readonly at: string;
}

export const defaultReminderRules: ReminderRules = {
  beforeWorkingDays: [3, 1],
  onTheDay: true,
  overdueDaily: true,
  supervisorAfterWorkingDays: 3,
  signerAfterWorkingHours: 8,
  at: '09:00',
};

export type Threshold =
  | `before_${number}`
  | 'due_today'
  | 'overdue'
  | 'supervisor_overdue'
  | 'awaiting_signature';

export interface Reminder {
  /** `<document>#<threshold>#<day>`: one notification per document, threshold and day. */
  readonly key: string;
  readonly documentId: string;
  readonly threshold: Threshold;
  readonly day: string;
  /** The person reminded (a configuration id) and their address; null when none is configured. */
  readonly recipient: string;
  readonly email: string | null;
  readonly subject: string;
  readonly text: string;
}

/** What a reminder needs of a document on control. */
export interface ControlledDocument {
  readonly id: string;
  readonly regNumber: string;
  readonly regDate: string;
  readonly theirRef: { readonly number: string; readonly date: string };
  readonly subject: string;
  readonly executor: string;
  readonly control: { readonly state: string; readonly dueDate: string; readonly controlDate: string };
}

/** What a reminder needs of a draft awaiting its signature. */
export interface AwaitingDraft {
  readonly id: string;
  readonly titleLines: readonly string[];
  readonly signer: string;
  readonly since: string;
  readonly references: readonly { readonly number: string; readonly date: string }[];
}

/** The office's working hours on a working day; a shortened day ends an hour early. */
const dayStartsAt = 9;
const hoursOfWorkingDay = 8;

function emailOf(config: Config, person: string): string | null {
  return (
    config.executors[person]?.email ??
    config.signers[person]?.email ??
    config.approvers[person]?.email ??
    null
  );
}

function nameOf(config: Config, person: string): string {
  return config.executors[person]?.fullName ?? config.signers[person]?.fullName ?? person;
}

const plural = (n: number, one: string, few: string, many: string) => {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
};
const workingDays = (n: number) => `${n} ${plural(n, 'рабочий день', 'рабочих дня', 'рабочих дней')}`;

function documentLines(doc: ControlledDocument): string[] {
  return [
    `Документ: № ${doc.regNumber} от ${formatRussianDate(doc.regDate)}`,
    `Корреспондент: № ${doc.theirRef.number} от ${formatRussianDate(doc.theirRef.date)}`,
    `Содержание: ${doc.subject}`,
    `Срок исполнения: ${formatRussianDate(doc.control.dueDate)}`,
  ];
}

/**
 * The reminders for `today` (a working day: on others nothing is sent). `nowHour` is the hour of the
 * sweep in the office's zone, for the working hours a draft has waited today.
 */
export function planReminders(
  input: {
    readonly today: string;
    readonly nowHour: number;
    readonly onControl: readonly ControlledDocument[];
    readonly awaitingSignature: readonly AwaitingDraft[];
  },
  rules: ReminderRules,
  config: Config,
  calendar: ProductionCalendar,
): Reminder[] {
  const { today } = input;
  if (!calendar.isWorkingDay(today)) return [];
  const reminders: Reminder[] = [];
  const add = (
    doc: { id: string },
    threshold: Threshold,
    recipient: string,
    subject: string,
    lines: string[],
  ) =>
    reminders.push({
      key: `${doc.id}#${threshold}#${today}`,
      documentId: doc.id,
      threshold,
      day: today,
      recipient,
      email: emailOf(config, recipient),
      subject,
      text: [
        `${nameOf(config, recipient)}!`,
        '',
        ...lines,
        '',
        'Сообщение отправлено docroute автоматически.',
      ].join('\n'),
    });

  for (const doc of input.onControl) {
    if (doc.control.state !== 'open') continue;
    const left = calendar.workingDaysBetween(today, doc.control.controlDate);
    const lines = documentLines(doc);
    if (left > 0 && rules.beforeWorkingDays.includes(left)) {
      add(
        doc,
        `before_${left}`,
        doc.executor,
        `Напоминание: срок № ${doc.regNumber} через ${workingDays(left)}`,
        [`До контрольного срока осталось ${workingDays(left)}.`, ...lines],
      );
    } else if (today === doc.control.controlDate && rules.onTheDay) {
      add(doc, 'due_today', doc.executor, `Срок исполнения № ${doc.regNumber} истекает сегодня`, [
        'Контрольный срок истекает сегодня.',
        ...lines,
      ]);
    } else if (today > doc.control.controlDate) {
      const overdue = -left;
      if (rules.overdueDaily)
        add(doc, 'overdue', doc.executor, `Просрочено: № ${doc.regNumber}, ${workingDays(overdue)}`, [
          `Документ просрочен на ${workingDays(overdue)}.`,
          ...lines,
        ]);
      const supervisor = config.executors[doc.executor]?.supervisor;
      if (supervisor !== undefined && overdue >= rules.supervisorAfterWorkingDays)
        add(
          doc,
          'supervisor_overdue',
          supervisor,
          `Просрочено у исполнителя: № ${doc.regNumber}, ${workingDays(overdue)}`,
          [
            `Документ у исполнителя ${nameOf(config, doc.executor)} просрочен на ${workingDays(overdue)}.`,
            ...lines,
          ],
        );
    }
  }

  for (const draft of input.awaitingSignature) {
    const hours = workingHoursSince(draft.since, today, input.nowHour, calendar, config.timeZone);
    if (hours < rules.signerAfterWorkingHours) continue;
    const reference = draft.references[0];
    add(
      draft,
      'awaiting_signature',
      draft.signer,
      `Ожидает подписи: ${draft.titleLines.join(' ')}`.slice(0, 200),
      [
        `Проект письма ожидает вашей подписи ${Math.floor(hours)} рабочих ч.`,
        `Заголовок: ${draft.titleLines.join(' ')}`,
        ...(reference ? [`На № ${reference.number} от ${formatRussianDate(reference.date)}`] : []),
      ],
    );
  }
  return reminders;
}

/**
 * Working hours from `since` (an instant) to the sweep (`today` at `nowHour`, in the office's zone):
 * each working day between counts 8 hours (7 when shortened), the first and the last their share of
 * the 9:00–17:00 day.
 */
export function workingHoursSince(
  since: string,
  today: string,
  nowHour: number,
  calendar: ProductionCalendar,
  timeZone: string,
): number {
  const start = new Date(since);
  const startDay = calendarDateIn(start, timeZone);
  const startHour = hourIn(start, timeZone);
  const hoursOn = (day: string) =>
    calendar.isWorkingDay(day) ? hoursOfWorkingDay - (calendar.isShortened(day) ? 1 : 0) : 0;
  const within = (day: string, from: number, to: number) => {
    const length = hoursOn(day);
    return Math.max(0, Math.min(to, dayStartsAt + length) - Math.max(from, dayStartsAt));
  };
  if (startDay > today) return 0;
  if (startDay === today) return within(today, startHour, nowHour);
  let hours = within(startDay, startHour, 24) + within(today, 0, nowHour);
  for (let day = calendar.nextWorkingDay(startDay); day < today; day = calendar.nextWorkingDay(day))
    hours += hoursOn(day);
  return hours;
}

/** The hour (with its fraction) of an instant in a time zone. */
export function hourIn(at: Date, timeZone: string): number {
  const wall = wallTimeIn(at, timeZone);
  return wall.hour + wall.minute / 60;
}
