/**
 * The Russian production calendar (производственный календарь) as data, and the working-day
 * arithmetic that reads it. Pure: the files are read by the calendar adapter.
 *
 * One file per year, `calendar/ru/<year>.json`. Convention of the files: a day is listed only when
 * it differs from the rule "Saturday and Sunday are days off, Monday to Friday are working days",
 * and every public holiday of Labour Code art. 112 is listed as well, even one on a weekend, so
 * that it carries its name. Kinds of a listed day:
 *
 * - `holiday`: a non-working public holiday of art. 112 (1–8 January, 23 February, 8 March, 1 and
 *   9 May, 12 June, 4 November).
 * - `transferred_day_off`: a weekday off by transfer, with `from`, the day whose day off moved here
 *   (the weekend holiday carried over by art. 112, or the day the Government's decree names).
 * - `working_weekend`: a Saturday or Sunday worked in exchange; `shortened: true` when it is also
 *   the eve of a holiday and one hour shorter.
 * - `shortened`: a working weekday one hour shorter (art. 95, the eve of a holiday).
 * - `covid_non_working`: a weekday the President declared non-working with pay kept (the Covid days
 *   of 2020 and 2021, and in 2020 also the parade day 24 June and the voting day 1 July, declared in
 *   the same way). The Supreme Court held they are not days off for Civil Code art. 193, so legal
 *   deadlines run through them (`covidDaysWork: true`); the office was closed on them. The official
 *   yearly totals count them as working days.
 *
 * Dates are `YYYY-MM-DD` strings and every computation is in UTC calendar days.
 */

import { z } from 'zod';
import { calendarDateProblem } from './calendar-date.ts';
import { ConflictError, type FieldProblem, NotFoundError, ValidationError } from './errors.ts';
import { describeIssue } from './validation.ts';

/** What a day is. `working` and `weekend` are the rule; the others come from the files. */
export type DayKind =
  | 'working'
  | 'weekend'
  | 'holiday'
  | 'transferred_day_off'
  | 'working_weekend'
  | 'shortened'
  | 'covid_non_working';

/** The kinds a file may list. */
export type ListedDayKind = Exclude<DayKind, 'working' | 'weekend'>;

export const listedDayKinds = [
  'holiday',
  'transferred_day_off',
  'working_weekend',
  'shortened',
  'covid_non_working',
] as const satisfies readonly ListedDayKind[];

export interface CalendarDecree {
  readonly number: string;
  readonly date: string;
  readonly title: string;
}

export interface CalendarDay {
  readonly date: string;
  readonly kind: ListedDayKind;
  /** The holiday's name. */
  readonly name?: string;
  /** Free text: the act behind the day, where the day off went. */
  readonly note?: string;
  /** For a transferred day off: the day whose day off moved here. */
  readonly from?: string;
  /** For a working weekend day: also one hour shorter. */
  readonly shortened?: boolean;
}

export interface CalendarYear {
  readonly year: number;
  /** The Government's decree on the year's transfers, or null when it is not known. */
  readonly decree: CalendarDecree | null;
  readonly days: readonly CalendarDay[];
}

/** One day of a year as {@link ProductionCalendar.days} lists it. */
export interface CalendarDayInfo {
  readonly date: string;
  readonly kind: DayKind;
  readonly shortened: boolean;
  readonly name?: string;
  readonly note?: string;
  readonly from?: string;
}

export interface WorkingDayOptions {
  /**
   * Whether the President's non-working days count as working days. True for legal deadlines
   * (Civil Code art. 193, as the Supreme Court read it); false (the default) for the office being
   * open.
   */
  readonly covidDaysWork?: boolean;
}

// ─── Parsing a year's file ──────────────────────────────────────────────────────────────────────

const dayText = z.string().trim().min(1).max(300);

const daySchema = z.strictObject({
  date: z.string(),
  kind: z.enum(listedDayKinds),
  name: dayText.optional(),
  note: dayText.optional(),
  from: z.string().optional(),
  shortened: z.boolean().optional(),
});

const yearSchema = z.strictObject({
  year: z.int().min(1900).max(2999),
  decree: z
    .strictObject({
      number: z.string().trim().min(1).max(40),
      date: z.string(),
      title: z.string().trim().min(1).max(500),
    })
    .nullable(),
  days: z.array(daySchema),
});

