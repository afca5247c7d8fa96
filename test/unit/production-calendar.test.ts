import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CalendarFileError,
  defaultCalendarFolder,
  loadProductionCalendar,
} from '../../functions/adapters/calendar/load-calendar.ts';
import { NotFoundError, ValidationError } from '../../functions/domain/errors.ts';
import {
  type CalendarYear,
  type ProductionCalendar,
  parseCalendarYear,
} from '../../functions/domain/production-calendar.ts';

/**
 * The yearly working-day totals of the official production calendars (five-day week), as
 * consultant.ru publishes them and as both public data sets give them (webmasterskaya/
 * production-calendar and xmlcalendar/data agree day by day for every year). Facts, not results of
 * the code: the President's non-working days of 2020 and 2021 are counted as working, as the
 * official totals count them.
 */
const officialWorkingDays: Record<number, number> = {
  2013: 247,
  2014: 247,
  2015: 247,
  2016: 247,
  2017: 247,
  2018: 247,
  2019: 247,
  2020: 248,
  2021: 247,
  2022: 247,
  2023: 247,
  2024: 248,
  2025: 247,
  2026: 247,
  2027: 247,
};

const legal = { covidDaysWork: true } as const;

let calendar: ProductionCalendar;
beforeAll(async () => {
  calendar = await loadProductionCalendar(defaultCalendarFolder);
});

describe('the shipped calendar files', () => {
  it('all load and cover 2013 to 2027 without a gap', () => {
    expect(calendar.years()).toEqual(Array.from({ length: 15 }, (_, i) => 2013 + i));
    expect(calendar.covers(2012)).toBe(false);
    expect(calendar.covers(2028)).toBe(false);
  });

  it.each(Object.entries(officialWorkingDays))('%s has the official count of working days', (year, days) => {
    expect(calendar.workingDaysIn(Number(year))).toBe(days);
  });

  it('carries each year decree, 2021 No. 1648 of 10.10.2020 and 2027 No. 1187 of 17.09.2026', () => {
    expect(calendar.year(2021).decree).toMatchObject({ number: '1648', date: '2020-10-10' });
    expect(calendar.year(2027).decree).toMatchObject({ number: '1187', date: '2026-09-17' });
    expect(calendar.year(2013).decree).toMatchObject({ number: '1048', date: '2012-10-15' });
  });

  it('lists every day of a year once, 365 or 366 of them', () => {
    expect(calendar.days(2021)).toHaveLength(365);
    expect(calendar.days(2020)).toHaveLength(366);
    expect(new Set(calendar.days(2024).map((d) => d.date)).size).toBe(366);
  });
});

