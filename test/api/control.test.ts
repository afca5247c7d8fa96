import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../functions/domain/config.ts';
import {
  seedConfig,
  seedRequest,
  settableClock,
  startTestStack,
  type TestStack,
} from '../support/local-stack.ts';

/**
 * Deadline control through the API: registration puts appeals and requests on control on the
 * production calendar; resolutions route them; the control list and the overdue report read the
 * control index; an appeal is extended once; the controller lifts control.
 */

const clock = settableClock('2021-04-05T12:00:00+03:00');
let stack: TestStack;
let letter = 0;

async function officeConfig(): Promise<Config> {
  const base = await seedConfig();
  return {
    ...base,
    executors: {
      plaksina: {
        ...(base.executors['plaksina'] ?? { fullName: 'Плаксина С.Ф.', phone: '1' }),
        department: 'Общий отдел',
      },
      orlova: {
        fullName: 'Орлова Мария Петровна',
        phone: '8(86541) 2-52-42',
        department: 'Правовой отдел',
        supervisor: 'kulikov',
      },
    },
    deadlines: { byKind: { request: 10 }, controlDate: 'same', dueSoonWorkingDays: 3 },
  };
}

async function register(overrides: Record<string, unknown>) {
  letter++;
  const answer = await stack.call('POST', '/v1/incoming', {
    body: seedRequest({
      theirRef: { number: `К-${letter}`, date: '2021-04-01' },
      receivedAt: '2021-04-05T10:00:00+03:00',
      ...overrides,
    }),
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

beforeAll(async () => {
  stack = await startTestStack({ config: await officeConfig(), clock });
});
afterAll(async () => stack?.dispose());

describe('registration on control', () => {
  it('gives a citizen’s appeal 30 days, a request its stated date or the default, a notice none', async () => {
    const appeal = await register({ kind: 'citizen_appeal' });
    // 5 May 2021 is a Covid non-working day: it counts as working for the legal deadline.
    expect(appeal.control).toMatchObject({
      state: 'open',
      lastDay: '2021-05-05',
      dueDate: '2021-05-05',
      basis: 'citizen_appeal',
    });
    const stated = await register({ kind: 'request', dueDate: '2021-04-17' });
    // 17 April 2021 is a Saturday.
    expect(stated.control).toMatchObject({ lastDay: '2021-04-17', dueDate: '2021-04-19', basis: 'stated' });
    const byDefault = await register({ kind: 'request' });
    expect(byDefault.control).toMatchObject({ dueDate: '2021-04-15', basis: 'kind_default' });
    const notice = await register({ kind: 'notice' });
    expect(notice.control).toBeNull();
  });

  it('refuses a stated date before receipt', async () => {
    const answer = await stack.call('POST', '/v1/incoming', {
      body: seedRequest({
        theirRef: { number: 'К-early', date: '2021-04-01' },
        receivedAt: '2021-04-05T10:00:00+03:00',
        dueDate: '2021-04-02',
      }),
    });
    expect(answer.status).toBe(422);
    expect(answer.body.problems).toEqual([
      { field: 'dueDate', problem: 'is before the date the document was received (2021-04-05)' },
    ]);
  });
});

describe('resolutions, the control list and the end of control', () => {
  let appealId: string;
  let requestId: string;

  beforeAll(async () => {
    appealId = (await register({ kind: 'citizen_appeal', theirRef: { number: 'обр-1', date: '2021-04-05' } }))
      .id;
    requestId = (await register({ kind: 'request', dueDate: '2021-04-09' })).id;
  });

  it('routes a document by a resolution, recorded on the head’s behalf with before and after', async () => {
    const answer = await stack.call('POST', `/v1/documents/${requestId}/resolutions`, {
      body: {
        author: 'kulikov',
        text: 'Орловой М.П. подготовить ответ',
        executor: 'orlova',
        dueDate: '2021-04-08',
        controller: 'kulikov',
      },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      executor: 'orlova',
      control: { dueDate: '2021-04-08', basis: 'resolution', controller: 'kulikov' },
    });
    const history = (await stack.call('GET', `/v1/documents/${requestId}/history`)).body;
    expect(history.events.at(-1)).toMatchObject({
      type: 'resolution',
      data: { onBehalfOf: 'kulikov', before: { executor: 'plaksina' }, after: { executor: 'orlova' } },
    });
    expect(history.chain.intact).toBe(true);
    const unknown = await stack.call('POST', `/v1/documents/${requestId}/resolutions`, {
      body: { author: 'nobody', text: 'x', executor: 'ghost' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.problems.map((p: { field: string }) => p.field)).toEqual(['author', 'executor']);
  });

  it('lists documents on control by state, executor and department, by their control dates', async () => {
    clock.set('2021-04-06T09:00:00+03:00');
    const soon = await stack.call('GET', '/v1/control?state=due_soon&executor=orlova');
    expect(soon.body.items.map((i: { id: string }) => i.id)).toEqual([requestId]);
    expect((await stack.call('GET', '/v1/control?department=Правовой отдел')).body.items).toHaveLength(1);
    clock.set('2021-04-09T09:00:00+03:00');
    const overdue = await stack.call('GET', '/v1/control?state=overdue');
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toContain(requestId);
    expect(overdue.body.items.map((i: { id: string }) => i.id)).not.toContain(appealId);
    const early = await stack.call('GET', '/v1/control?due_before=2021-04-08');
    expect(early.body.items.every((i: { controlDate: string }) => i.controlDate <= '2021-04-08')).toBe(true);
    expect((await stack.call('GET', '/v1/control?state=closed')).status).toBe(400);
  });

  it('reports the overdue by executor and by department, as JSON and CSV', async () => {
    const byExecutor = (await stack.call('GET', '/v1/control/overdue')).body;
    expect(byExecutor.groups.find((g: { executor: string }) => g.executor === 'orlova')).toMatchObject({
      name: 'Орлова Мария Петровна',
      overdue: 1,
    });
    const csv = await fetch(`${stack.apiUrl}/v1/control/overdue?by=department&format=csv`, {
      headers: { Authorization: `Bearer ${await stack.token('auditor')}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A BOM, so that Excel opens the Cyrillic as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('Подразделение;Рег. номер')).toBe(true);
    expect(text).toMatch(/Правовой отдел;01-05\/\d+;2021-04-05;.*;2021-04-08;2021-04-08;1\r\n/);
  });

  it('extends an appeal once, keeping its original date', async () => {
    const body = { days: 30, reason: 'Запрошены сведения в МФЦ', notice: 'Письмо заявителю от 20.04.2021' };
    const extended = await stack.call('POST', `/v1/documents/${appealId}/control/extension`, { body });
    expect(extended.status, JSON.stringify(extended.body)).toBe(200);
    expect(extended.body.control).toMatchObject({
      dueDate: '2021-06-04',
      original: { dueDate: '2021-05-05' },
      extended: { days: 30 },
    });
    expect((await stack.call('POST', `/v1/documents/${appealId}/control/extension`, { body })).status).toBe(
      409,
    );
  });

  it('is lifted by the controller accepting the report, not by the executor', async () => {
    const byExecutor = await stack.call('POST', `/v1/documents/${requestId}/control/close`, {
      role: 'signer',
      sub: 'orlova',
      body: { how: 'report_accepted' },
    });
    expect(byExecutor.status).toBe(422);
    const byController = await stack.call('POST', `/v1/documents/${requestId}/control/close`, {
      role: 'signer',
      sub: 'kulikov',
      body: { how: 'report_accepted' },
    });
    expect(byController.body.control).toMatchObject({ state: 'done', closed: { how: 'report_accepted' } });
    expect((await stack.call('GET', '/v1/control?executor=orlova')).body.items).toEqual([]);
    const done = await stack.call('GET', '/v1/control?state=done&executor=orlova');
    expect(done.body.items).toMatchObject([{ id: requestId, state: 'done' }]);
    const removed = await stack.call('POST', `/v1/documents/${appealId}/control/close`, {
      body: { how: 'removed' },
    });
    expect(removed.status).toBe(422);
  });
});
