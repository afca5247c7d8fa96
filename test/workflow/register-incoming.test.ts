import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, IncomingCard } from '../../functions/domain/documents.ts';
import { genesisHash, verifyChain } from '../../functions/domain/history.ts';
import { decodeTaskCause } from '../../functions/domain/task-failure.ts';
import type { WorkflowOutcome } from '../../functions/ports/workflow-runner.ts';
import {
  configStartingAt,
  namedError,
  seedRequest,
  startTestStack,
  type TestStack,
} from '../support/local-stack.ts';

/**
 * The register-incoming workflow as it really runs: workflows/register-incoming.asl.json in the local
 * Step Functions engine, every task on dynalite. Each test numbers in its own year, so counters do not
 * depend on the order the tests run in.
 */

const clerk: Actor = { sub: 'clerk-ivanova', role: 'clerk' };

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    config: await configStartingAt('incoming', { '2023': 500 }),
    retryWithoutWaiting: true,
  });
});

afterAll(async () => {
  await stack?.dispose();
});

let letterCount = 0;

type Letter = Record<string, unknown> & {
  readonly theirRef: { readonly number: string; readonly date: string };
};

/** A distinct letter (its own number from the correspondent) received in `year`. */
function letter(year: number, overrides: Record<string, unknown> = {}): Letter {
  letterCount++;
  return seedRequest({
    theirRef: { number: `WF-${year}/${letterCount}`, date: `${year}-03-01` },
    receivedAt: `${year}-03-02T10:00:00+03:00`,
    ...overrides,
  }) as Letter;
}

const register = (request: unknown, actor: Actor = clerk) =>
  stack.runner.run('register-incoming', { request, actor });

type Registered = { document: IncomingCard; duplicate: boolean };

function succeeded(outcome: WorkflowOutcome): Registered {
  if (outcome.status !== 'succeeded') {
    throw new Error(`expected the workflow to succeed, it failed: ${outcome.error}: ${outcome.cause}`);
  }
  return outcome.output as Registered;
}

function failed(outcome: WorkflowOutcome): { error: string; cause: string } {
  if (outcome.status !== 'failed')
    throw new Error(`expected the workflow to fail, it succeeded: ${JSON.stringify(outcome.output)}`);
  return outcome;
}

/** The counter's last number and the entries of the incoming journal's year. */
const journal = async (year: number) => {
  const { counter, entries } = await stack.deps.journals.list(`incoming#${year}`);
  return { counter: counter?.last ?? null, entries };
};

