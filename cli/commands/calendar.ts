import { parseArgs } from 'node:util';
import {
  CalendarFileError,
  defaultCalendarFolder,
  loadProductionCalendar,
} from '../../functions/adapters/calendar/load-calendar.ts';
import { formatRussianDate } from '../../functions/domain/calendar-date.ts';
import { calendarOfYear, dayKindNames } from '../../functions/domain/production-calendar-report.ts';
import { type Command, UsageError } from '../io.ts';

/**
 * `docroute calendar <year> [--json] [--folder DIR]`: the production calendar of a year: its
 * decree, the count of working days, and every day that is not as the week has it (or, with
 * --json, every day with its kind).
 */
export const calendar: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, folder: { type: 'string' } },
  });
  const [yearText, ...extra] = positionals;
  if (yearText === undefined || extra.length > 0 || !/^\d{4}$/.test(yearText))
    throw new UsageError('give one four-digit year: docroute calendar 2021 [--json]');
  const production = await loadProductionCalendar(values.folder ?? defaultCalendarFolder).catch(
    (error: unknown) => {
      throw error instanceof CalendarFileError ? new UsageError(error.message) : error;
    },
  );
  const year = Number(yearText);
  if (!production.covers(year))
    throw new UsageError(
      `the production calendar has no ${year}; it has ${production.years().join(', ')} (add calendar/ru/${year}.json)`,
    );
  const report = calendarOfYear(production, year);
  if (values.json) {
    io.out(JSON.stringify(report, null, 2));
    return 0;
  }
  const decree =
    report.decree === null
      ? 'decree unknown'
      : `${report.decree.title} от ${formatRussianDate(report.decree.date)} № ${report.decree.number}`;
  io.out(`Производственный календарь ${year}: рабочих дней ${report.workingDays} (${decree})`);
  for (const day of report.days.filter((d) => d.kind !== 'working' && d.kind !== 'weekend'))
    io.out(
      `  ${day.date}  ${dayKindNames[day.kind]}${day.name ? `: ${day.name}` : ''}${day.from ? ` (перенос с ${day.from})` : ''}${day.shortened && day.kind !== 'shortened' ? ', сокращённый' : ''}`,
    );
  return 0;
};