describe('known days of 2020 and 2021', () => {
  it('1 to 8 January 2021 are holidays, weekend ones included; 9 and 10 a weekend; 11 works', () => {
    for (let day = 1; day <= 8; day++) expect(calendar.kindOf(`2021-01-0${day}`)).toBe('holiday');
    expect(calendar.kindOf('2021-01-07')).toBe('holiday');
    expect(calendar.days(2021)[6]?.name).toBe('Рождество Христово');
    expect(calendar.kindOf('2021-01-09')).toBe('weekend');
    expect(calendar.kindOf('2021-01-11')).toBe('working');
  });

  it('Saturday 20 February 2021 was worked (an hour shorter) for Monday 22 February off', () => {
    expect(calendar.kindOf('2021-02-20')).toBe('working_weekend');
    expect(calendar.isWorkingDay('2021-02-20')).toBe(true);
    expect(calendar.isShortened('2021-02-20')).toBe(true);
    expect(calendar.kindOf('2021-02-22')).toBe('transferred_day_off');
    expect(calendar.isWorkingDay('2021-02-22')).toBe(false);
    expect(calendar.days(2021).find((d) => d.date === '2021-02-22')?.from).toBe('2021-02-20');
  });

  it('4 November 2021 a holiday, 5 November a day off moved from 2 January', () => {
    expect(calendar.kindOf('2021-11-04')).toBe('holiday');
    expect(calendar.kindOf('2021-11-05')).toBe('transferred_day_off');
    expect(calendar.days(2021).find((d) => d.date === '2021-11-05')?.from).toBe('2021-01-02');
    expect(calendar.kindOf('2021-12-31')).toBe('transferred_day_off');
  });

  it('4 to 7 May and 1 to 3 November 2021 are the President non-working days', () => {
    for (const date of ['2021-05-04', '2021-05-07', '2021-11-01', '2021-11-03']) {
      expect(calendar.kindOf(date)).toBe('covid_non_working');
      expect(calendar.isWorkingDay(date)).toBe(false);
      expect(calendar.isWorkingDay(date, legal)).toBe(true);
    }
    expect(calendar.kindOf('2021-05-03')).toBe('transferred_day_off');
    expect(calendar.kindOf('2021-05-08')).toBe('weekend');
  });

  it('2020: 30 March to 30 April and 6 to 8 May non-working, 4 and 5 May transferred, 24 June and 1 July non-working', () => {
    const covid = calendar.days(2020).filter((d) => d.kind === 'covid_non_working');
    expect(covid.map((d) => d.date)).toContain('2020-03-30');
    expect(covid.map((d) => d.date)).toContain('2020-04-30');
    expect(covid.map((d) => d.date)).toContain('2020-05-08');
    expect(covid.map((d) => d.date)).toContain('2020-06-24');
    expect(covid.map((d) => d.date)).toContain('2020-07-01');
    // 24 weekdays of 30.03–30.04, 3 of 06–08.05, and the two single days.
    expect(covid).toHaveLength(29);
    expect(calendar.kindOf('2020-05-04')).toBe('transferred_day_off');
    expect(calendar.kindOf('2020-04-04')).toBe('weekend');
  });

  it('Saturday 28 December 2024 was worked, a full day', () => {
    expect(calendar.kindOf('2024-12-28')).toBe('working_weekend');
    expect(calendar.isShortened('2024-12-28')).toBe(false);
    expect(calendar.kindOf('2024-12-30')).toBe('transferred_day_off');
  });
});