describe('register-incoming workflow (real ASL, local engine, dynalite)', () => {
  it('registers the seed letter: the first number of its year, a stored card and a journal entry', async () => {
    const { document, duplicate } = succeeded(await register(seedRequest()));

    expect(duplicate).toBe(false);
    expect(document).toMatchObject({
      direction: 'incoming',
      journal: 'incoming',
      regNumber: '01-05/1',
      regDate: '2014-06-16',
      regSeq: 1,
      status: 'registered',
      receivedAt: '2014-06-16T06:30:00.000Z',
      registeredBy: clerk,
      theirRef: { number: '25-24/6781', date: '2014-06-10' },
      correspondent: { organization: 'Аппарат Правительства Ставропольского края', person: 'А.Д. Литовкин' },
      executor: 'plaksina',
    });
    expect(document.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(document).not.toHaveProperty('duplicateKey');

    expect(await stack.deps.documents.get(document.id)).toEqual(document);
    const { counter, entries } = await journal(2014);
    expect(counter).toBe(1);
    expect(entries).toEqual([
      expect.objectContaining({
        seq: 1,
        regNumber: '01-05/1',
        regDate: '2014-06-16',
        documentId: document.id,
      }),
    ]);
    expect(entries[0]).not.toHaveProperty('voided');
  });

  it('records the "registered" event as the start of an intact hash chain', async () => {
    const { document } = succeeded(await register(letter(2013)));

    const events = await stack.deps.events.list(document.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      documentId: document.id,
      seq: 1,
      type: 'registered',
      actor: clerk,
      prevHash: genesisHash,
      data: { after: { id: document.id, regNumber: document.regNumber } },
    });
    // The event is stamped when it is recorded, just after the card was saved.
    expect(Date.parse(events[0]?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(document.registeredAt));
    expect(verifyChain(events)).toEqual({ intact: true });
  });

  it('returns the card already registered for the same letter, even spelled differently, without a new number', async () => {
    const original = letter(2015, { correspondent: { organization: 'ООО «Ёлочка» Ставрополь' } });
    const first = succeeded(await register(original));
    expect(first.duplicate).toBe(false);
    expect(first.document.regNumber).toBe('01-05/1');

    const variants = [
      original,
      {
        ...original,
        correspondent: { organization: '  ооо "елочка"   СТАВРОПОЛЬ ' },
        subject: 'Другая тема',
      },
      {
        ...original,
        correspondent: { organization: 'ООО Елочка Ставрополь', person: 'Иванов' },
        channel: 'email',
      },
    ];
    for (const variant of variants) {
      const again = succeeded(await register(variant));
      expect(again.duplicate).toBe(true);
      expect(again.document.id).toBe(first.document.id);
      expect(again.document.regNumber).toBe('01-05/1');
    }
    expect((await journal(2015)).counter).toBe(1);

    // Another number or date of theirs is another letter.
    const other = succeeded(
      await register({ ...original, theirRef: { ...original.theirRef, date: '2015-02-28' } }),
    );
    expect(other.duplicate).toBe(false);
    expect(other.document.regNumber).toBe('01-05/2');
    expect((await journal(2015)).counter).toBe(2);
  });

  it('fails with ValidationError naming each bad field, before any number is taken', async () => {
    const request = letter(2016, {
      kind: undefined,
      pages: 'ten',
      theirRef: { number: 'WF-bad', date: '2016-02-31' },
    });
    const { error, cause } = failed(await register(request));

    expect(error).toBe('ValidationError');
    const failure = decodeTaskCause(cause);
    const fields = (failure.problems ?? []).map((p) => p.field).sort();
    expect(fields).toEqual(['kind', 'pages', 'theirRef.date']);
    expect(failure.problems).toContainEqual({
      field: 'theirRef.date',
      problem: expect.stringContaining('2016-02-31'),
    });
    expect(failure.message).toContain('theirRef.date');
    expect(await journal(2016)).toEqual({ counter: null, entries: [] });
  });

  it('fails with RuleViolationError for their date after receipt and an unknown executor, taking no number or claim', async () => {
    const request = letter(2016, { executor: 'nobody' });
    const bad = { ...request, theirRef: { number: 'WF-rule', date: '2016-03-05' } };
    const { error, cause } = failed(await register(bad));

    expect(error).toBe('RuleViolationError');
    const failure = decodeTaskCause(cause);
    expect((failure.problems ?? []).map((p) => p.field).sort()).toEqual(['executor', 'theirRef.date']);
    expect(await journal(2016)).toEqual({ counter: null, entries: [] });

    // Nothing claimed the letter's identity: corrected, it registers as new.
    const fixed = succeeded(
      await register({ ...bad, executor: 'plaksina', theirRef: { number: 'WF-rule', date: '2016-03-01' } }),
    );
    expect(fixed.duplicate).toBe(false);
    expect(fixed.document.regNumber).toBe('01-05/1');
  });

  it('voids a number taken by a registration that then failed, releases the claim, and never reuses the number', async () => {
    const request = letter(2017);
    stack.faults['SaveCard'] = namedError('DiskOnFire', 'the disk is on fire');
    let outcome: WorkflowOutcome;
    try {
      outcome = await register(request);
    } finally {
      delete stack.faults['SaveCard'];
    }
    const { error, cause } = failed(outcome);
    expect(error).toBe('DiskOnFire');
    expect(decodeTaskCause(cause).message).toBe('the disk is on fire');

    const afterFault = await journal(2017);
    expect(afterFault.counter).toBe(1);
    expect(afterFault.entries).toHaveLength(1);
    const voided = afterFault.entries[0];
    expect(voided).toMatchObject({
      seq: 1,
      regNumber: '01-05/1',
      voided: { reason: expect.stringContaining('DiskOnFire') },
    });
    expect(voided).not.toHaveProperty('documentId');
    expect(JSON.stringify(voided)).toContain('the disk is on fire');

    // The claim was released: the same letter registers, under the next number.
    const retry = succeeded(await register(request));
    expect(retry.duplicate).toBe(false);
    expect(retry.document.regNumber).toBe('01-05/2');
    const afterRetry = await journal(2017);
    expect(afterRetry.counter).toBe(2);
    expect(afterRetry.entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(afterRetry.entries[1]).toMatchObject({ documentId: retry.document.id });
    expect(afterRetry.entries[0]).toHaveProperty('voided');

    const cards = await stack.deps.documents.findByTheirRef(request.theirRef.number);
    expect(cards.map((c) => c.id)).toEqual([retry.document.id]);
  });

  it('releases the claim when numbering itself fails, voiding nothing since no number was taken', async () => {
    const request = letter(2018);
    stack.faults['AssignNumber'] = namedError('CounterJammed', 'the counter is jammed');
    let outcome: WorkflowOutcome;
    try {
      outcome = await register(request);
    } finally {
      delete stack.faults['AssignNumber'];
    }
    const { error, cause } = failed(outcome);
    expect(error).toBe('CounterJammed');
    expect(decodeTaskCause(cause).message).toBe('the counter is jammed');
    expect(await journal(2018)).toEqual({ counter: null, entries: [] });

    const retry = succeeded(await register(request));
    expect(retry.duplicate).toBe(false);
    expect(retry.document.regNumber).toBe('01-05/1');
    const after = await journal(2018);
    expect(after.counter).toBe(1);
    expect(after.entries).toEqual([expect.objectContaining({ seq: 1, documentId: retry.document.id })]);
  });

  it('registers one of 20 concurrent runs of the same letter; the others get that card or a conflict, and take no number', async () => {
    const request = letter(2019);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => register(request)));

    const winners = outcomes.filter((o) => o.status === 'succeeded' && !(o.output as Registered).duplicate);
    expect(winners).toHaveLength(1);
    const winner = succeeded(winners[0] as WorkflowOutcome).document;
    expect(winner.regNumber).toBe('01-05/1');

    for (const outcome of outcomes) {
      if (outcome.status === 'succeeded') {
        expect((outcome.output as Registered).document.id).toBe(winner.id);
      } else {
        expect(outcome.error).toBe('ConflictError');
        expect(decodeTaskCause(outcome.cause).message).toContain('being registered right now');
      }
    }

    const { counter, entries } = await journal(2019);
    expect(counter).toBe(1);
    expect(entries).toEqual([expect.objectContaining({ seq: 1, documentId: winner.id })]);
    expect(entries.filter((e) => !('voided' in e))).toHaveLength(1);
    expect((await stack.deps.documents.findByTheirRef(request.theirRef.number)).map((c) => c.id)).toEqual([
      winner.id,
    ]);

    const late = succeeded(await register(request));
    expect(late).toMatchObject({ duplicate: true, document: { id: winner.id } });

    // Every duplicate answer left its mark, and the concurrent writers kept one intact chain.
    const duplicates = outcomes.filter((o) => o.status === 'succeeded' && (o.output as Registered).duplicate);
    const history = await stack.deps.events.list(winner.id);
    expect(history.map((e) => e.type)).toEqual([
      'registered',
      ...Array.from({ length: duplicates.length + 1 }, () => 'received_again'),
    ]);
    expect(verifyChain(history)).toEqual({ intact: true });
  });

  it('GIVEN the first history event could not be written THEN the card stands, and the next receipt puts the registration back first', async () => {
    const request = letter(2009);
    stack.faults['RecordEvents'] = namedError(
      'ProvisionedThroughputExceededException',
      'the events table is busy',
    );
    try {
      const failed = await register(request);
      expect(failed).toMatchObject({ status: 'failed', error: 'ProvisionedThroughputExceededException' });
    } finally {
      delete stack.faults['RecordEvents'];
    }
    const [card] = await stack.deps.documents.findByTheirRef(request.theirRef.number);
    expect(card?.regNumber).toBe('01-05/1');
    expect(await stack.deps.events.list(card?.id ?? '')).toEqual([]);

    const again = succeeded(await register(request));
    expect(again).toMatchObject({ duplicate: true, document: { id: card?.id } });
    const history = await stack.deps.events.list(card?.id ?? '');
    expect(history.map((e) => e.type)).toEqual(['registered', 'received_again']);
    expect(history[0]?.data).toMatchObject({
      recordedLate: true,
      after: { id: card?.id, regNumber: '01-05/1' },
    });
    expect(history[0]?.actor).toEqual(clerk);
    expect(verifyChain(history)).toEqual({ intact: true });
  });

  it('numbers a back-dated registration from its own year, neither resetting nor skipping the current year', async () => {
    const a = succeeded(await register(letter(2022)));
    const b = succeeded(await register(letter(2022)));
    const old = succeeded(
      await register(
        letter(2021, {
          receivedAt: '2021-11-15T12:00:00+03:00',
          theirRef: { number: 'WF-old', date: '2021-11-10' },
        }),
      ),
    );
    const c = succeeded(await register(letter(2022)));

    expect([a, b, c].map((r) => r.document.regNumber)).toEqual(['01-05/1', '01-05/2', '01-05/3']);
    expect(old.document).toMatchObject({ regNumber: '01-05/1', regDate: '2021-11-15', regSeq: 1 });
    expect((await journal(2021)).counter).toBe(1);
    expect((await journal(2022)).counter).toBe(3);
  });

  it('dates a registration by the organisation time zone, so the counter year follows Moscow midnight', async () => {
    // 23:59 on 31 December in Moscow is still 2010; 00:30 on 1 January is 2011 (both the 31st in UTC).
    const lastOf2010 = succeeded(
      await register(
        letter(2010, {
          receivedAt: '2010-12-31T20:59:00Z',
          theirRef: { number: 'WF-nye-1', date: '2010-12-30' },
        }),
      ),
    );
    const firstOf2011 = succeeded(
      await register(
        letter(2010, {
          receivedAt: '2010-12-31T21:30:00Z',
          theirRef: { number: 'WF-nye-2', date: '2010-12-30' },
        }),
      ),
    );
    expect(lastOf2010.document).toMatchObject({ regDate: '2010-12-31', regNumber: '01-05/1' });
    expect(firstOf2011.document).toMatchObject({ regDate: '2011-01-01', regNumber: '01-05/1' });
    expect((await journal(2010)).counter).toBe(1);
    expect((await journal(2011)).entries).toEqual([
      expect.objectContaining({ seq: 1, documentId: firstOf2011.document.id }),
    ]);
  });

  it('starts a year at its configured starting number', async () => {
    const first = succeeded(await register(letter(2023)));
    const second = succeeded(await register(letter(2023)));
    expect(first.document).toMatchObject({ regNumber: '01-05/500', regSeq: 500 });
    expect(second.document.regNumber).toBe('01-05/501');

    const { counter, entries } = await journal(2023);
    expect(counter).toBe(501);
    expect(entries.map((e) => e.seq)).toEqual([500, 501]);

    // Years without a starting number still begin at 1.
    const other = succeeded(await register(letter(2012)));
    expect(other.document.regNumber).toBe('01-05/1');
  });
});
