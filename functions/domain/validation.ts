import { z } from 'zod';
import type { FieldProblem } from './errors.ts';
import { normaliseText, type TextRules, textProblem } from './text.ts';

/**
 * Turns a zod error into field problems a person can read: `theirRef.date: is required`. Parse with
 * `{ reportInput: true }`, so that a missing field can be told from a wrong one.
 *
 * Every wording is made here from the issue's facts, never taken from zod ("Too small: expected
 * number to be >=1"), so that every answer speaks the same plain English. Only `custom` issues carry
 * a message of ours (written in a refine), and that message is used as it is.
 */
export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ field: fieldOf(issue.path), problem: describeIssue(issue) }));
}

/** `theirRef.date`, `attachments.0.title`; the whole body when the issue has no path. */
export function fieldOf(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join('.') : '(body)';
}

/** The plain-English problem of one zod issue. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `must be ${typeNames[issue.expected] ?? `a ${issue.expected}`}, got ${typeName(issue.input)}`;
    case 'too_small':
      return tooSmall(issue);
    case 'too_big':
      return tooBig(issue);
    case 'invalid_format':
      return issue.format === 'regex' ? 'is not in the required format' : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    case 'invalid_value':
      if (issue.input === undefined) return 'is required';
      return issue.values.length === 1
        ? `must be ${String(issue.values[0])}`
        : `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_union':
      return 'does not match any of the accepted forms';
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has a value that is not allowed';
    case 'custom':
      return issue.message;
  }
}

const typeNames: Partial<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  record: 'an object',
  date: 'a date',
  bigint: 'a whole number',
  null: 'null',
};

type SizeIssue = z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig;

/** What is being counted: characters of a string, items of an array, the value of a number. */
function unitsOf(issue: SizeIssue, bound: number | bigint): string {
  const plural = Number(bound) === 1 ? '' : 's';
  if (issue.origin === 'string') return ` character${plural}`;
  if (issue.origin === 'array' || issue.origin === 'set') return ` item${plural}`;
  return '';
}

function tooSmall(issue: z.core.$ZodIssueTooSmall): string {
  if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
  if (issue.origin === 'array' && Number(issue.minimum) === 1) return 'must have at least one item';
  const countable = issue.origin === 'string' || issue.origin === 'array' || issue.origin === 'set';
  if (countable) return `must have at least ${issue.minimum}${unitsOf(issue, issue.minimum)}`;
  return issue.inclusive === false
    ? `must be greater than ${issue.minimum}`
    : `must be at least ${issue.minimum}`;
}

function tooBig(issue: z.core.$ZodIssueTooBig): string {
  if (issue.origin === 'string') return `must be at most ${issue.maximum}${unitsOf(issue, issue.maximum)}`;
  if (issue.origin === 'array' || issue.origin === 'set')
    return `must have at most ${issue.maximum}${unitsOf(issue, issue.maximum)}`;
  return issue.inclusive === false
    ? `must be less than ${issue.maximum}`
    : `must be at most ${issue.maximum}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

/**
 * A free-text field as people type it: stored NFC-normalised and trimmed, 1 to `max` characters,
 * and free of the characters {@link textProblem} refuses.
 */
export function freeText(max: number, rules: TextRules = {}) {
  return z
    .string()
    .overwrite(normaliseText)
    .trim()
    .superRefine((value, ctx) => {
      const problem = textProblem(value, rules);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    })
    .min(1)
    .max(max);
}
