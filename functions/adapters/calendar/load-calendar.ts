import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../../domain/errors.ts';
import {
  type CalendarYear,
  ProductionCalendar,
  parseCalendarYear,
} from '../../domain/production-calendar.ts';

/** A production calendar folder or file that cannot be used, with every problem named by file and line. */
export class CalendarFileError extends Error {
  override readonly name = 'CalendarFileError';
}

/** The shipped calendar: `calendar/ru` at the project root. */
export const defaultCalendarFolder: string = fileURLToPath(new URL('../../../calendar/ru', import.meta.url));

const YEAR_FILE = /^\d{4}\.json$/;

/**
 * Reads every `<year>.json` of the folder into one calendar. Other files are left alone, except a
 * `.json` not named as a year, which is refused: an administrator who named next year's file
 * `2028 .json` should hear of it rather than find the year missing later.
 */
export async function loadProductionCalendar(folder: string): Promise<ProductionCalendar> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    throw new CalendarFileError(
      `${folder}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const misnamed = names.filter((name) => name.endsWith('.json') && !YEAR_FILE.test(name));
  if (misnamed.length > 0) {
    throw new CalendarFileError(
      `${folder}: ${misnamed.join(', ')}: a calendar file must be named <year>.json, like 2021.json`,
    );
  }
  const years: CalendarYear[] = [];
  for (const name of names.filter((entry) => YEAR_FILE.test(entry)).sort()) {
    years.push(await loadYear(join(folder, name), name));
  }
  if (years.length === 0) throw new CalendarFileError(`${folder}: has no <year>.json file`);
  return new ProductionCalendar(years);
}

async function loadYear(path: string, name: string): Promise<CalendarYear> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CalendarFileError(
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return parseCalendarYear(text, name);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const lines = error.problems.map((p) => `  ${join(path, '..', p.field)}: ${p.problem}`);
    throw new CalendarFileError(`${path}: invalid production calendar\n${lines.join('\n')}`);
  }
}
