import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/domain/errors.ts';
import {
  type CertificatePeriods,
  chooseMoment,
  judgeWindow,
  type Moment,
  parseAssertedMoment,
} from '../../../functions/domain/signatures/window.ts';

const moscow = 'Europe/Moscow';
const at = (iso: string): Moment => ({ kind: 'instant', at: new Date(iso) });
const onDate = (date: string): Moment => ({ kind: 'calendarDate', date });

const seed: CertificatePeriods = {
  notBefore: new Date('2021-01-20T06:00:00Z'),
  notAfter: new Date('2022-04-20T21:30:00Z'),
  privateKeyUsagePeriod: null,
};
const withKeyPeriod: CertificatePeriods = {
  notBefore: new Date('2021-01-20T06:00:00Z'),
  notAfter: new Date('2023-01-20T06:00:00Z'),
  privateKeyUsagePeriod: {
    notBefore: new Date('2021-01-20T06:00:00Z'),
    notAfter: new Date('2022-01-20T06:00:00Z'),
  },
};

describe('judgeWindow at an instant', () => {
  it.each([
    ['2021-01-20T05:59:59.999Z', 'not_yet_valid'],
    ['2021-01-20T06:00:00.000Z', 'valid'],
    ['2021-12-23T07:15:00.000Z', 'valid'],
    ['2022-04-20T21:30:00.000Z', 'valid'],
    ['2022-04-20T21:30:00.001Z', 'expired'],
  ])('at %s: %s (boundaries inclusive)', (instant, verdict) => {
    expect(judgeWindow(seed, at(instant), moscow).verdict).toBe(verdict);
  });

  it.each([
    ['2022-01-20T06:00:00Z', 'valid'],
    ['2022-01-20T06:00:01Z', 'key_usage_period_exceeded'],
    ['2022-06-01T10:00:00Z', 'key_usage_period_exceeded'],
    ['2023-01-20T06:00:01Z', 'expired'],
  ])('with a key period, at %s: %s', (instant, verdict) => {
    expect(judgeWindow(withKeyPeriod, at(instant), moscow).verdict).toBe(verdict);
  });

  it('honours a key period that starts later than the certificate', () => {
    const late: CertificatePeriods = {
      ...seed,
      privateKeyUsagePeriod: { notBefore: new Date('2021-02-01T00:00:00Z'), notAfter: null },
    };
    const judgement = judgeWindow(late, at('2021-01-25T00:00:00Z'), moscow);
    expect(judgement.verdict).toBe('key_usage_period_exceeded');
    expect(judgement.reason).toMatch(/ещё не начался/);
  });

  it('explains each verdict with dates in the zone', () => {
    expect(judgeWindow(seed, at('2022-04-20T21:31:00Z'), moscow).reason).toBe(
      'На 21.04.2022 00:31:00 (Europe/Moscow) срок действия сертификата уже истёк: он закончился 21.04.2022 00:30:00.',
    );
    expect(judgeWindow(seed, at('2020-01-01T00:00:00Z'), moscow).reason).toMatch(
      /ещё не действовал.*20\.01\.2021 09:00:00/,
    );
    expect(judgeWindow(withKeyPeriod, at('2022-06-01T10:00:00Z'), moscow).reason).toMatch(
      /закрытого ключа с 20\.01\.2021 09:00:00 по 20\.01\.2022 09:00:00 уже закончился/,
    );
    expect(judgeWindow(seed, at('2021-06-01T00:00:00Z'), moscow).reason).toBeNull();
  });
});

