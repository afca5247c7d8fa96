import { describe, expect, it } from 'vitest';
import { normaliseText, textProblem } from '../../functions/domain/text.ts';

describe('textProblem', () => {
  it.each([
    'Аппарат Правительства Ставропольского края',
    'А.Д. Литовкин',
    '25-24/6781',
    'О мерах «Открытое правительство» — №5',
    'Emoji 👍 and 中文',
    'Zero\u200Bwidth inside visible text',
    'שלום', // right-to-left script itself is fine; only the controls that reorder text are not
  ])('accepts ordinary text: %s', (text) => {
    expect(textProblem(text)).toBeNull();
  });

  it('leaves the empty string to the length rule', () => {
    expect(textProblem('')).toBeNull();
  });

  it.each([
    ['\u0000', /NUL/],
    ['a\u0001b', /control.*U\+0001/],
    ['a\tb', /control.*U\+0009/],
    ['a\nb', /control.*U\+000A/],
    ['a\u007Fb', /control.*U\+007F/],
    ['a\u0085b', /control.*U\+0085/],
    ['a\u009Fb', /control.*U\+009F/],
    ['\u202Efdp.exe', /direction.*U\+202E/],
    ['a\u202Ab', /direction/],
    ['a\u2066b\u2069', /direction.*U\+2066/],
    ['a\u200Fb', /direction.*U\+200F/],
    ['a\uD800b', /unpaired surrogate/],
    ['a\uDC00', /unpaired surrogate/],
    ['a\uD800', /unpaired surrogate/],
  ])('refuses %j', (text, reason) => {
    expect(textProblem(text)).toMatch(reason);
  });

  it.each(['\u200B', '\u200C\u200D', '\u2060', '\uFEFF', '   ', '\u00A0\u3000', '\u00AD', '\u3164'])(
    'refuses a value with nothing visible: %j',
    (text) => {
      expect(textProblem(text)).toMatch(/visible/);
    },
  );

  it('lets multi-line fields hold tabs and line breaks, and nothing else of C0', () => {
    expect(textProblem('Первое.\r\n\tВторое.', { multiline: true })).toBeNull();
    expect(textProblem('a\u0000b', { multiline: true })).toMatch(/NUL/);
    expect(textProblem('a\u000Bb', { multiline: true })).toMatch(/control/);
    expect(textProblem('\n\t\r', { multiline: true })).toMatch(/visible/);
  });

  it('keeps an astral character (a surrogate pair) as visible text', () => {
    expect(textProblem('\u{1F600}')).toBeNull();
  });

  it('checks a megabyte in linear time', () => {
    const started = performance.now();
    expect(textProblem(`${'я '.repeat(500_000)}\u0000`)).toMatch(/NUL/);
    expect(textProblem('\u200B'.repeat(1_000_000))).toMatch(/visible/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('normaliseText', () => {
  it('composes to NFC: и + combining breve becomes й, e + acute becomes é', () => {
    expect(normaliseText('и\u0306')).toBe('й');
    expect(normaliseText('e\u0301')).toBe('é');
    expect(normaliseText('Каменный')).toBe('Каменный');
  });
});
