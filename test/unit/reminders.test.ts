import { beforeAll, describe, expect, it } from 'vitest';
import {
  defaultCalendarFolder,
  loadProductionCalendar,
} from '../../functions/adapters/calendar/load-calendar.ts';
import type { Config } from '../../functions/domain/config.ts';
import type { ProductionCalendar } from '../../functions/domain/production-calendar.ts';
import {
  type ControlledDocument,
  defaultReminderRules,
  planReminders,
  workingHoursSince,
} from '../../functions/domain/reminders.ts';
import { seedConfig } from '../support/local-stack.ts';

let calendar: ProductionCalendar;
let config: Config;

beforeAll(async () => {
  calendar = await loadProductionCalendar(defaultCalendarFolder);
  const base = await seedConfig();
  config = {
    ...base,
    signers: {
      kulikov: { ...(base.signers['kulikov'] as Config['signers'][string]), email: 'kulikov@example.org' },
    },
    executors: {
      plaksina: {
        fullName: 'Плаксина Светлана Федоровна',
        phone: '1',
        email: 'plaksina@example.org',
        supervisor: 'kulikov',
      },
      orlova: { fullName: 'Орлова Мария Петровна', phone: '2' },
    },
  };
});

const doc = (n: number, controlDate: string, executor = 'plaksina'): ControlledDocument => ({
  id: `doc-${n}`,
  regNumber: `01-05/${n}`,
  regDate: '2021-03-01',
  theirRef: { number: `25-24/${n}`, date: '2021-02-26' },
  subject: 'О мерах по внедрению системы «Открытое правительство»',
  executor,
  control: { state: 'open', dueDate: controlDate, controlDate },
});

const plan = (
  today: string,
  docs: ControlledDocument[],
  awaiting: Parameters<typeof planReminders>[0]['awaitingSignature'] = [],
  nowHour = 9,
) =>
  planReminders(
    { today, nowHour, onControl: docs, awaitingSignature: awaiting },
    defaultReminderRules,
    config,
    calendar,
  );

describe('planReminders', () => {
  it('reminds 3 and 1 working days before, on the day, then each working day overdue', () => {
    const reminders = plan('2021-04-06', [
      doc(1, '2021-04-09'),
      doc(2, '2021-04-08'),
      doc(3, '2021-04-07'),
      doc(4, '2021-04-06'),
      doc(5, '2021-04-05'),
    ]);
    expect(reminders.map((r) => [r.documentId, r.threshold])).toEqual([
      ['doc-1', 'before_3'],
      ['doc-3', 'before_1'],
      ['doc-4', 'due_today'],
      ['doc-5', 'overdue'],
    ]);
    expect(reminders[0]).toMatchObject({
      key: 'doc-1#before_3#2021-04-06',
      recipient: 'plaksina',
      email: 'plaksina@example.org',
      subject: 'Напоминание: срок № 01-05/1 через 3 рабочих дня',
    });
    expect(reminders[0]?.text).toContain('Корреспондент: № 25-24/1 от 26.02.2021');
    expect(reminders[0]?.text).toContain('Срок исполнения: 09.04.2021');
    expect(reminders[3]?.subject).toBe('Просрочено: № 01-05/5, 1 рабочий день');
  });

  it('tells the supervisor from the configured working days overdue, and counts over holidays', () => {
    // 30 April 2021, then the May holidays: 11 May is the fourth working day after 29 April... and the third overdue day.
    const reminders = plan('2021-05-12', [doc(6, '2021-04-29'), doc(7, '2021-04-29', 'orlova')]);
    expect(reminders.map((r) => [r.documentId, r.threshold, r.recipient])).toEqual([
      ['doc-6', 'overdue', 'plaksina'],
      ['doc-6', 'supervisor_overdue', 'kulikov'],
      ['doc-7', 'overdue', 'orlova'],
    ]);
    expect(reminders[1]?.text).toContain('просрочен на 3 рабочих дня');
    // Orlova has no address: the reminder says so rather than vanish.
    expect(reminders[2]?.email).toBeNull();
  });

  it('sends nothing on a non-working day', () => {
    expect(plan('2021-04-10', [doc(8, '2021-04-05')])).toEqual([]);
    expect(plan('2021-05-05', [doc(8, '2021-04-05')])).toEqual([]);
  });

  it('reminds the signer of a draft waiting longer than the working hours set', () => {
    const draft = (since: string) => ({
      id: `draft-${since}`,
      titleLines: ['Информация'],
      signer: 'kulikov',
      since,
      references: [{ number: '25-24/6781', date: '2014-06-10' }],
    });
    const reminders = plan(
      '2021-04-06',
      [],
      [draft('2021-04-05T15:00:00+03:00'), draft('2021-04-02T10:00:00+03:00')],
      10,
    );
    expect(reminders.map((r) => [r.documentId, r.threshold, r.email])).toEqual([
      ['draft-2021-04-02T10:00:00+03:00', 'awaiting_signature', 'kulikov@example.org'],
    ]);
    expect(reminders[0]?.text).toContain('На № 25-24/6781 от 10.06.2014');
  });

  it('counts working hours over a weekend and a shortened day', () => {
    // Friday 10:00 to Monday 10:00: 7 hours on Friday, 1 on Monday.
    expect(workingHoursSince('2021-04-02T10:00:00+03:00', '2021-04-05', 10, calendar, 'Europe/Moscow')).toBe(
      8,
    );
    // 30 April 2021 was shortened (7 hours), then the office was closed to 10 May.
    expect(workingHoursSince('2021-04-30T09:00:00+03:00', '2021-05-11', 9, calendar, 'Europe/Moscow')).toBe(
      7,
    );
    // 1-7 November 2021 were non-working: a draft of 2 November has waited no working hour by the 8th.
    expect(workingHoursSince('2021-11-02T09:00:00+03:00', '2021-11-08', 9, calendar, 'Europe/Moscow')).toBe(
      0,
    );
  });
});