describe('working-day arithmetic', () => {
  it('from Saturday 1 May 2021: the legal next working day is 4 May, the office reopens on 11 May', () => {
    expect(calendar.nextWorkingDay('2021-05-01', legal)).toBe('2021-05-04');
    expect(calendar.nextWorkingDay('2021-05-01')).toBe('2021-05-11');
  });

  it('the office stayed closed from 28 March 2020 until 12 May; legal terms ran from 30 March', () => {
    expect(calendar.nextWorkingDay('2020-03-28')).toBe('2020-05-12');
    expect(calendar.nextWorkingDay('2020-03-28', legal)).toBe('2020-03-30');
  });

  it('a term ending on a non-working day moves to the next working day, a working day stays', () => {
    expect(calendar.workingDayOnOrAfter('2021-11-04', legal)).toBe('2021-11-08');
    expect(calendar.workingDayOnOrAfter('2021-11-02', legal)).toBe('2021-11-02');
    expect(calendar.workingDayOnOrAfter('2021-11-02')).toBe('2021-11-08');
    expect(calendar.workingDayOnOrBefore('2021-11-07')).toBe('2021-10-29');
  });

  it('adds working days across the New Year holidays, forwards and back', () => {
    expect(calendar.addWorkingDays('2021-12-30', 1)).toBe('2022-01-10');
    expect(calendar.addWorkingDays('2021-12-30', 2)).toBe('2022-01-11');
    expect(calendar.addWorkingDays('2022-01-10', -1)).toBe('2021-12-30');
    expect(calendar.addWorkingDays('2020-12-30', 3)).toBe('2021-01-12');
    expect(calendar.addWorkingDays('2021-06-01', 0)).toBe('2021-06-01');
  });

  it('previousWorkingDay skips the transferred 31 December 2021', () => {
    expect(calendar.previousWorkingDay('2022-01-10')).toBe('2021-12-30');
  });

  it('counts working days between two dates, after the first up to the last, signed', () => {
    expect(calendar.workingDaysBetween('2021-12-30', '2022-01-10')).toBe(1);
    expect(calendar.workingDaysBetween('2022-01-10', '2021-12-30')).toBe(-1);
    expect(calendar.workingDaysBetween('2021-05-01', '2021-05-14')).toBe(4);
    expect(calendar.workingDaysBetween('2021-05-01', '2021-05-14', legal)).toBe(8);
    expect(calendar.workingDaysBetween('2020-12-31', '2021-12-31', legal)).toBe(officialWorkingDays[2021]);
  });

  it('adding the count between two dates lands on the later one when it is a working day', () => {
    const n = calendar.workingDaysBetween('2021-03-01', '2021-09-30', legal);
    expect(calendar.addWorkingDays('2021-03-01', n, legal)).toBe('2021-09-30');
  });

  it('refuses a year it does not cover with NotFoundError', () => {
    expect(() => calendar.kindOf('2012-06-01')).toThrow(NotFoundError);
    expect(() => calendar.workingDaysIn(2028)).toThrow(/no data for 2028 \(it covers 2013–2027\)/);
    expect(() => calendar.addWorkingDays('2027-12-30', 5)).toThrow(NotFoundError);
  });

  it('refuses a malformed date with ValidationError', () => {
    expect(() => calendar.kindOf('2021-02-30')).toThrow(ValidationError);
    expect(() => calendar.isWorkingDay('01.05.2021')).toThrow(ValidationError);
  });
});

/** A small, valid 2021 file, one key per line, so that line numbers are easy to state. */
const goodFile = [
  '{', // 1
  '  "year": 2021,', // 2
  '  "decree": null,', // 3
  '  "days": [', // 4
  '    { "date": "2021-01-01", "kind": "holiday", "name": "Новогодние каникулы" },', // 5
  '    { "date": "2021-02-20", "kind": "working_weekend" },', // 6
  '    { "date": "2021-02-22", "kind": "transferred_day_off", "from": "2021-02-20" },', // 7
  '    { "date": "2021-11-03", "kind": "shortened" }', // 8
  '  ]', // 9
  '}', // 10
].join('\n');

function withLine(line: number, replacement: string): string {
  const lines = goodFile.split('\n');
  lines[line - 1] = replacement;
  return lines.join('\n');
}

