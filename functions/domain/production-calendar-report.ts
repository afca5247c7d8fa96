/** A year of the production calendar as the API and the command line give it. */

import type { CalendarDayInfo, CalendarDecree, DayKind, ProductionCalendar } from './production-calendar.ts';

export interface CalendarOfYear {
  readonly year: number;
  readonly decree: CalendarDecree | null;
  /** The production calendar's count: the Covid non-working days of 2020–2021 count as working. */
  readonly workingDays: number;
  /** Days the office was closed although the count has them as working (2020–2021). */
  readonly covidNonWorkingDays: number;
  readonly days: readonly CalendarDayInfo[];
}

export function calendarOfYear(calendar: ProductionCalendar, year: number): CalendarOfYear {
  const days = calendar.days(year);
  return {
    year,
    decree: calendar.year(year).decree,
    workingDays: calendar.workingDaysIn(year),
    covidNonWorkingDays: days.filter((d) => d.kind === 'covid_non_working').length,
    days,
  };
}

export const dayKindNames: Readonly<Record<DayKind, string>> = {
  working: 'рабочий день',
  weekend: 'выходной',
  holiday: 'праздник',
  transferred_day_off: 'перенесённый выходной',
  working_weekend: 'рабочий выходной',
  shortened: 'сокращённый день',
  covid_non_working: 'нерабочий день по указу Президента',
};
