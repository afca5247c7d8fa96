import { describe, expect, it } from 'vitest';
import {
  addDays,
  controlStateOn,
  extendedDeadline,
  registrationDeadline,
  type WorkingDayCalendar,
  workingDaysUntil,
} from '../../functions/domain/deadlines.ts';

/** May 2021 as the production calendar has it: 1–3 and 8–10 May off, 4–7 May the Covid non-working days. */
const offDays = new Set(['2021-05-03', '2021-05-10']);
const covidDays = new Set(['2021-05-04', '2021-05-05', '2021-05-06', '2021-05-07']);
const may2021: WorkingDayCalendar = {
  isWorkingDay: (date, options = {}) => {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6 || offDays.has(date)) return false;
    return options.covidDaysWork === true || !covidDays.has(date);
  },
};

const rules = { byKind: { request: 10 }, controlDate: 'same' as const };

describe('deadlines on the production calendar', () => {
  it('gives a citizen’s appeal 30 days from the day after registration', () => {
    expect(registrationDeadline({ kind: 'citizen_appeal', regDate: '2021-04-12' }, rules, may2021)).toEqual({
      lastDay: '2021-05-12',
      dueDate: '2021-05-12',
      controlDate: '2021-05-12',
      basis: 'citizen_appeal',
    });
  });

  it('moves a last day on a weekend or holiday to the next working day, counting the Covid days as working', () => {
    const fromSaturday = registrationDeadline(
      { kind: 'citizen_appeal', regDate: '2021-04-01' },
      rules,
      may2021,
    );
    expect(fromSaturday).toMatchObject({ lastDay: '2021-05-01', dueDate: '2021-05-04' });
    const onCovidDay = registrationDeadline(
      { kind: 'citizen_appeal', regDate: '2021-04-05' },
      rules,
      may2021,
    );
    expect(onCovidDay).toMatchObject({ lastDay: '2021-05-05', dueDate: '2021-05-05' });
  });

  it('sets the control date to the office’s last working day on or before the last day when so configured', () => {
    const early = { ...rules, controlDate: 'previous_working_day' as const };
    const onCovidDay = registrationDeadline(
      { kind: 'citizen_appeal', regDate: '2021-04-05' },
      early,
      may2021,
    );
    // The office was closed 1–10 May: its control date is Friday 30 April.
    expect(onCovidDay).toMatchObject({ dueDate: '2021-05-05', controlDate: '2021-04-30' });
  });

  it('takes a stated date before the kind’s default, and puts nothing on control without either', () => {
    expect(
      registrationDeadline(
        { kind: 'request', regDate: '2021-04-01', statedDueDate: '2021-04-20' },
        rules,
        may2021,
      ),
    ).toMatchObject({ dueDate: '2021-04-20', basis: 'stated' });
    expect(registrationDeadline({ kind: 'request', regDate: '2021-04-26' }, rules, may2021)).toMatchObject({
      lastDay: '2021-05-06',
      dueDate: '2021-05-06',
      basis: 'kind_default',
    });
    expect(registrationDeadline({ kind: 'notice', regDate: '2021-04-26' }, rules, may2021)).toBeNull();
  });

  it('extends an appeal once, by at most 30 days from its original last day', () => {
    const original = registrationDeadline({ kind: 'citizen_appeal', regDate: '2021-04-01' }, rules, may2021);
    if (original === null) throw new Error('no deadline');
    expect(extendedDeadline(original, 30, rules, may2021)).toMatchObject({
      lastDay: '2021-05-31',
      dueDate: '2021-05-31',
    });
    expect(() => extendedDeadline(original, 31, rules, may2021)).toThrow('must be 1 to 30 days');
    expect(() => extendedDeadline({ ...original, extended: {} }, 10, rules, may2021)).toThrow('only once');
    const request = registrationDeadline({ kind: 'request', regDate: '2021-04-01' }, rules, may2021);
    if (request === null) throw new Error('no deadline');
    expect(() => extendedDeadline(request, 10, rules, may2021)).toThrow('only a citizen');
  });

  it('counts working days between two dates, either way', () => {
    expect(workingDaysUntil(may2021, '2021-04-30', '2021-05-11')).toBe(1);
    expect(workingDaysUntil(may2021, '2021-05-11', '2021-04-30')).toBe(-1);
    expect(workingDaysUntil(may2021, '2021-05-11', '2021-05-11')).toBe(0);
    expect(addDays('2021-12-31', 1)).toBe('2022-01-01');
  });

  it('tells on control, due soon and overdue apart by working days', () => {
    const open = { state: 'open' as const, controlDate: '2021-05-12' };
    expect(controlStateOn(open, '2021-05-13', 3, may2021)).toBe('overdue');
    expect(controlStateOn(open, '2021-05-12', 3, may2021)).toBe('due_soon');
    // Over the closed days of May only 11 and 12 May are working: due soon from 30 April.
    expect(controlStateOn(open, '2021-04-30', 3, may2021)).toBe('due_soon');
    expect(controlStateOn(open, '2021-04-27', 3, may2021)).toBe('on_control');
    expect(controlStateOn({ ...open, state: 'done' }, '2021-06-01', 3, may2021)).toBe('done');
  });
});