const FILE_NAME = /(?:^|[\\/])(\d{4})\.json$/;
const WEEKDAY_KINDS: readonly ListedDayKind[] = ['transferred_day_off', 'shortened', 'covid_non_working'];

/**
 * Reads one year's file. Every problem names `<fileName>:<line>`: the line of the day at fault,
 * found by looking for its `"date": "…"` in the text, or of the top-level key.
 */
export function parseCalendarYear(text: string, fileName: string): CalendarYear {
  const lines = new LineFinder(text);
  const at = (line: number) => `${baseName(fileName)}:${line}`;

  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new ValidationError([
      { field: at(lines.ofSyntaxError(message)), problem: `is not valid JSON (${message})` },
    ]);
  }

  const result = yearSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const rawDays = Array.isArray((raw as { days?: unknown } | null)?.days)
      ? ((raw as { days: unknown[] }).days as unknown[])
      : [];
    const problems = result.error.issues.map((issue): FieldProblem => {
      const [head, index, key] = issue.path;
      if (head === 'days' && typeof index === 'number') {
        const day = rawDays[index] as { date?: unknown } | undefined;
        const date = typeof day?.date === 'string' ? day.date : undefined;
        const label = key === undefined ? `day ${index + 1}` : String(key);
        return { field: at(lines.ofDay(rawDays, index, date)), problem: `${label}: ${describeIssue(issue)}` };
      }
      const label = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the file';
      return { field: at(lines.ofKey(String(head ?? ''))), problem: `${label}: ${describeIssue(issue)}` };
    });
    throw new ValidationError(problems);
  }

  const parsed = result.data;
  const problems: FieldProblem[] = [];
  const nameYear = FILE_NAME.exec(fileName)?.[1];
  if (nameYear === undefined) {
    problems.push({ field: at(1), problem: 'the file must be named <year>.json, like 2021.json' });
  } else if (Number(nameYear) !== parsed.year) {
    problems.push({
      field: at(lines.ofKey('year')),
      problem: `year ${parsed.year} does not match the file name ${baseName(fileName)}`,
    });
  }
  if (parsed.decree !== null) {
    const problem = calendarDateProblem(parsed.decree.date);
    if (problem !== null)
      problems.push({ field: at(lines.ofKey('decree')), problem: `decree.date ${problem}` });
  }

  const firstLineOf = new Map<string, number>();
  parsed.days.forEach((day, index) => {
    const line = lines.ofDay(parsed.days, index, day.date);
    const problem = dayProblem(day, parsed.year);
    if (problem !== null) {
      problems.push({ field: at(line), problem: `${day.date}: ${problem}` });
      return;
    }
    const first = firstLineOf.get(day.date);
    if (first !== undefined) {
      problems.push({ field: at(line), problem: `${day.date}: is listed twice (first on line ${first})` });
      return;
    }
    firstLineOf.set(day.date, line);
  });
  if (problems.length > 0) throw new ValidationError(problems);

  const days = parsed.days.map((day): CalendarDay => {
    const out: { -readonly [K in keyof CalendarDay]: CalendarDay[K] } = { date: day.date, kind: day.kind };
    if (day.name !== undefined) out.name = day.name;
    if (day.note !== undefined) out.note = day.note;
    if (day.from !== undefined) out.from = day.from;
    if (day.shortened !== undefined) out.shortened = day.shortened;
    return out;
  });
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { year: parsed.year, decree: parsed.decree, days };
}

/** Why one listed day cannot stand, or null. */
function dayProblem(day: z.infer<typeof daySchema>, year: number): string | null {
  const dateProblem = calendarDateProblem(day.date);
  if (dateProblem !== null) return `date ${dateProblem}`;
  if (Number(day.date.slice(0, 4)) !== year) return `is outside the file's year ${year}`;
  const weekend = isSaturdayOrSunday(day.date);
  if (day.kind === 'working_weekend' && !weekend)
    return `a working_weekend day must be a Saturday or a Sunday, and this is a ${weekdayName(day.date)}`;
  if (WEEKDAY_KINDS.includes(day.kind) && weekend)
    return `a ${day.kind} day must fall on Monday to Friday, and this is a ${weekdayName(day.date)}`;
  if (day.kind === 'transferred_day_off') {
    if (day.from === undefined) return 'a transferred_day_off needs "from", the day whose day off moved here';
    const fromProblem = calendarDateProblem(day.from);
    if (fromProblem !== null) return `from ${fromProblem}`;
    if (day.from === day.date) return 'from must be another day';
  } else if (day.from !== undefined) {
    return `"from" belongs only to a transferred_day_off, not to a ${day.kind}`;
  }
  if (day.shortened !== undefined && day.kind !== 'working_weekend')
    return `"shortened" belongs only to a working_weekend (a shortened weekday is kind "shortened")`;
  if (day.name !== undefined && day.kind !== 'holiday') return `"name" belongs only to a holiday`;
  return null;
}

