/**
 * Calendar dates and instants. The API speaks ISO 8601; instants are stored in UTC; a registration
 * date is the calendar date of an instant in the organisation's time zone.
 */

import { assertTimeZone, isoDateIn } from './time-zone.ts';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

export function isRealDate(year: number, month: number, day: number): boolean {
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** Why `text` is not a real `YYYY-MM-DD` date, or null when it is one. */
export function calendarDateProblem(text: string): string | null {
  const match = CALENDAR_DATE.exec(text);
  if (!match) return 'must be a date as YYYY-MM-DD';
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  if (y < 1900 || y > 2999) return 'must be a year from 1900 to 2999';
  if (!isRealDate(y, m, d)) return `${text} is not a real calendar date`;
  return null;
}

/** Why `text` is not an ISO 8601 instant with an explicit offset, or null when it is one. */
export function instantProblem(text: string): string | null {
  const match = INSTANT.exec(text);
  if (!match)
    return 'must be an ISO 8601 date and time with a time zone offset, like 2014-06-16T09:30:00+03:00';
  const [, y, mo, d, h, mi, s, , , offsetHours, offsetMinutes] = match;
  const year = Number(y);
  if (year < 1900 || year > 2999) return 'must be a year from 1900 to 2999';
  if (!isRealDate(year, Number(mo), Number(d))) return `${y}-${mo}-${d} is not a real calendar date`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return 'has an impossible time of day';
  if (Number(offsetHours ?? 0) > 23 || Number(offsetMinutes ?? 0) > 59)
    return 'has an impossible time zone offset';
  return null;
}

/** Parses an instant already checked by {@link instantProblem}. */
export function parseInstant(text: string): Date {
  const problem = instantProblem(text);
  if (problem !== null) throw new RangeError(`${text}: ${problem}`);
  return new Date(text);
}

/** True when the runtime knows the IANA zone (Europe/Moscow and the like). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    assertTimeZone(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (`YYYY-MM-DD`) of an instant in a time zone. */
export const calendarDateIn = isoDateIn;

export function yearOf(calendarDate: string): number {
  return Number(calendarDate.slice(0, 4));
}

/** `23.12.2021`: the numeric form printed on documents. */
export function formatRussianDate(calendarDate: string): string {
  const [y, m, d] = calendarDate.split('-');
  return `${d}.${m}.${y}`;
}
