import { describe, expect, it } from 'vitest';
import {
  jsonDecoderFor,
  maxJsonDepth,
  nestsDeeperThan,
  parseJsonBody,
} from '../../functions/api/json-body.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, and stops at the limit', () => {
    expect(nestsDeeperThan('[[[]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[1]}}', 3)).toBe(false);
    expect(nestsDeeperThan('{"a":{"b":[{}]}}', 3)).toBe(true);
    expect(nestsDeeperThan('[[],[],[],[]]', 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan('["[[[[[[", "{{{{{{"]', 1)).toBe(false);
    expect(nestsDeeperThan('["\\"[[[[", "\\\\"]', 1)).toBe(false);
    // After `"\\"` the string is closed: the brackets that follow count.
    expect(nestsDeeperThan('["\\\\", [[[]]]]', 3)).toBe(true);
  });

  it('scans 100,000 levels in linear time, where JSON.parse would overflow its stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const started = performance.now();
    expect(nestsDeeperThan(deep, maxJsonDepth)).toBe(true);
    expect(nestsDeeperThan(`"${'['.repeat(1_000_000)}"`, maxJsonDepth)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('jsonDecoderFor', () => {
  it.each([
    ['application/json', 'utf-8'],
    ['application/json; charset=utf-8', 'utf-8'],
    ['Application/JSON; Charset="UTF-8"', 'utf-8'],
    ['application/json; charset=windows-1251', 'windows-1251'],
    ['application/json; charset=cp1251', 'windows-1251'],
    ['application/json;charset=koi8-r', 'koi8-r'],
    ['application/problem+json', 'utf-8'],
  ])('%s is read as %s', (contentType, encoding) => {
    expect(jsonDecoderFor(contentType)).toEqual({ encoding });
  });

  it.each([
    undefined,
    '',
    'text/plain',
    'text/json',
    'application/x-www-form-urlencoded',
    'application/json; charset=iso-8859-5',
    'application/json; charset=utf-16',
    'application/json; charset=',
    'application/jsonx',
  ])('%s is refused with 415 on Content-Type', (contentType) => {
    expect(jsonDecoderFor(contentType)).toMatchObject({ status: 415, field: 'Content-Type' });
  });
});

describe('parseJsonBody', () => {
  it('reads UTF-8 with and without a byte order mark', () => {
    expect(parseJsonBody(utf8('{"a":"я"}'), 'application/json')).toMatchObject({ value: { a: 'я' } });
    expect(parseJsonBody(utf8('\uFEFF{"a":"я"}'), 'application/json')).toMatchObject({ value: { a: 'я' } });
  });

  it('reads windows-1251 and koi8-r when declared', () => {
    // "я" is 0xFF in windows-1251 and 0xD1 in koi8-r.
    const cp1251 = Uint8Array.from([0x22, 0xff, 0x22]);
    expect(parseJsonBody(cp1251, 'application/json; charset=windows-1251')).toMatchObject({ value: 'я' });
    const koi8 = Uint8Array.from([0x22, 0xd1, 0x22]);
    expect(parseJsonBody(koi8, 'application/json; charset=koi8-r')).toMatchObject({ value: 'я' });
  });

  it.each([
    ['invalid UTF-8', Uint8Array.from([0x22, 0xc3, 0x28, 0x22])],
    ['a lone continuation byte', Uint8Array.from([0x22, 0x80, 0x22])],
    ['an overlong encoding', Uint8Array.from([0x22, 0xc0, 0xaf, 0x22])],
    ['UTF-16 with its BOM', Uint8Array.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00])],
    ['nothing', new Uint8Array(0)],
    ['blanks', utf8(' \n ')],
    ['text that is not JSON', utf8('correspondent=x')],
    ['nesting beyond the limit', utf8(`${'['.repeat(maxJsonDepth + 1)}${']'.repeat(maxJsonDepth + 1)}`)],
  ])('refuses %s with 400 on (body)', (_name, bytes) => {
    expect(parseJsonBody(bytes, 'application/json')).toMatchObject({ status: 400, field: '(body)' });
  });

  it('takes nesting at the limit', () => {
    const atLimit = `${'['.repeat(maxJsonDepth)}${']'.repeat(maxJsonDepth)}`;
    expect(parseJsonBody(utf8(atLimit), 'application/json')).toHaveProperty('value');
  });
});