/** Line numbers of things in a file's text, found by plain scanning. */
class LineFinder {
  private readonly lineStarts: number[] = [0];
  private readonly daysAt: number;

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
    const days = /"days"\s*:/.exec(text);
    this.daysAt = days?.index ?? 0;
  }

  lineOf(position: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((this.lineStarts[middle] ?? 0) <= position) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  /** The line of a top-level key, or line 1. */
  ofKey(key: string): number {
    const match = new RegExp(`"${escapeRegExp(key)}"\\s*:`).exec(this.text);
    return match === null ? 1 : this.lineOf(match.index);
  }

  /**
   * The line of `days[index]`: the n-th `"date": "<date>"` after the `"days"` key, n counting the
   * earlier days with the same date (so a duplicate is found on its own line). A day without a
   * readable date falls back to the line of `"days"`.
   */
  ofDay(days: readonly unknown[], index: number, date: string | undefined): number {
    if (date === undefined) return this.lineOf(this.daysAt);
    let earlier = 0;
    for (let i = 0; i < index; i++) if ((days[i] as { date?: unknown } | undefined)?.date === date) earlier++;
    const pattern = new RegExp(`"date"\\s*:\\s*"${escapeRegExp(date)}"`, 'g');
    pattern.lastIndex = this.daysAt;
    let match: RegExpExecArray | null = pattern.exec(this.text);
    for (let n = 0; match !== null && n < earlier; n++) match = pattern.exec(this.text);
    return this.lineOf(match?.index ?? this.daysAt);
  }

  /** The line a JSON.parse error points at: from its "line N" or "position N", else the last line. */
  ofSyntaxError(message: string): number {
    const line = /\bline (\d+)/.exec(message);
    if (line?.[1] !== undefined) return Number(line[1]);
    const position = /\bposition (\d+)/.exec(message);
    if (position?.[1] !== undefined) return this.lineOf(Number(position[1]));
    return this.lineStarts.length;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}

// ─── UTC calendar-day arithmetic ────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;

function toDayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The date `n` calendar days after `date` (before, when negative). */
export function addCalendarDays(date: string, n: number): string {
  return fromDayNumber(toDayNumber(date) + n);
}

function isSaturdayOrSunday(date: string): boolean {
  const weekday = new Date(toDayNumber(date) * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function weekdayName(date: string): string {
  return WEEKDAY_NAMES[new Date(toDayNumber(date) * DAY_MS).getUTCDay()] ?? 'day';
}

// ─── The calendar ───────────────────────────────────────────────────────────────────────────────

/** The production calendar of the years it was given; asking about any other year is NotFoundError. */
export class ProductionCalendar {
  private readonly listed = new Map<string, CalendarDay>();
  private readonly byYear = new Map<number, CalendarYear>();

  constructor(years: readonly CalendarYear[]) {
    for (const year of years) {
      if (this.byYear.has(year.year))
        throw new ConflictError(`the production calendar has ${year.year} twice`);
      this.byYear.set(year.year, year);
      for (const day of year.days) this.listed.set(day.date, day);
    }
  }

  /** The years covered, in order. */
  years(): number[] {
    return [...this.byYear.keys()].sort((a, b) => a - b);
  }

  covers(year: number): boolean {
    return this.byYear.has(year);
  }

  /** The year's data as its file gave it (decree included). */
  year(year: number): CalendarYear {
    return this.yearData(year);
  }

  kindOf(date: string): DayKind {
    this.checkDate(date);
    const day = this.listed.get(date);
    if (day !== undefined) return day.kind;
    return isSaturdayOrSunday(date) ? 'weekend' : 'working';
  }

  /** One hour shorter: a `shortened` weekday or a shortened working weekend day. */
  isShortened(date: string): boolean {
    const kind = this.kindOf(date);
    return kind === 'shortened' || (kind === 'working_weekend' && this.listed.get(date)?.shortened === true);
  }

  isWorkingDay(date: string, options: WorkingDayOptions = {}): boolean {
    const kind = this.kindOf(date);
    if (kind === 'covid_non_working') return options.covidDaysWork === true;
    return kind === 'working' || kind === 'working_weekend' || kind === 'shortened';
  }

  /** The first working day after `date` (never `date` itself). */
  nextWorkingDay(date: string, options: WorkingDayOptions = {}): string {
    return this.step(date, 1, options);
  }

  /** The last working day before `date` (never `date` itself). */
  previousWorkingDay(date: string, options: WorkingDayOptions = {}): string {
    return this.step(date, -1, options);
  }

  /** `date` when it is a working day, else the next one: the end of a term under Civil Code art. 193. */
  workingDayOnOrAfter(date: string, options: WorkingDayOptions = {}): string {
    return this.isWorkingDay(date, options) ? date : this.nextWorkingDay(date, options);
  }

  /** `date` when it is a working day, else the one before: an internal control date moved back. */
  workingDayOnOrBefore(date: string, options: WorkingDayOptions = {}): string {
    return this.isWorkingDay(date, options) ? date : this.previousWorkingDay(date, options);
  }

  /**
   * The working day `n` working days after `date` (before, when `n` is negative), counting from the
   * day after: `addWorkingDays(d, 1)` is `nextWorkingDay(d)`. `n = 0` gives `date` back unchanged.
   */
  addWorkingDays(date: string, n: number, options: WorkingDayOptions = {}): string {
    if (!Number.isSafeInteger(n))
      throw new ValidationError([{ field: 'n', problem: 'must be a whole number' }]);
    this.checkDate(date);
    let current = date;
    const direction = n < 0 ? -1 : 1;
    for (let left = Math.abs(n); left > 0; left--) current = this.step(current, direction, options);
    return current;
  }

  /**
   * The working days after `from` up to and including `to`; negative, counted the same way from
   * `to`, when `to` is before `from`. So `addWorkingDays(from, workingDaysBetween(from, to))` is `to`
   * whenever `to` is a working day.
   */
  workingDaysBetween(from: string, to: string, options: WorkingDayOptions = {}): number {
    this.checkDate(from);
    this.checkDate(to);
    if (to < from) return -this.workingDaysBetween(to, from, options);
    let count = 0;
    for (let day = addCalendarDays(from, 1); day <= to; day = addCalendarDays(day, 1))
      if (this.isWorkingDay(day, options)) count++;
    return count;
  }

  /** Every day of the year, with its kind. */
  days(year: number): CalendarDayInfo[] {
    this.yearData(year);
    const out: CalendarDayInfo[] = [];
    for (let day = `${year}-01-01`; day.startsWith(`${year}-`); day = addCalendarDays(day, 1)) {
      const listed = this.listed.get(day);
      const info: { -readonly [K in keyof CalendarDayInfo]: CalendarDayInfo[K] } = {
        date: day,
        kind: this.kindOf(day),
        shortened: this.isShortened(day),
      };
      if (listed?.name !== undefined) info.name = listed.name;
      if (listed?.note !== undefined) info.note = listed.note;
      if (listed?.from !== undefined) info.from = listed.from;
      out.push(info);
    }
    return out;
  }

  /**
   * The year's working days as the production calendar counts them, the President's non-working
   * days included (the official totals count them: 247 in 2021, 248 in 2020).
   */
  workingDaysIn(year: number): number {
    return this.days(year).filter((day) => this.isWorkingDay(day.date, { covidDaysWork: true })).length;
  }

  private step(date: string, direction: 1 | -1, options: WorkingDayOptions): string {
    this.checkDate(date);
    let day = addCalendarDays(date, direction);
    while (!this.isWorkingDay(day, options)) day = addCalendarDays(day, direction);
    return day;
  }

  private yearData(year: number): CalendarYear {
    const data = this.byYear.get(year);
    if (data === undefined) {
      const years = this.years();
      const range = years.length === 0 ? 'no year at all' : `${years[0]}–${years[years.length - 1]}`;
      throw new NotFoundError(`the production calendar has no data for ${year} (it covers ${range})`);
    }
    return data;
  }

  private checkDate(date: string): void {
    const problem = calendarDateProblem(date);
    if (problem !== null) throw new ValidationError([{ field: 'date', problem: `${date}: ${problem}` }]);
    this.yearData(Number(date.slice(0, 4)));
  }
}
