import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../functions/domain/config.ts';
import { addResolution, closeControl, extendControl } from '../../functions/domain/control.ts';
import { registrationDeadline, type WorkingDayCalendar } from '../../functions/domain/deadlines.ts';
import { type IncomingCard, markAnswered } from '../../functions/domain/documents.ts';
import { seedConfig } from '../support/local-stack.ts';

const weekdays: WorkingDayCalendar = {
  isWorkingDay: (date) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()),
};
const rules = { byKind: { request: 10 }, controlDate: 'same' as const };
const clerk = { sub: 'clerk-ivanova', role: 'clerk' };
const head = { sub: 'kulikov', role: 'signer' };
const now = new Date('2021-06-01T09:00:00Z');
let config: Config;

function card(kind: string, regDate = '2021-06-01'): IncomingCard {
  const deadline = registrationDeadline({ kind, regDate }, rules, weekdays);
  return {
    id: '7f2c1c7e-1111-4c3a-9a8b-000000000001',
    direction: 'incoming',
    journal: 'incoming',
    regNumber: '01-05/1',
    regDate,
    regSeq: 1,
    status: 'registered',
    registeredAt: '2021-06-01T09:00:00Z',
    registeredBy: clerk,
    correspondent: { organization: 'Иванов И.И.' },
    theirRef: { number: 'б/н', date: regDate },
    kind: kind as IncomingCard['kind'],
    subject: 'Обращение',
    receivedAt: '2021-06-01T08:00:00Z',
    channel: 'email',
    executor: 'plaksina',
    control: deadline === null ? null : { ...deadline, state: 'open' },
  };
}

beforeAll(async () => {
  config = {
    ...(await seedConfig()),
    executors: {
      plaksina: { fullName: 'Плаксина Светлана Федоровна', phone: '8(86541) 2-52-41' },
      orlova: { fullName: 'Орлова Мария Петровна', phone: '8(86541) 2-52-42' },
    },
  };
});

describe('resolutions', () => {
  it('route a document to its executor with a due date, the before and after in the change', () => {
    const routed = addResolution(
      card('request'),
      {
        author: 'kulikov',
        text: 'Подготовить ответ',
        executor: 'orlova',
        dueDate: '2021-06-06',
        controller: 'kulikov',
      },
      { config, calendar: weekdays, rules },
      clerk,
      now,
    );
    expect(routed).toMatchObject({
      executor: 'orlova',
      revision: 1,
      // 6 June 2021 is a Sunday: the deadline moves to Monday.
      control: { state: 'open', dueDate: '2021-06-07', basis: 'resolution', controller: 'kulikov' },
      resolutions: [{ author: 'kulikov', recordedBy: clerk }],
    });
    expect(routed.lastChange).toMatchObject({
      type: 'resolution',
      data: {
        onBehalfOf: 'kulikov',
        before: { executor: 'plaksina', control: { dueDate: '2021-06-11', basis: 'kind_default' } },
        after: { executor: 'orlova', control: { dueDate: '2021-06-07' } },
      },
    });
  });

  it('keep a citizen’s appeal on its legal deadline', () => {
    const routed = addResolution(
      card('citizen_appeal'),
      { author: 'kulikov', text: 'Рассмотреть', executor: 'orlova', dueDate: '2021-06-10' },
      { config, calendar: weekdays, rules },
      head,
      now,
    );
    expect(routed.control).toMatchObject({ basis: 'citizen_appeal', dueDate: '2021-07-01' });
    expect(routed.lastChange?.data).not.toHaveProperty('onBehalfOf');
  });

  it('name every unknown person, and refuse a signer writing another’s resolution', () => {
    expect(() =>
      addResolution(
        card('request'),
        { author: 'nobody', text: 'x', executor: 'nobody', coExecutors: ['ghost'], controller: 'ghost' },
        { config, calendar: weekdays, rules },
        { sub: 'someone', role: 'signer' },
        now,
      ),
    ).toThrow(
      /author: unknown signer 'nobody'.*author: someone may not.*executor: unknown.*coExecutors.0.*controller/,
    );
  });
});

describe('extension and the end of control', () => {
  it('extends an appeal once, keeping the original deadline', () => {
    const extended = extendControl(
      card('citizen_appeal'),
      { days: 30, reason: 'Запрошены документы', notice: 'Письмо заявителю от 25.06.2021' },
      { calendar: weekdays, rules },
      clerk,
      now,
    );
    expect(extended.control).toMatchObject({
      // 31 July 2021 is a Saturday.
      lastDay: '2021-07-31',
      dueDate: '2021-08-02',
      original: { dueDate: '2021-07-01' },
      extended: { days: 30 },
    });
    expect(() =>
      extendControl(
        extended,
        { days: 1, reason: 'x', notice: 'y' },
        { calendar: weekdays, rules },
        clerk,
        now,
      ),
    ).toThrow('only once');
  });

  it('is lifted by a registered reply, or by the controller accepting the report, never by the executor', () => {
    const answered = markAnswered(
      card('request'),
      { id: 'r1', regNumber: '07-04/1', regDate: '2021-06-02' },
      clerk,
      now,
    );
    expect(answered?.control).toMatchObject({
      state: 'done',
      closed: { how: 'answered', reply: { id: 'r1' } },
    });
    const routed = addResolution(
      card('request'),
      { author: 'kulikov', text: 'x', executor: 'plaksina', controller: 'kulikov' },
      { config, calendar: weekdays, rules },
      head,
      now,
    );
    expect(() =>
      closeControl(routed, { how: 'report_accepted' }, { sub: 'plaksina', role: 'signer' }, now),
    ).toThrow('only the controller (kulikov)');
    expect(closeControl(routed, { how: 'report_accepted' }, head, now)?.control?.state).toBe('done');
    expect(() => closeControl(routed, { how: 'removed' }, clerk, now)).toThrow('reason: is required');
    expect(
      closeControl(routed, { how: 'removed', reason: 'Отозвано заявителем' }, clerk, now)?.control,
    ).toMatchObject({
      state: 'removed',
      closed: { reason: 'Отозвано заявителем' },
    });
  });
});
