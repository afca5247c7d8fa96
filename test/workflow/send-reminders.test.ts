import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../functions/domain/config.ts';
import type { WorkflowOutcome } from '../../functions/ports/workflow-runner.ts';
import {
  seedConfig,
  seedRequest,
  settableClock,
  startTestStack,
  type TestStack,
} from '../support/local-stack.ts';

/**
 * send-reminders as the schedule runs it: one notification per document, threshold and day, however
 * many sweeps run at once or again; each in the outbox folder as an .eml file, in the outbox table
 * and in the document's history.
 */

const clock = settableClock('2021-03-25T12:00:00+03:00');
let stack: TestStack;
const clerk = { sub: 'clerk-ivanova', role: 'clerk' };

async function officeConfig(): Promise<Config> {
  const base = await seedConfig();
  const kulikov = base.signers['kulikov'];
  if (kulikov === undefined) throw new Error('no signer kulikov');
  return {
    ...base,
    signers: { kulikov: { ...kulikov, email: 'kulikov@krasnogvardeiskoe.example' } },
    executors: {
      plaksina: {
        fullName: 'Плаксина Светлана Федоровна',
        phone: '8(86541) 2-52-41',
        email: 'plaksina@krasnogvardeiskoe.example',
        supervisor: 'kulikov',
      },
    },
  };
}

const succeeded = (outcome: WorkflowOutcome) => {
  if (outcome.status !== 'succeeded') throw new Error(`${outcome.error}: ${outcome.cause}`);
  return outcome.output;
};
const sweep = (at?: string) => stack.runner.run('send-reminders', { at: at ?? null });
const emlFiles = () => readdirSync(join(stack.dataDir, 'outbox')).filter((f) => f.endsWith('.eml'));

let soonId: string;
let lateId: string;
let draftId: string;

beforeAll(async () => {
  stack = await startTestStack({ config: await officeConfig(), clock });
  const register = async (n: string, receivedAt: string, dueDate: string) => {
    const answer = await stack.call('POST', '/v1/incoming', {
      body: seedRequest({ theirRef: { number: n, date: '2021-03-20' }, receivedAt, dueDate }),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.id as string;
  };
  soonId = await register('Н-1', '2021-03-25T10:00:00+03:00', '2021-04-09');
  lateId = await register('Н-2', '2021-03-25T10:00:00+03:00', '2021-04-01');
  clock.set('2021-04-02T10:00:00+03:00');
  const draft = succeeded(
    await stack.runner.run('prepare-reply', {
      request: {
        addressee: { lines: ['Начальнику управления'] },
        title: 'Ответ',
        paragraphs: ['Текст.'],
        signer: 'kulikov',
        executor: 'plaksina',
      },
      actor: clerk,
      documentId: null,
    }),
  ) as { document: { id: string } };
  draftId = draft.document.id;
});
afterAll(async () => stack?.dispose());

describe('send-reminders', () => {
  it('sends each reminder once, however many sweeps run at once or again', async () => {
    clock.set('2021-04-06T09:00:00+03:00');
    await Promise.all([sweep(), sweep(), sweep()]);
    succeeded(await sweep());
    const items = (await stack.call('GET', '/v1/notifications', { role: 'auditor' })).body.items as {
      key: string;
      status: string;
      to: string[];
      subject: string;
    }[];
    expect(items.map((n) => n.key).sort()).toEqual(
      [
        `${soonId}#before_3#2021-04-06`,
        `${lateId}#overdue#2021-04-06`,
        `${lateId}#supervisor_overdue#2021-04-06`,
        `${draftId}#awaiting_signature#2021-04-06`,
      ].sort(),
    );
    expect(items.every((n) => n.status === 'sent')).toBe(true);
    expect(emlFiles()).toHaveLength(4);
    const supervisor = items.find((n) => n.key.includes('supervisor'));
    expect(supervisor).toMatchObject({ to: ['kulikov@krasnogvardeiskoe.example'] });
    expect(supervisor?.subject).toMatch(/^Просрочено у исполнителя: № 01-05\/\d+, 3 рабочих дня$/);
    const history = (await stack.call('GET', `/v1/documents/${lateId}/history`)).body;
    expect(history.events.filter((e: { type: string }) => e.type === 'reminder_sent')).toHaveLength(2);
    expect(history.chain.intact).toBe(true);
  });

  it('sends the next day’s reminders the next working day, and nothing on a day off', async () => {
    succeeded(await sweep('2021-04-10T09:00:00+03:00'));
    expect(emlFiles()).toHaveLength(4);
    clock.set('2021-04-07T09:00:00+03:00');
    succeeded(await sweep());
    const keys = ((await stack.call('GET', '/v1/notifications')).body.items as { key: string }[]).map(
      (n) => n.key,
    );
    expect(keys).toContain(`${lateId}#overdue#2021-04-07`);
    // Two working days before its control date is no threshold.
    expect(keys.filter((k) => k.startsWith(soonId) && k.endsWith('2021-04-07'))).toEqual([]);
    expect(emlFiles().length).toBeGreaterThan(4);
  });

  it('takes over a reminder whose sender died holding it, once its hold has run out', async () => {
    const key = `${soonId}#due_today#2021-04-09`;
    await stack.deps.notifications.claim(
      {
        key,
        kind: 'reminder',
        documentId: soonId,
        recipient: 'plaksina',
        to: ['plaksina@krasnogvardeiskoe.example'],
        subject: 'x',
        text: 'x',
        status: 'pending',
        createdAt: '2021-04-09T05:59:00.000Z',
        attempt: 'dead-sender',
        until: '2021-04-09T06:00:00.000Z',
      },
      '2021-04-09T05:59:00.000Z',
    );
    clock.set('2021-04-09T09:05:00+03:00');
    succeeded(await sweep());
    expect(await stack.deps.notifications.get(key)).toMatchObject({
      status: 'sent',
      subject: expect.stringContaining('истекает сегодня'),
    });
  });
});
