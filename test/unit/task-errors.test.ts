import { describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError, ValidationError } from '../../functions/domain/errors.ts';
import { decodeTaskCause, encodeTaskError } from '../../functions/domain/task-failure.ts';

/** What Step Functions puts in Cause when a Lambda task throws `error`. */
function lambdaCause(error: Error): string {
  return JSON.stringify({
    errorType: error.name,
    errorMessage: error.message,
    trace: ['at task (task.ts:1:1)'],
  });
}

const problems = [
  { field: 'theirRef.date', problem: '2021-02-31 is not a real calendar date' },
  { field: 'kind', problem: 'is required' },
];

describe('encodeTaskError', () => {
  it('GIVEN a ValidationError THEN the name stays ValidationError (what Retry/Catch match) and the message carries the problems', () => {
    const source = new ValidationError(problems);
    const encoded = encodeTaskError(source);
    expect(encoded).toBeInstanceOf(Error);
    expect(encoded.name).toBe('ValidationError');
    expect(JSON.parse(encoded.message)).toEqual({ message: source.message, problems });
  });

  it('GIVEN a RuleViolationError THEN its name and problems are kept', () => {
    const encoded = encodeTaskError(
      new RuleViolationError([{ field: 'executor', problem: "unknown executor 'x'" }]),
    );
    expect(encoded.name).toBe('RuleViolationError');
    expect(JSON.parse(encoded.message)).toMatchObject({ problems: [{ field: 'executor' }] });
  });

  it('GIVEN an error without problems THEN only the message travels', () => {
    const encoded = encodeTaskError(new ConflictError('number 07-04/11180 is already taken'));
    expect(encoded.name).toBe('ConflictError');
    expect(JSON.parse(encoded.message)).toEqual({ message: 'number 07-04/11180 is already taken' });
  });

  it('GIVEN a plain TypeError THEN its built-in name is kept', () => {
    expect(encodeTaskError(new TypeError('x is undefined')).name).toBe('TypeError');
  });

  it('GIVEN something thrown that is not an Error THEN it becomes an Error with its text', () => {
    const encoded = encodeTaskError('boom');
    expect(encoded.name).toBe('Error');
    expect(JSON.parse(encoded.message)).toEqual({ message: 'boom' });
  });

  it('GIVEN an error whose problems is not an array THEN it is not passed along', () => {
    const odd = Object.assign(new Error('odd'), { problems: 'not a list' });
    expect(JSON.parse(encodeTaskError(odd).message)).toEqual({ message: 'odd' });
  });
});

describe('decodeTaskCause', () => {
  it('GIVEN the Lambda shape {errorType, errorMessage: <json>, trace} THEN message and problems come back', () => {
    const source = new ValidationError(problems);
    expect(decodeTaskCause(lambdaCause(encodeTaskError(source)))).toEqual({
      message: source.message,
      problems,
    });
  });

  it('GIVEN the Lambda shape of an error without problems THEN only the message comes back', () => {
    const cause = lambdaCause(encodeTaskError(new ConflictError('taken')));
    const decoded = decodeTaskCause(cause);
    expect(decoded).toEqual({ message: 'taken' });
    expect('problems' in decoded).toBe(false);
  });

  it('GIVEN a bare JSON message THEN it is read directly', () => {
    expect(decodeTaskCause(JSON.stringify({ message: 'bad input', problems }))).toEqual({
      message: 'bad input',
      problems,
    });
    expect(decodeTaskCause('{"message":"only text"}')).toEqual({ message: 'only text' });
  });

  it('GIVEN the Lambda shape whose errorMessage is plain text (an error we did not encode) THEN that text is the message', () => {
    const cause = JSON.stringify({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: 1 Error: Runtime exited',
      trace: [],
    });
    expect(decodeTaskCause(cause)).toEqual({ message: 'RequestId: 1 Error: Runtime exited' });
  });

  it('GIVEN problems that are not a list THEN they are dropped', () => {
    expect(decodeTaskCause(JSON.stringify({ message: 'm', problems: 'oops' }))).toEqual({ message: 'm' });
  });

  it.each([
    'States.Timeout: task timed out',
    '',
    '42',
    '"a JSON string"',
    '[1,2,3]',
    'null',
    '{"errorType":"X","errorMessage":42}',
    '{"note":"no message here"}',
  ])('GIVEN the cause %j THEN the raw string is the message', (cause) => {
    expect(decodeTaskCause(cause)).toEqual({ message: cause });
  });
});
