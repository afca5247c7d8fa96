import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  defaultCalendarFolder,
  loadProductionCalendar,
} from '../../functions/adapters/calendar/load-calendar.ts';
import { type Config, parseConfig } from '../../functions/domain/config.ts';
import { type FieldProblem, RuleViolationError, ValidationError } from '../../functions/domain/errors.ts';
import { duplicateKeyOf, validateIncoming as validate } from '../../functions/domain/incoming.ts';
import { seedRequest } from '../support/local-stack.ts';

const config: Config = parseConfig(
  JSON.parse(readFileSync(new URL('../../docroute.config.json', import.meta.url), 'utf8')) as unknown,
);

const calendar = await loadProductionCalendar(defaultCalendarFolder);
const validateIncoming = (raw: unknown, office: Config, at: Date, id: string) =>
  validate(raw, office, at, id, calendar);

/** The morning after the seed letter arrived. */
const now = new Date('2014-06-17T06:00:00.000Z');

function failureOf(raw: unknown, at: Date = now): ValidationError | RuleViolationError {
  try {
    validateIncoming(raw, config, at, 'doc-1');
  } catch (error) {
    if (error instanceof ValidationError || error instanceof RuleViolationError) return error;
    throw error;
  }
  throw new Error('expected validateIncoming to reject the request');
}

function validationProblems(raw: unknown): readonly FieldProblem[] {
  const error = failureOf(raw);
  expect(error).toBeInstanceOf(ValidationError);
  return error.problems;
}

function ruleProblems(raw: unknown, at: Date = now): readonly FieldProblem[] {
  const error = failureOf(raw, at);
  expect(error).toBeInstanceOf(RuleViolationError);
  return error.problems;
}

/** The request with some fields left out. */
function without(raw: Record<string, unknown>, ...fields: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !fields.includes(key)));
}

function problemOn(problems: readonly FieldProblem[], field: string): string | undefined {
  return problems.find((p) => p.field === field)?.problem;
}

