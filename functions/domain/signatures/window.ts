/**
 * Whether a certificate (and its private key) was usable at a moment. Boundaries are inclusive.
 * When only a calendar date is known and a boundary falls on that date in the organisation's zone,
 * the answer depends on the hour nobody gave: indeterminate.
 */
import { isRealDate } from '../calendar-date.ts';
import { ValidationError } from '../errors.ts';
import { instantOfWallTime, isoDateIn, russianDateIn, russianDateTimeIn } from '../time-zone.ts';
import type { Certificate } from './certificate.ts';

export type WindowVerdict =
  | 'valid'
  | 'not_yet_valid'
  | 'expired'
  | 'key_usage_period_exceeded'
  | 'indeterminate'
  | 'unparseable';

/** Where the moment of judgement came from. */
export type TimeSource = 'timestamp' | 'signingTime' | 'asserted' | 'check';

export type Moment =
  | { readonly kind: 'instant'; readonly at: Date }
  /** A calendar date in the organisation's zone, 'YYYY-MM-DD'. */
  | { readonly kind: 'calendarDate'; readonly date: string };

export interface WindowJudgement {
  readonly verdict: Exclude<WindowVerdict, 'unparseable'>;
  readonly reason: string | null;
}

export type CertificatePeriods = Pick<Certificate, 'notBefore' | 'notAfter' | 'privateKeyUsagePeriod'>;

const calendarDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Reads the caller's --at: 'YYYY-MM-DD' (a calendar date in the zone) or an ISO date-time. A
 * date-time without an offset is a wall-clock time in the organisation's zone, as a clerk means it.
 */
