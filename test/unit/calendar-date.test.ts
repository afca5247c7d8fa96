import { describe, expect, it } from 'vitest';
import {
  calendarDateIn,
  calendarDateProblem,
  formatRussianDate,
  instantProblem,
  isKnownTimeZone,
  parseInstant,
  yearOf,
} from '../../functions/domain/calendar-date.ts';

const moscow = 'Europe/Moscow';

describe('calendarDateProblem', () => {
  it.each(['2014-06-16', '2021-12-23', '2024-02-29', '2000-02-29', '1900-01-01', '2999-12-31'])(
    'GIVEN the real date %s THEN there is no problem',
    (text) => {
      expect(calendarDateProblem(text)).toBeNull();
    },
  );

  it.each([
    '2021-02-31',
    '2023-02-29',
    '1900-02-29',
    '2021-04-31',
    '2021-13-01',
    '2021-00-10',
    '2021-01-00',
    '2021-01-32',
  ])('GIVEN the impossible date %s THEN it is not a real calendar date', (text) => {
    expect(calendarDateProblem(text)).toBe(`${text} is not a real calendar date`);
  });

  it('GIVEN 29 February THEN only a leap year accepts it', () => {
    expect(calendarDateProblem('2024-02-29')).toBeNull();
    expect(calendarDateProblem('2023-02-29')).not.toBeNull();
  });

  it.each([
    '16.06.2014',
    '2014-6-16',
    '2014/06/16',
    '20140616',
    '2014-06-16T00:00:00Z',
    ' 2014-06-16',
    '',
    'yesterday',
  ])('GIVEN the badly formatted %j THEN it asks for YYYY-MM-DD', (text) => {
    expect(calendarDateProblem(text)).toBe('must be a date as YYYY-MM-DD');
  });

  it.each(['1899-12-31', '3000-01-01', '0001-01-01'])(
    'GIVEN the out-of-range year in %s THEN it is rejected',
    (text) => {
      expect(calendarDateProblem(text)).toBe('must be a year from 1900 to 2999');
    },
  );
});

describe('instantProblem', () => {
  it.each([
    '2014-06-16T09:30:00+03:00',
    '2014-06-16T09:30:00Z',
    '2014-06-16T09:30+03:00',
    '2014-06-16T09:30:00.123+03:00',
    '2014-06-16T09:30:00.123456789-05:00',
    '2024-02-29T23:59:59Z',
  ])('GIVEN the instant %s with an explicit offset THEN there is no problem', (text) => {
    expect(instantProblem(text)).toBeNull();
  });

  it.each([
    '2014-06-16T09:30:00',
    '2014-06-16T09:30',
    '2014-06-16',
    '2014-06-16 09:30:00+03:00',
    '2014-06-16T09:30:00+0300',
  ])('GIVEN %s without a proper offset THEN it asks for an instant with a time zone offset', (text) => {
    expect(instantProblem(text)).toMatch(/time zone offset/);
  });

  it('GIVEN an instant on an impossible date THEN the date is named', () => {
    expect(instantProblem('2021-02-31T10:00:00+03:00')).toBe('2021-02-31 is not a real calendar date');
    expect(instantProblem('2023-02-29T10:00:00Z')).toBe('2023-02-29 is not a real calendar date');
  });

  it.each(['2014-06-16T24:00:00Z', '2014-06-16T23:60:00Z', '2014-06-16T23:59:60Z'])(
    'GIVEN the impossible time of day in %s THEN it is rejected',
    (text) => {
      expect(instantProblem(text)).toBe('has an impossible time of day');
    },
  );

  it('GIVEN an instant in a year out of range THEN it is rejected', () => {
    expect(instantProblem('1899-12-31T23:00:00Z')).toBe('must be a year from 1900 to 2999');
    expect(instantProblem('3000-01-01T00:00:00Z')).toBe('must be a year from 1900 to 2999');
  });

  // Source bug: instantProblem never checks the offset, so these pass and `new Date` yields Invalid Date.
  it.each(['2014-06-16T09:30:00+25:00', '2014-06-16T09:30:00+03:99'])(
    'GIVEN the impossible offset in %s THEN it is rejected (the Date it would make is invalid)',
    (text) => {
      expect(Number.isNaN(new Date(text).getTime())).toBe(true);
      expect(instantProblem(text)).not.toBeNull();
    },
  );
});