function refusal(text: string, fileName = '2021.json'): ValidationError {
  try {
    parseCalendarYear(text, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected parseCalendarYear to refuse the file');
}

describe('parseCalendarYear', () => {
  it('reads a good file, days in date order', () => {
    const year: CalendarYear = parseCalendarYear(goodFile, '2021.json');
    expect(year.year).toBe(2021);
    expect(year.decree).toBeNull();
    expect(year.days.map((d) => d.kind)).toEqual([
      'holiday',
      'working_weekend',
      'transferred_day_off',
      'shortened',
    ]);
    expect(year.days[2]).toEqual({ date: '2021-02-22', kind: 'transferred_day_off', from: '2021-02-20' });
  });

  it('names the line of malformed JSON', () => {
    const error = refusal(withLine(6, '    { "date": "2021-02-20", "kind": "working_weekend" }'));
    expect(error.problems[0]?.field).toBe('2021.json:7');
    expect(error.problems[0]?.problem).toMatch(/^is not valid JSON/);
  });

  it('names the line of a malformed date', () => {
    const error = refusal(withLine(8, '    { "date": "2021-11-31", "kind": "shortened" }'));
    expect(error.problems).toEqual([
      { field: '2021.json:8', problem: '2021-11-31: date 2021-11-31 is not a real calendar date' },
    ]);
  });

  it('names the line of a date outside the file year', () => {
    const error = refusal(withLine(8, '    { "date": "2022-11-03", "kind": "shortened" }'));
    expect(error.problems).toEqual([
      { field: '2021.json:8', problem: "2022-11-03: is outside the file's year 2021" },
    ]);
  });

  it('names the line of the second of two days with the same date', () => {
    const error = refusal(withLine(8, '    { "date": "2021-02-20", "kind": "working_weekend" }'));
    expect(error.problems).toEqual([
      { field: '2021.json:8', problem: '2021-02-20: is listed twice (first on line 6)' },
    ]);
  });

  it('names the line of an unknown kind', () => {
    const error = refusal(withLine(8, '    { "date": "2021-11-03", "kind": "half_day" }'));
    expect(error.problems[0]?.field).toBe('2021.json:8');
    expect(error.problems[0]?.problem).toMatch(/^kind: must be one of: holiday, transferred_day_off/);
  });

  it('names the line of a working_weekend that is not a Saturday or Sunday', () => {
    const error = refusal(withLine(6, '    { "date": "2021-02-19", "kind": "working_weekend" },'));
    expect(error.problems[0]?.field).toBe('2021.json:6');
    expect(error.problems[0]?.problem).toMatch(/must be a Saturday or a Sunday, and this is a Friday/);
  });

  it('names the line of a transferred_day_off without "from"', () => {
    const error = refusal(withLine(7, '    { "date": "2021-02-22", "kind": "transferred_day_off" },'));
    expect(error.problems[0]?.field).toBe('2021.json:7');
    expect(error.problems[0]?.problem).toMatch(/needs "from"/);
  });

  it('names the line of a year that differs from the file name', () => {
    const error = refusal(goodFile, '2020.json');
    expect(error.problems).toEqual([
      { field: '2020.json:2', problem: 'year 2021 does not match the file name 2020.json' },
    ]);
  });

  it('reports every problem of a file at once', () => {
    const text = withLine(8, '    { "date": "2021-11-06", "kind": "shortened" }').replace(
      '"2021-01-01"',
      '"2021-1-1"',
    );
    const error = refusal(text);
    expect(error.problems.map((p) => p.field)).toEqual(['2021.json:5', '2021.json:8']);
    expect(error.problems[1]?.problem).toMatch(/must fall on Monday to Friday, and this is a Saturday/);
  });
});

describe('loadProductionCalendar', () => {
  it('throws naming the broken file and its line', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'docroute-calendar-'));
    const shipped = await readFile(join(defaultCalendarFolder, '2021.json'), 'utf8');
    await writeFile(join(folder, '2021.json'), shipped);
    await writeFile(
      join(folder, '2022.json'),
      withLine(2, '  "year": 2022,')
        .replace(/2021-/g, '2022-')
        .replace('"2022-02-20", "kind": "working_weekend"', '"2022-02-21", "kind": "working_weekend"'),
    );
    const attempt = loadProductionCalendar(folder);
    await expect(attempt).rejects.toThrow(CalendarFileError);
    await expect(attempt).rejects.toThrow(`${join(folder, '2022.json')}:6: 2022-02-21:`);
  });

  it('refuses a .json not named as a year', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'docroute-calendar-'));
    await writeFile(join(folder, '2028-draft.json'), '{}');
    await expect(loadProductionCalendar(folder)).rejects.toThrow(
      /2028-draft\.json: a calendar file must be named/,
    );
  });

  it('loads an administrator-added year without code', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'docroute-calendar-'));
    await writeFile(join(folder, '2021.json'), goodFile);
    const small = await loadProductionCalendar(folder);
    expect(small.years()).toEqual([2021]);
    expect(small.kindOf('2021-02-20')).toBe('working_weekend');
    expect(small.kindOf('2021-05-04')).toBe('working');
  });
});
