import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Control } from '../../functions/domain/control.ts';
import type { IncomingCard } from '../../functions/domain/documents.ts';
import { settableClock, startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * GET /v1/reports/summary against a fixture of known documents, written straight into the store:
 * the second half of 2021, appeals through the hotline and by e-mail, requests by post, letters.
 */

const clock = settableClock('2021-12-31T12:00:00+03:00');
let stack: TestStack;
let seq = 0;

function card(
  kind: IncomingCard['kind'],
  channel: IncomingCard['channel'],
  regDate: string,
  state: { control?: Partial<Control> & Pick<Control, 'dueDate'>; answeredOn?: string } = {},
): IncomingCard {
  seq++;
  const control: Control | null =
    state.control === undefined
      ? null
      : {
          lastDay: state.control.dueDate,
          controlDate: state.control.dueDate,
          basis: kind === 'citizen_appeal' ? 'citizen_appeal' : 'stated',
          state: state.answeredOn === undefined ? 'open' : 'done',
          ...state.control,
        };
  return {
    id: randomUUID(),
    direction: 'incoming',
    journal: 'incoming',
    regNumber: `01-05/${seq}`,
    regDate,
    regSeq: seq,
    status: state.answeredOn === undefined ? 'registered' : 'answered',
    registeredAt: `${regDate}T07:00:00.000Z`,
    registeredBy: { sub: 'fixture', role: 'clerk' },
    correspondent: { organization: `Заявитель ${seq}` },
    theirRef: { number: `б/н-${seq}`, date: regDate },
    kind,
    subject: 'Обращение',
    receivedAt: `${regDate}T06:00:00.000Z`,
    channel,
    executor: 'plaksina',
    control,
    ...(state.answeredOn === undefined
      ? {}
      : { answeredBy: [{ id: randomUUID(), regNumber: `07-04/${seq}`, regDate: state.answeredOn }] }),
  };
}

const fixture = [
  // Citizens' appeals: 3 by the hotline, 2 by e-mail.
  card('citizen_appeal', 'hotline', '2021-07-05', {
    control: { dueDate: '2021-08-04' },
    answeredOn: '2021-07-30',
  }),
  card('citizen_appeal', 'hotline', '2021-09-01', {
    control: { dueDate: '2021-10-01' },
    answeredOn: '2021-10-05',
  }),
  card('citizen_appeal', 'hotline', '2021-12-20', { control: { dueDate: '2022-01-19' } }),
  card('citizen_appeal', 'email', '2021-11-01', { control: { dueDate: '2021-12-01' } }),
  card('citizen_appeal', 'email', '2021-10-11', {
    control: { dueDate: '2021-11-10' },
    answeredOn: '2021-11-09',
  }),
  // Requests by post: two answered on time, one with no deadline.
  card('request', 'post', '2021-08-02', { control: { dueDate: '2021-08-20' }, answeredOn: '2021-08-19' }),
  card('request', 'post', '2021-08-03', { control: { dueDate: '2021-08-20' }, answeredOn: '2021-08-20' }),
  card('request', 'post', '2021-12-01'),
  // Letters by e-mail, not on control.
  card('letter', 'email', '2021-07-01'),
  card('letter', 'email', '2021-12-31'),
  // Outside the period.
  card('citizen_appeal', 'hotline', '2021-06-30', { control: { dueDate: '2021-07-30' } }),
  card('letter', 'post', '2022-01-10'),
];

beforeAll(async () => {
  stack = await startTestStack({ clock });
  for (const document of fixture) await stack.deps.documents.create(document);
});
afterAll(async () => stack?.dispose());

const half = 'from=2021-07-01&to=2021-12-31';

describe('GET /v1/reports/summary', () => {
  it('counts the period’s documents and appeals by kind and channel, as of today', async () => {
    const answer = await stack.call('GET', `/v1/reports/summary?${half}`, { role: 'auditor' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      from: '2021-07-01',
      to: '2021-12-31',
      asOf: '2021-12-31',
      total: { received: 10, answered: 5, answeredOnTime: 4, overdue: 2, open: 2 },
      citizenAppeals: {
        received: 5,
        answered: 3,
        answeredOnTime: 2,
        overdue: 2,
        open: 2,
        byChannel: {
          hotline: { received: 3, answered: 2, answeredOnTime: 1, overdue: 1, open: 1 },
          email: { received: 2, answered: 1, answeredOnTime: 1, overdue: 1, open: 1 },
        },
      },
      byKind: {
        request: { received: 3, answered: 2, answeredOnTime: 2, overdue: 0, open: 0 },
        letter: { received: 2, answered: 0, answeredOnTime: 0, overdue: 0, open: 0 },
      },
      byChannel: { post: { received: 3 }, email: { received: 4 }, hotline: { received: 3 } },
    });
  });

  it('gives the same figures as CSV and XLSX', async () => {
    const csv = await fetch(`${stack.apiUrl}/v1/reports/summary?${half}&format=csv`, {
      headers: { Authorization: `Bearer ${await stack.token('auditor')}` },
    });
    const text = Buffer.from(await csv.arrayBuffer())
      .subarray(3)
      .toString('utf8');
    expect(text.split('\r\n')[0]).toBe(';Поступило;Рассмотрено;В срок;Просрочено;На контроле');
    expect(text).toContain('\r\nОбращения граждан;5;3;2;2;2\r\n');
    expect(text).toContain('\r\n  из них: «Телефон доверия»;3;2;1;1;1\r\n');
    const xlsx = await fetch(`${stack.apiUrl}/v1/reports/summary?${half}&format=xlsx`, {
      headers: { Authorization: `Bearer ${await stack.token('auditor')}` },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const rows = workbook.worksheets[0]
      ?.getSheetValues()
      .filter(Boolean)
      .map((r) => (r as unknown[]).slice(1));
    expect(rows).toContainEqual(['Всего документов', 10, 5, 4, 2, 2]);
  });

  it('refuses a missing or reversed period', async () => {
    expect((await stack.call('GET', '/v1/reports/summary?to=2021-12-31')).body.problems).toEqual([
      { field: 'from', problem: 'is required' },
    ]);
    expect((await stack.call('GET', '/v1/reports/summary?from=2021-12-31&to=2021-07-01')).status).toBe(400);
    expect((await stack.call('GET', `/v1/reports/summary?${half}`, { role: 'signer' })).status).toBe(403);
  });
});
