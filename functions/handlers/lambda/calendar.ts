import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultCalendarFolder, loadProductionCalendar } from '../../adapters/calendar/load-calendar.ts';
import { besideBundle, type DepFactory, once } from './factory.ts';

/** The calendar folder beside the bundle (infra/aws copies `calendar` there), else the project's. */
function calendarFolder(): string {
  const beside = fileURLToPath(besideBundle('calendar/ru'));
  return existsSync(beside) ? beside : defaultCalendarFolder;
}

export const calendar: DepFactory<'calendar'> = once(() => loadProductionCalendar(calendarFolder()));
