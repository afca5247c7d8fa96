import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDocroute } from '../support/cli.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/** The production calendar as a clerk reads it: GET /v1/calendar/{year} and `docroute calendar`. */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.dispose());

describe('GET /v1/calendar/{year}', () => {
  it('gives every day with its kind, the decree and the working days, the Covid days apart', async () => {
    const answer = await stack.call('GET', '/v1/calendar/2021', { role: 'auditor' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      year: 2021,
      decree: { number: '1648', date: '2020-10-10' },
      workingDays: 247,
      covidNonWorkingDays: 7,
    });
    expect(answer.body.days).toHaveLength(365);
    const kindOf = (date: string) => answer.body.days.find((d: { date: string }) => d.date === date)?.kind;
    expect(kindOf('2021-02-20')).toBe('working_weekend');
    expect(kindOf('2021-02-22')).toBe('transferred_day_off');
    expect(kindOf('2021-05-04')).toBe('covid_non_working');
    expect(kindOf('2021-06-14')).toBe('transferred_day_off');
    expect(kindOf('2021-06-15')).toBe('working');
  });

  it('names a year the calendar lacks, and a malformed one', async () => {
    const missing = await stack.call('GET', '/v1/calendar/2031');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('has no 2031');
    expect((await stack.call('GET', '/v1/calendar/21')).status).toBe(400);
  });
});

describe('docroute calendar', () => {
  const folder = mkdtempSync(join(tmpdir(), 'docroute-calendar-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('prints the year’s working days and its special days; --json gives every day', async () => {
    const text = await runDocroute(['calendar', '2024'], process.cwd());
    expect(text.code).toBe(0);
    expect(text.out).toContain('рабочих дней 248');
    expect(text.out).toContain('2024-04-27  рабочий выходной');
    const json = await runDocroute(['calendar', '2024', '--json'], process.cwd());
    expect(JSON.parse(json.out)).toMatchObject({ year: 2024, workingDays: 248 });
  });

  it('refuses a malformed file with its line, and a year it does not have, exiting 2', async () => {
    writeFileSync(
      join(folder, '2028.json'),
      '{\n  "year": 2028,\n  "decree": null,\n  "days": [\n    { "date": "2028-13-01", "kind": "holiday" }\n  ]\n}\n',
    );
    const broken = await runDocroute(['calendar', '2028', '--folder', folder], process.cwd());
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/2028\.json:5/);
    const absent = await runDocroute(['calendar', '2031'], process.cwd());
    expect(absent.code).toBe(2);
    expect(absent.err).toContain('has no 2031');
  });
});
