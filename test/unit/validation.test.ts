import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freeText, problemsOf } from '../../functions/domain/validation.ts';

/** One wording for every field problem: plain English made from the issue, never zod's own text. */

const zodPhrasing = /expected|Invalid|Too small|Too big|Unrecognized|received/;

const schema = z.strictObject({
  count: z.int().min(1).max(5).optional(),
  ratio: z.number().gt(0).lt(1).optional(),
  name: z.string().min(1).max(3).optional(),
  code: z.string().min(2).optional(),
  tags: z.array(z.string()).min(1).max(2).optional(),
  kind: z.enum(['a', 'b']).optional(),
  fixed: z.literal('k').optional(),
  pattern: z.string().regex(/^x+$/).optional(),
  either: z.union([z.string(), z.number()]).optional(),
  map: z.record(z.string(), z.number()).optional(),
  step: z.number().multipleOf(5).optional(),
  email: z.email().optional(),
  required: z.string(),
});

const problems = (input: unknown) => {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) throw new Error('expected a failure');
  return problemsOf(result.error);
};

describe('problemsOf', () => {
  it.each([
    [{ count: 0 }, 'count', 'must be at least 1'],
    [{ count: 6 }, 'count', 'must be at most 5'],
    [{ count: 1.5 }, 'count', 'must be a whole number, got number'],
    [{ count: '3' }, 'count', 'must be a number, got string'],
    [{ ratio: 0 }, 'ratio', 'must be greater than 0'],
    [{ ratio: 1 }, 'ratio', 'must be less than 1'],
    [{ name: '' }, 'name', 'must not be empty'],
    [{ name: 'abcd' }, 'name', 'must be at most 3 characters'],
    [{ code: 'a' }, 'code', 'must have at least 2 characters'],
    [{ tags: [] }, 'tags', 'must have at least one item'],
    [{ tags: ['a', 'b', 'c'] }, 'tags', 'must have at most 2 items'],
    [{ tags: [1] }, 'tags.0', 'must be a string, got number'],
    [{ kind: 'c' }, 'kind', 'must be one of: a, b'],
    [{ fixed: 'j' }, 'fixed', 'must be k'],
    [{ pattern: 'y' }, 'pattern', 'is not in the required format'],
    [{ either: true }, 'either', 'does not match any of the accepted forms'],
    [{ map: { k: 'x' } }, 'map.k', 'must be a number, got string'],
    [{ step: 3 }, 'step', 'must be a multiple of 5'],
    [{ email: 'nope' }, 'email', 'must be a valid email'],
    [{ extra: 1 }, '(body)', 'unknown field: extra'],
    [{ count: null }, 'count', 'must be a number, got null'],
    [{ tags: {} }, 'tags', 'must be an array, got object'],
  ])('%j: %s %s', (input, field, problem) => {
    expect(problems({ required: 'x', ...input })).toEqual([{ field, problem }]);
  });

  it('says "is required" for a missing field, and names a whole body of the wrong type', () => {
    expect(problems({})).toEqual([{ field: 'required', problem: 'is required' }]);
    expect(problems([])).toEqual([{ field: '(body)', problem: 'must be an object, got an array' }]);
  });

  it('never speaks zod\u2019s own wording', () => {
    const all = problems({
      count: 0,
      ratio: 2,
      name: 'abcd',
      tags: [],
      kind: 'z',
      fixed: 1,
      pattern: '',
      either: null,
      map: [],
      step: 1,
      email: '',
      required: 1,
      extra: true,
    });
    expect(all.length).toBeGreaterThan(10);
    for (const { problem } of all) expect(problem).not.toMatch(zodPhrasing);
  });
});

describe('freeText', () => {
  const field = freeText(10);
  it('stores the text trimmed and NFC-normalised', () => {
    expect(field.parse('  и\u0306  ')).toBe('й');
  });

  it('counts the limit after normalising', () => {
    expect(field.safeParse('и\u0306'.repeat(10)).success).toBe(true);
  });

  it('refuses what textProblem refuses, as a ValidationError problem of the field', () => {
    const result = z.object({ name: field }).safeParse({ name: 'a\u0000' }, { reportInput: true });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(problemsOf(result.error)).toEqual([
        { field: 'name', problem: 'must not contain NUL characters' },
      ]);
  });
});