describe('validateIncoming: the seed request', () => {
  const draft = validateIncoming(seedRequest(), config, now, 'doc-1');

  it('GIVEN the seed letter received 2014-06-16 09:30 Moscow THEN it is registered under 2014-06-16', () => {
    expect(draft.regDate).toBe('2014-06-16');
  });

  it('normalises receivedAt to a UTC ISO string', () => {
    expect(draft.receivedAt).toBe('2014-06-16T06:30:00.000Z');
  });

  it('goes to the incoming journal under the id passed in, with its duplicate key', () => {
    expect(draft.journal).toBe('incoming');
    expect(draft.id).toBe('doc-1');
    expect(draft.duplicateKey).toBe(duplicateKeyOf(draft));
    expect(draft.duplicateKey).toMatch(/^incoming#[0-9a-f]{64}$/);
  });

  it('keeps the card fields as sent', () => {
    expect(draft.correspondent).toEqual({
      organization: 'Аппарат Правительства Ставропольского края',
      person: 'А.Д. Литовкин',
    });
    expect(draft.theirRef).toEqual({ number: '25-24/6781', date: '2014-06-10' });
    expect(draft.kind).toBe('request');
    expect(draft.channel).toBe('post');
    expect(draft.executor).toBe('plaksina');
  });

  it('GIVEN text with surrounding spaces THEN it is trimmed', () => {
    const trimmed = validateIncoming(seedRequest({ subject: '  О мерах  ' }), config, now, 'doc-2');
    expect(trimmed.subject).toBe('О мерах');
  });

  it('GIVEN a receipt at 23:30 Moscow time given in UTC THEN regDate is the Moscow date, not the UTC one', () => {
    // June 2014: Moscow kept UTC+4, so 20:30Z is 00:30 on the 17th.
    const late = validateIncoming(seedRequest({ receivedAt: '2014-06-16T20:30:00Z' }), config, now, 'doc-3');
    expect(late.regDate).toBe('2014-06-17');
  });

  it('GIVEN their date equal to the date received THEN it is accepted', () => {
    const sameDay = validateIncoming(
      seedRequest({ theirRef: { number: '1', date: '2014-06-16' } }),
      config,
      now,
      'doc-4',
    );
    expect(sameDay.regDate).toBe('2014-06-16');
  });
});

describe('validateIncoming: malformed requests (ValidationError)', () => {
  it('GIVEN missing required fields THEN each is reported as "is required"', () => {
    const raw = without(
      seedRequest({ theirRef: { number: '25-24/6781' }, correspondent: {} }),
      'receivedAt',
      'subject',
    );
    const problems = validationProblems(raw);
    expect(problemOn(problems, 'theirRef.date')).toBe('is required');
    expect(problemOn(problems, 'correspondent.organization')).toBe('is required');
    expect(problemOn(problems, 'receivedAt')).toBe('is required');
    expect(problemOn(problems, 'subject')).toBe('is required');
  });

  it('GIVEN a missing kind THEN the problem is on kind', () => {
    const raw = without(seedRequest(), 'kind');
    expect(validationProblems(raw).map((p) => p.field)).toEqual(['kind']);
  });

  it('GIVEN an unknown kind THEN the allowed kinds are listed', () => {
    expect(problemOn(validationProblems(seedRequest({ kind: 'memo' })), 'kind')).toMatch(
      /^must be one of: request, citizen_appeal, appeal/,
    );
  });

  // Source bug: without `reportInput`, zod drops issue.input, so every wrong type reads "is required".
  it('GIVEN wrong types THEN the problem says what was expected and what came, not "is required"', () => {
    const problems = validationProblems(seedRequest({ subject: 42, pages: '3', correspondent: 'Аппарат' }));
    expect(problemOn(problems, 'subject')).toBe('must be a string, got number');
    expect(problemOn(problems, 'correspondent')).toBe('must be an object, got string');
    expect(problemOn(problems, 'pages')).toMatch(/^must be an? \w+, got string$/);
  });

  it('GIVEN a fractional or zero page count THEN pages is rejected', () => {
    expect(validationProblems(seedRequest({ pages: 2.5 })).map((p) => p.field)).toEqual(['pages']);
    expect(validationProblems(seedRequest({ pages: 0 })).map((p) => p.field)).toEqual(['pages']);
  });

  it('GIVEN their date 2021-02-31 THEN theirRef.date is not a real calendar date', () => {
    const problems = validationProblems(seedRequest({ theirRef: { number: '1', date: '2021-02-31' } }));
    expect(problems).toEqual([{ field: 'theirRef.date', problem: '2021-02-31 is not a real calendar date' }]);
  });

  it('GIVEN their date as 10.06.2014 THEN it asks for YYYY-MM-DD', () => {
    const problems = validationProblems(seedRequest({ theirRef: { number: '1', date: '10.06.2014' } }));
    expect(problemOn(problems, 'theirRef.date')).toBe('must be a date as YYYY-MM-DD');
  });

  it('GIVEN receivedAt without an offset THEN receivedAt asks for a time zone offset', () => {
    const problems = validationProblems(seedRequest({ receivedAt: '2014-06-16T09:30:00' }));
    expect(problems.map((p) => p.field)).toEqual(['receivedAt']);
    expect(problems[0]?.problem).toMatch(/time zone offset/);
  });

  it('GIVEN receivedAt on an impossible day THEN receivedAt is rejected', () => {
    expect(
      validationProblems(seedRequest({ receivedAt: '2021-02-31T09:30:00+03:00' })).map((p) => p.field),
    ).toEqual(['receivedAt']);
  });

  // Source bug: instantProblem accepts any two-digit offset, then calendarDateIn throws a bare RangeError.
  it('GIVEN receivedAt with an impossible offset (+25:00) THEN it is a ValidationError on receivedAt, not a RangeError', () => {
    const error = failureOf(seedRequest({ receivedAt: '2014-06-16T09:30:00+25:00' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.problems.map((p) => p.field)).toEqual(['receivedAt']);
  });

  it('GIVEN a subject of 2001 characters THEN it exceeds the limit; 2000 is fine', () => {
    expect(validationProblems(seedRequest({ subject: 'я'.repeat(2001) }))).toEqual([
      { field: 'subject', problem: 'must be at most 2000 characters' },
    ]);
    expect(
      validateIncoming(seedRequest({ subject: 'я'.repeat(2000) }), config, now, 'doc-5').subject,
    ).toHaveLength(2000);
  });

  it('GIVEN an organisation name over 500 characters THEN correspondent.organization is too long', () => {
    const problems = validationProblems(seedRequest({ correspondent: { organization: 'а'.repeat(501) } }));
    expect(problems).toEqual([
      { field: 'correspondent.organization', problem: 'must be at most 500 characters' },
    ]);
  });

  it('GIVEN unknown extra fields THEN they are named, at the top level and inside nested objects', () => {
    const top = validationProblems(seedRequest({ priority: 'high' }));
    expect(top).toHaveLength(1);
    expect(top[0]?.problem).toBe('unknown field: priority');
    const nested = validationProblems(
      seedRequest({ theirRef: { number: '1', date: '2014-06-10', signedOn: '2014-06-09' } }),
    );
    expect(nested).toEqual([{ field: 'theirRef', problem: 'unknown field: signedOn' }]);
  });

  it('GIVEN empty or blank strings THEN they must not be empty', () => {
    const problems = validationProblems(
      seedRequest({ subject: '', theirRef: { number: '   ', date: '2014-06-10' }, executor: '' }),
    );
    expect(problemOn(problems, 'subject')).toBe('must not be empty');
    expect(problemOn(problems, 'theirRef.number')).toBe('must not be empty');
    expect(problemOn(problems, 'executor')).toBe('must not be empty');
  });

  it('GIVEN several problems at once THEN all are reported', () => {
    const problems = validationProblems(
      seedRequest({
        correspondent: { organization: '' },
        theirRef: { number: '1', date: '2021-02-31' },
        kind: 'memo',
        receivedAt: '2014-06-16T09:30:00',
        extra: true,
      }),
    );
    const fields = problems.map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining(['correspondent.organization', 'theirRef.date', 'kind', 'receivedAt']),
    );
    expect(problems.some((p) => p.problem === 'unknown field: extra')).toBe(true);
    expect(problems.length).toBeGreaterThanOrEqual(5);
  });

  it('GIVEN no body at all THEN it is a ValidationError, not a crash', () => {
    expect(failureOf(undefined)).toBeInstanceOf(ValidationError);
    expect(failureOf([])).toBeInstanceOf(ValidationError);
  });
});

describe('validateIncoming: text as people send it', () => {
  it('GIVEN text in decomposed form THEN it is stored NFC-normalised (й is one code point)', () => {
    const draft = validateIncoming(
      seedRequest({ correspondent: { organization: 'Каменныи\u0306 Брод' }, subject: 'Е\u0308лка' }),
      config,
      now,
      'doc-1',
    );
    expect(draft.correspondent.organization).toBe('Каменный Брод');
    expect(draft.subject).toBe('Ёлка');
  });

  it('GIVEN an organisation of one zero-width space THEN correspondent.organization has nothing visible', () => {
    expect(
      problemOn(
        validationProblems(seedRequest({ correspondent: { organization: '\u200B' } })),
        'correspondent.organization',
      ),
    ).toMatch(/visible/);
  });

  it('GIVEN NUL, a bidi override or a C1 control in any text field THEN that field is named', () => {
    const problems = validationProblems(
      seedRequest({
        subject: 'До\u0000говор',
        correspondent: { organization: 'Мэрия \u202Eабв', person: 'Иванов\u0085' },
        theirRef: { number: '12\u2067', date: '2014-06-10' },
        executor: 'plaksina\u007F',
        addressee: 'Главе\u200F',
        signedBy: 'Петров\u0001',
        attachments: [{ title: '\u2060' }],
        note: 'Текст\uDFFF',
      }),
    );
    expect(problems.map((p) => p.field).sort()).toEqual([
      'addressee',
      'attachments.0.title',
      'correspondent.organization',
      'correspondent.person',
      'executor',
      'note',
      'signedBy',
      'subject',
      'theirRef.number',
    ]);
  });

  it('GIVEN line breaks THEN a subject and a note may have them, a name or a number may not', () => {
    expect(() =>
      validateIncoming(
        seedRequest({ subject: 'О мерах\nпо внедрению', note: 'а\r\n\tб' }),
        config,
        now,
        'doc-1',
      ),
    ).not.toThrow();
    const problems = validationProblems(seedRequest({ correspondent: { organization: 'Мэрия\nгорода' } }));
    expect(problemOn(problems, 'correspondent.organization')).toMatch(/control/);
  });
});

describe('validateIncoming: records-office rules (RuleViolationError)', () => {
  it('GIVEN their letter dated after the day it was received THEN theirRef.date is rejected', () => {
    const problems = ruleProblems(seedRequest({ theirRef: { number: '25-24/6781', date: '2014-06-17' } }));
    expect(problems).toEqual([
      {
        field: 'theirRef.date',
        problem: '2014-06-17 is after the date the document was received (2014-06-16)',
      },
    ]);
  });

  it('GIVEN receivedAt more than 5 minutes in the future THEN it is rejected; within 5 minutes it is tolerated', () => {
    const at = new Date('2014-06-16T06:30:00.000Z'); // the seed receipt instant
    const clockBehind = new Date(at.getTime() - 5 * 60 * 1000);
    expect(validateIncoming(seedRequest(), config, clockBehind, 'doc-6').regDate).toBe('2014-06-16');
    const tooFarBehind = new Date(at.getTime() - 5 * 60 * 1000 - 1000);
    expect(ruleProblems(seedRequest(), tooFarBehind)).toEqual([
      { field: 'receivedAt', problem: 'is in the future' },
    ]);
  });

  it('GIVEN an executor the office does not know THEN executor is rejected', () => {
    expect(ruleProblems(seedRequest({ executor: 'ivanov' }))).toEqual([
      { field: 'executor', problem: "unknown executor 'ivanov'" },
    ]);
  });

  it('GIVEN an executor named like an Object.prototype member THEN it is still unknown', () => {
    expect(ruleProblems(seedRequest({ executor: 'constructor' })).map((p) => p.field)).toEqual(['executor']);
  });

  it('GIVEN every rule broken at once THEN all three are reported', () => {
    const problems = ruleProblems(
      seedRequest({
        theirRef: { number: '1', date: '2030-01-01' },
        receivedAt: '2029-12-31T12:00:00+03:00',
        executor: 'nobody',
      }),
    );
    expect(problems.map((p) => p.field).sort()).toEqual(['executor', 'receivedAt', 'theirRef.date']);
  });
});

describe('duplicateKeyOf', () => {
  const base = {
    correspondent: { organization: 'ООО «Ромашка»' },
    theirRef: { number: '25-24/6781', date: '2014-06-10' },
  };
  const keyOf = (organization: string, number = '25-24/6781', date = '2014-06-10') =>
    duplicateKeyOf({ correspondent: { organization }, theirRef: { number, date } });

  it.each([
    ['straight quotes', 'ООО "Ромашка"'],
    ['no quotes', 'ООО Ромашка'],
    ['„German“ quotes', 'ООО „Ромашка“'],
    ['lower case', 'ооо «ромашка»'],
    ['extra and surrounding whitespace', '  ООО   «Ромашка»\t'],
    ['a non-breaking space', 'ООО\u00a0«Ромашка»'],
  ])('GIVEN the correspondent spelt with %s THEN it is the same letter', (_label, organization) => {
    expect(keyOf(organization)).toBe(duplicateKeyOf(base));
  });

  it('GIVEN ё written as е (either case) THEN it is the same correspondent', () => {
    expect(keyOf('Управление по делам объединённых школ')).toBe(
      keyOf('Управление по делам объединенных школ'),
    );
    expect(keyOf('ЁЛКА')).toBe(keyOf('елка'));
  });

  it('GIVEN spaces inside their number THEN it is the same number', () => {
    expect(keyOf('ООО «Ромашка»', '25-24 / 6781')).toBe(duplicateKeyOf(base));
    expect(keyOf('ООО «Ромашка»', ' 25-24/ 6781 ')).toBe(duplicateKeyOf(base));
  });

  it('GIVEN a different date THEN it is a different letter', () => {
    expect(keyOf('ООО «Ромашка»', '25-24/6781', '2014-06-11')).not.toBe(duplicateKeyOf(base));
  });

  it('GIVEN a different number THEN it is a different letter', () => {
    expect(keyOf('ООО «Ромашка»', '25-24/6782')).not.toBe(duplicateKeyOf(base));
  });

  it('GIVEN a different correspondent THEN it is a different letter', () => {
    expect(keyOf('ООО «Василёк»')).not.toBe(duplicateKeyOf(base));
  });

  it('does not let fields bleed into each other', () => {
    expect(keyOf('a b', 'c')).not.toBe(keyOf('a', 'bc'));
  });
});