describe('parseInstant', () => {
  it('GIVEN an instant with an offset THEN it is the same moment in UTC', () => {
    expect(parseInstant('2014-06-16T09:30:00+03:00').toISOString()).toBe('2014-06-16T06:30:00.000Z');
    expect(parseInstant('2014-06-16T09:30-05:00').toISOString()).toBe('2014-06-16T14:30:00.000Z');
  });

  it('GIVEN an instant without an offset THEN it throws rather than guess the zone', () => {
    expect(() => parseInstant('2014-06-16T09:30:00')).toThrow(RangeError);
  });

  it('GIVEN an impossible date THEN it throws rather than roll over to March', () => {
    expect(() => parseInstant('2021-02-31T10:00:00Z')).toThrow(/not a real calendar date/);
  });
});

describe('calendarDateIn', () => {
  it('GIVEN 2022-04-20T21:30Z WHEN read in Moscow (UTC+3) THEN it is already 21 April', () => {
    expect(calendarDateIn(new Date('2022-04-20T21:30:00Z'), moscow)).toBe('2022-04-21');
    expect(calendarDateIn(new Date('2022-04-20T21:30:00Z'), 'UTC')).toBe('2022-04-20');
  });

  it('GIVEN the last minute before Moscow midnight THEN it is still the same day', () => {
    expect(calendarDateIn(new Date('2022-04-20T20:59:59Z'), moscow)).toBe('2022-04-20');
    expect(calendarDateIn(new Date('2022-04-20T21:00:00Z'), moscow)).toBe('2022-04-21');
  });

  it('GIVEN the seed receipt 2014-06-16T09:30+03:00 THEN the Moscow date is 2014-06-16', () => {
    expect(calendarDateIn(new Date('2014-06-16T09:30:00+03:00'), moscow)).toBe('2014-06-16');
  });

  it('GIVEN June 2014, when Moscow kept UTC+4 THEN 20:30Z is already the next day (zone data, not a fixed +3)', () => {
    expect(calendarDateIn(new Date('2014-06-16T20:30:00Z'), moscow)).toBe('2014-06-17');
    expect(calendarDateIn(new Date('2014-06-16T19:59:00Z'), moscow)).toBe('2014-06-16');
  });

  it('GIVEN 31 December 21:00Z THEN in Moscow it is 1 January and the year changes', () => {
    const date = calendarDateIn(new Date('2022-12-31T21:00:00Z'), moscow);
    expect(date).toBe('2023-01-01');
    expect(yearOf(date)).toBe(2023);
    expect(yearOf(calendarDateIn(new Date('2022-12-31T20:59:00Z'), moscow))).toBe(2022);
  });

  it('GIVEN a zone west of UTC THEN the date can be the previous day', () => {
    expect(calendarDateIn(new Date('2023-01-01T03:00:00Z'), 'America/New_York')).toBe('2022-12-31');
  });
});

describe('isKnownTimeZone', () => {
  it('GIVEN IANA zones THEN they are known', () => {
    expect(isKnownTimeZone('Europe/Moscow')).toBe(true);
    expect(isKnownTimeZone('Asia/Vladivostok')).toBe(true);
  });

  it('GIVEN a made-up zone or an empty string THEN it is unknown', () => {
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});

describe('yearOf', () => {
  it('reads the year of a calendar date', () => {
    expect(yearOf('2021-12-23')).toBe(2021);
  });
});

describe('formatRussianDate', () => {
  it('GIVEN ISO dates THEN they print as DD.MM.YYYY with leading zeros', () => {
    expect(formatRussianDate('2021-12-23')).toBe('23.12.2021');
    expect(formatRussianDate('2014-06-10')).toBe('10.06.2014');
    expect(formatRussianDate('2023-01-01')).toBe('01.01.2023');
  });
});
