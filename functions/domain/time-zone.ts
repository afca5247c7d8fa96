/**
 * Calendar dates and wall-clock times in the organisation's time zone. Certificates hold UTC
 * instants; people read dates in their zone (2022-04-20T21:30Z is 21.04.2022 in Moscow).
 */
import { ValidationError } from './errors.ts';

export const defaultTimeZone = 'Europe/Moscow';

interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      throw new ValidationError([{ field: 'timeZone', problem: `неизвестный часовой пояс «${timeZone}»` }]);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws a ValidationError for a zone name Intl does not know. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

export function wallTimeIn(instant: Date, timeZone: string): WallTime {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const yearOfEra = Number(parts.year);
  return {
    year: parts.era === 'BC' ? 1 - yearOfEra : yearOfEra,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** 'YYYY-MM-DD' in the zone: sortable, for comparing calendar dates. */
export function isoDateIn(instant: Date, timeZone: string): string {
  const t = wallTimeIn(instant, timeZone);
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
}

/** 'DD.MM.YYYY' in the zone, as the stamp and Russian documents print dates. */
export function russianDateIn(instant: Date, timeZone: string): string {
  const t = wallTimeIn(instant, timeZone);
  return `${pad(t.day)}.${pad(t.month)}.${pad(t.year, 4)}`;
}

/** 'DD.MM.YYYY HH:MM:SS' in the zone. */
export function russianDateTimeIn(instant: Date, timeZone: string): string {
  const t = wallTimeIn(instant, timeZone);
  return `${pad(t.day)}.${pad(t.month)}.${pad(t.year, 4)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

/** The instant a wall-clock time in the zone names (the earlier one when clocks go back). */
export function instantOfWallTime(wall: WallTime, millisecond: number, timeZone: string): Date {
  const asUtc = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
    wall.second,
    millisecond,
  );
  // Two passes settle the offset, also across a transition.
  let instant = asUtc;
  for (let pass = 0; pass < 2; pass++) {
    const seen = wallTimeIn(new Date(instant), timeZone);
    const seenAsUtc = Date.UTC(
      seen.year,
      seen.month - 1,
      seen.day,
      seen.hour,
      seen.minute,
      seen.second,
      millisecond,
    );
    instant -= seenAsUtc - asUtc;
  }
  return new Date(instant);
}