describe('judgeWindow on a calendar date', () => {
  it.each([
    ['2021-01-19', 'not_yet_valid'],
    ['2021-01-20', 'indeterminate'],
    ['2021-01-21', 'valid'],
    ['2022-04-20', 'valid'], // 20.04 ends at 21:00Z, before notAfter
    ['2022-04-21', 'indeterminate'], // notAfter is 00:30 on 21.04 in Moscow
    ['2022-04-22', 'expired'],
  ])('%s in Moscow: %s', (date, verdict) => {
    expect(judgeWindow(seed, onDate(date), moscow).verdict).toBe(verdict);
  });

  it('uses the zone: in UTC notAfter falls on 20.04', () => {
    expect(judgeWindow(seed, onDate('2022-04-20'), 'UTC').verdict).toBe('indeterminate');
    expect(judgeWindow(seed, onDate('2022-04-21'), 'UTC').verdict).toBe('expired');
  });

  it('treats key-period boundaries the same way, and a definite "no" beats "it depends"', () => {
    expect(judgeWindow(withKeyPeriod, onDate('2022-01-20'), moscow).verdict).toBe('indeterminate');
    expect(judgeWindow(withKeyPeriod, onDate('2022-01-21'), moscow).verdict).toBe(
      'key_usage_period_exceeded',
    );
    const sameDay: CertificatePeriods = {
      ...withKeyPeriod,
      privateKeyUsagePeriod: { notBefore: null, notAfter: new Date('2021-01-19T06:00:00Z') },
    };
    expect(judgeWindow(sameDay, onDate('2021-01-20'), moscow).verdict).toBe('key_usage_period_exceeded');
  });

  it('names the boundary that falls on the day', () => {
    expect(judgeWindow(seed, onDate('2022-04-21'), moscow).reason).toBe(
      'Известна только дата 21.04.2022, а на этот день приходится конец срока действия сертификата — 21.04.2022 00:30:00 (Europe/Moscow); без точного времени ответа нет.',
    );
  });
});

describe('parseAssertedMoment', () => {
  it('reads a calendar date', () => {
    expect(parseAssertedMoment('2022-04-21', moscow)).toEqual(onDate('2022-04-21'));
  });

  it('reads instants with Z, with an offset and with fractions', () => {
    expect(parseAssertedMoment('2022-04-20T21:30:00Z', moscow)).toEqual(at('2022-04-20T21:30:00Z'));
    expect(parseAssertedMoment('2022-04-21T00:30:00+03:00', moscow)).toEqual(at('2022-04-20T21:30:00Z'));
    expect(parseAssertedMoment('2022-04-21T00:30:00.5+0300', moscow)).toEqual(at('2022-04-20T21:30:00.500Z'));
    expect(parseAssertedMoment('2022-04-20T21:30Z', moscow)).toEqual(at('2022-04-20T21:30:00Z'));
  });

  it('reads a time without an offset as wall-clock time in the zone', () => {
    expect(parseAssertedMoment('2022-04-21T00:30:00', moscow)).toEqual(at('2022-04-20T21:30:00Z'));
    expect(parseAssertedMoment('2022-04-21T00:30:00', 'UTC')).toEqual(at('2022-04-21T00:30:00Z'));
    // Moscow was UTC+4 in 2012.
    expect(parseAssertedMoment('2012-06-01T12:00', moscow)).toEqual(at('2012-06-01T08:00:00Z'));
  });

  it.each(['вчера', '2022-02-30', '2022-13-01T00:00:00Z', '2022-04-21T24:00:00Z', '21.04.2022', ''])(
    'rejects %j with a ValidationError on the field at',
    (text) => {
      try {
        parseAssertedMoment(text, moscow);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).problems[0]?.field).toBe('at');
      }
    },
  );
});

describe('chooseMoment', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  const timestamp = new Date('2021-12-23T07:15:03Z');
  const signingTime = new Date('2021-12-23T07:15:00Z');
  const asserted = onDate('2021-12-24');

  it('lets an explicit --at win: it is the question asked', () => {
    expect(chooseMoment({ asserted, timestamp, signingTime, now })).toEqual({
      moment: asserted,
      source: 'asserted',
    });
  });

  it('prefers a timestamp to signingTime, and signingTime to the time of the check', () => {
    expect(chooseMoment({ asserted: null, timestamp, signingTime, now })).toEqual({
      moment: at(timestamp.toISOString()),
      source: 'timestamp',
    });
    expect(chooseMoment({ asserted: null, timestamp: null, signingTime, now }).source).toBe('signingTime');
    expect(chooseMoment({ asserted: null, timestamp: null, signingTime: null, now })).toEqual({
      moment: at(now.toISOString()),
      source: 'check',
    });
  });
});