export function parseAssertedMoment(at: string, timeZone: string): Moment {
  const invalid = (problem: string) => new ValidationError([{ field: 'at', problem }]);
  const date = calendarDatePattern.exec(at);
  if (date !== null) {
    if (!isRealDate(Number(date[1]), Number(date[2]), Number(date[3]))) {
      throw invalid(`нет такой даты: ${at}`);
    }
    return { kind: 'calendarDate', date: at };
  }
  const m = dateTimePattern.exec(at);
  if (m === null) {
    throw invalid(`ожидалась дата ГГГГ-ММ-ДД или время ГГГГ-ММ-ДДTЧЧ:ММ[:СС][Z|±ЧЧ:ММ], получено «${at}»`);
  }
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(
    Number,
  ) as [number, number, number, number, number, number];
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    throw invalid(`нет такого времени: ${at}`);
  }
  const millisecond = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const zone = m[8];
  if (zone === undefined) {
    return {
      kind: 'instant',
      at: instantOfWallTime({ year, month, day, hour, minute, second }, millisecond, timeZone),
    };
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes =
      (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMinutes * 60_000;
  return { kind: 'instant', at: new Date(utc) };
}

export interface MomentCandidates {
  readonly asserted: Moment | null;
  /** genTime of a CAdES-T timestamp whose imprint was not found to mismatch. */
  readonly timestamp: Date | null;
  readonly signingTime: Date | null;
  readonly now: Date;
}

/**
 * Picks the moment to judge at. An explicit --at wins over everything: it is the caller's own
 * question ("was the certificate valid at T?", e.g. at the date the letter was registered), and
 * answering a different question would mislead; the report still names a timestamp or signingTime
 * when the signature has one. Without --at, a CAdES-T timestamp (a third party's attestation) beats
 * signingTime (the signer's own claim), which beats the time of the check.
 */
export function chooseMoment(candidates: MomentCandidates): { moment: Moment; source: TimeSource } {
  if (candidates.asserted !== null) return { moment: candidates.asserted, source: 'asserted' };
  if (candidates.timestamp !== null) {
    return { moment: { kind: 'instant', at: candidates.timestamp }, source: 'timestamp' };
  }
  if (candidates.signingTime !== null) {
    return { moment: { kind: 'instant', at: candidates.signingTime }, source: 'signingTime' };
  }
  return { moment: { kind: 'instant', at: candidates.now }, source: 'check' };
}

export function describeMoment(moment: Moment, timeZone: string): string {
  if (moment.kind === 'calendarDate') {
    const [year, month, day] = moment.date.split('-');
    return `${day}.${month}.${year}`;
  }
  return `${russianDateTimeIn(moment.at, timeZone)} (${timeZone})`;
}

/** Judges the certificate's validity window and private-key usage period at the moment. */
export function judgeWindow(
  certificate: CertificatePeriods,
  moment: Moment,
  timeZone: string,
): WindowJudgement {
  return moment.kind === 'instant'
    ? judgeAtInstant(certificate, moment.at, timeZone)
    : judgeOnDate(certificate, moment.date, timeZone);
}

function judgeAtInstant(certificate: CertificatePeriods, at: Date, timeZone: string): WindowJudgement {
  const when = describeMoment({ kind: 'instant', at }, timeZone);
  const t = at.getTime();
  if (t < certificate.notBefore.getTime()) {
    return {
      verdict: 'not_yet_valid',
      reason: `На ${when} сертификат ещё не действовал: срок его действия начинается ${russianDateTimeIn(certificate.notBefore, timeZone)}.`,
    };
  }
  if (t > certificate.notAfter.getTime()) {
    return {
      verdict: 'expired',
      reason: `На ${when} срок действия сертификата уже истёк: он закончился ${russianDateTimeIn(certificate.notAfter, timeZone)}.`,
    };
  }
  const period = certificate.privateKeyUsagePeriod;
  const keyStart = period?.notBefore ?? null;
  const keyEnd = period?.notAfter ?? null;
  const tooEarly = keyStart !== null && t < keyStart.getTime();
  if (tooEarly || (keyEnd !== null && t > keyEnd.getTime())) {
    return {
      verdict: 'key_usage_period_exceeded',
      reason: keyPeriodReason(when, keyStart, keyEnd, tooEarly, timeZone),
    };
  }
  return { verdict: 'valid', reason: null };
}

function judgeOnDate(certificate: CertificatePeriods, date: string, timeZone: string): WindowJudgement {
  const when = describeMoment({ kind: 'calendarDate', date }, timeZone);
  const notBefore = isoDateIn(certificate.notBefore, timeZone);
  const notAfter = isoDateIn(certificate.notAfter, timeZone);
  if (date < notBefore) {
    return {
      verdict: 'not_yet_valid',
      reason: `На ${when} сертификат ещё не действовал: срок его действия начинается ${russianDateIn(certificate.notBefore, timeZone)}.`,
    };
  }
  if (date > notAfter) {
    return {
      verdict: 'expired',
      reason: `На ${when} срок действия сертификата уже истёк: он закончился ${russianDateIn(certificate.notAfter, timeZone)}.`,
    };
  }
  const keyStart = certificate.privateKeyUsagePeriod?.notBefore ?? null;
  const keyEnd = certificate.privateKeyUsagePeriod?.notAfter ?? null;
  const keyStartDate = keyStart === null ? null : isoDateIn(keyStart, timeZone);
  const keyEndDate = keyEnd === null ? null : isoDateIn(keyEnd, timeZone);
  const tooEarly = keyStartDate !== null && date < keyStartDate;
  if (tooEarly || (keyEndDate !== null && date > keyEndDate)) {
    return {
      verdict: 'key_usage_period_exceeded',
      reason: keyPeriodReason(when, keyStart, keyEnd, tooEarly, timeZone),
    };
  }
  // A definite "no" above beats an "it depends on the hour" here.
  const boundaries: [string | null, Date | null, string][] = [
    [notBefore, certificate.notBefore, 'начало срока действия сертификата'],
    [notAfter, certificate.notAfter, 'конец срока действия сертификата'],
    [keyStartDate, keyStart, 'начало срока действия закрытого ключа'],
    [keyEndDate, keyEnd, 'конец срока действия закрытого ключа'],
  ];
  const onThatDay = boundaries.filter(([day]) => day === date);
  if (onThatDay.length > 0) {
    const listed = onThatDay
      .map(([, instant, name]) => `${name} — ${russianDateTimeIn(instant as Date, timeZone)}`)
      .join('; ');
    return {
      verdict: 'indeterminate',
      reason: `Известна только дата ${when}, а на этот день приходится ${listed} (${timeZone}); без точного времени ответа нет.`,
    };
  }
  return { verdict: 'valid', reason: null };
}

function keyPeriodReason(
  when: string,
  start: Date | null,
  end: Date | null,
  tooEarly: boolean,
  timeZone: string,
): string {
  const from = start === null ? '' : ` с ${russianDateTimeIn(start, timeZone)}`;
  const to = end === null ? '' : ` по ${russianDateTimeIn(end, timeZone)}`;
  const state = tooEarly ? 'ещё не начался' : 'уже закончился';
  return `На ${when} сертификат действовал, но срок действия закрытого ключа${from}${to} ${state}.`;
}
