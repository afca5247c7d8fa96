import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, IncomingCard } from '../../functions/domain/documents.ts';
import { verifyChain } from '../../functions/domain/history.ts';
import { duplicateKeyOf } from '../../functions/domain/incoming.ts';
import { counterFor, journalListing } from '../../functions/domain/numbering.ts';
import { lostNumberReason } from '../../functions/domain/settling.ts';
import type { SettleJournalOutput } from '../../functions/handlers/settle-journal.ts';
import type { WorkflowOutcome } from '../../functions/ports/workflow-runner.ts';
import { movableClock, seedRequest, startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * A registration interrupted at any point, as by a killed process or a timed-out Lambda, is settled
 * by the settle-registrations workflow once its lease has run out: the real ASL of both workflows in
 * the local engine, on dynalite. A crash is a task that never answers; the execution then ends at its
 * time limit (1 s here, so a lease is 2 s) and nothing after that task runs.
 */

const clerk: Actor = { sub: 'clerk-ivanova', role: 'clerk' };
const clock = movableClock();
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ clock, timeLimitSeconds: 1, retryWithoutWaiting: true });
});

afterAll(async () => {
  await stack?.dispose();
});

let letters = 0;
/** A distinct letter received in `year`. */
function letter(year: number) {
  letters++;
  return seedRequest({
    theirRef: { number: `SETTLE-${year}/${letters}`, date: `${year}-03-01` },
    receivedAt: `${year}-03-02T10:00:00+03:00`,
  }) as ReturnType<typeof seedRequest> & { theirRef: { number: string; date: string } };
}

const register = (request: unknown) => stack.runner.run('register-incoming', { request, actor: clerk });
const registered = (outcome: WorkflowOutcome) => {
  if (outcome.status !== 'succeeded')
    throw new Error(`registration failed: ${outcome.error}: ${outcome.cause}`);
  return outcome.output as { document: IncomingCard; duplicate: boolean };
};

async function settle(): Promise<SettleJournalOutput[]> {
  const outcome = await stack.runner.run('settle-registrations', {});
  if (outcome.status !== 'succeeded') throw new Error(`settling failed: ${outcome.error}: ${outcome.cause}`);
  return (outcome.output as { journals: SettleJournalOutput[] }).journals;
}

const leaseMs = () => stack.deps.registrationLeaseMs;
const pastTheLease = () => clock.advance(leaseMs() + 1000);

async function listing(year: number) {
  const { counter, entries } = await stack.deps.journals.list(`incoming#${year}`);
  return journalListing(entries, 1, counter ?? { last: null, lastTakenAt: null }, clock.now(), leaseMs());
}

/**
 * Every number of the year is its document (which exists, with an intact history that begins with
 * its registration) or voided with a reason; returns how many of each.
 */
async function expectEveryNumberExplained(year: number) {
  let documents = 0;
  let voided = 0;
  for (const line of await listing(year)) {
    if ('voided' in line) {
      expect(line.state).toBe('voided');
      expect(line.voided.reason.length).toBeGreaterThan(10);
      voided++;
      continue;
    }
    expect(line.state).toBe('registered');
    const documentId = 'documentId' in line ? line.documentId : '';
    const card = await stack.deps.documents.get(documentId);
    expect(card?.regSeq).toBe(line.seq);
    const history = await stack.deps.events.list(documentId);
    expect(history[0]?.type).toBe('registered');
    expect(verifyChain(history)).toEqual({ intact: true });
    documents++;
  }
  return { documents, voided };
}

const crashPoints = [
  { state: 'FindDuplicate', fault: 'crash', taken: 0, documents: 0 },
  { state: 'FindDuplicate', fault: 'crash-after', taken: 0, documents: 0 },
  { state: 'AssignNumber', fault: 'crash', taken: 0, documents: 0 },
  { state: 'AssignNumber', fault: 'crash-after', taken: 1, documents: 0 },
  { state: 'SaveCard', fault: 'crash', taken: 1, documents: 0 },
  { state: 'SaveCard', fault: 'crash-after', taken: 1, documents: 1 },
  { state: 'RecordEvents', fault: 'crash', taken: 1, documents: 1 },
  { state: 'RecordEvents', fault: 'crash-after', taken: 1, documents: 1 },
  { state: 'CompleteRegistration', fault: 'crash', taken: 1, documents: 1 },
  { state: 'CompleteRegistration', fault: 'crash-after', taken: 1, documents: 1 },
] as const;

describe('settle-registrations: a registration stopped at any state is settled once its lease runs out', () => {
  it.each(
    crashPoints.map((point, i) => [`${point.fault} ${point.state}`, { ...point, year: 1990 + i }] as const),
  )(
    'stopped %s: a number taken or not, a card or not, all explained after settling',
    async (_name, { state, fault, taken, documents, year }) => {
      const request = letter(year);
      stack.faults[state] = fault;
      const interrupted = await register(request);
      delete stack.faults[state];
      expect(interrupted).toMatchObject({ status: 'failed', error: 'States.Timeout' });

      // Within the lease the number is shown as in progress, and settling leaves it alone.
      const during = await listing(year);
      expect(during).toHaveLength(taken);
      if (taken === 1 && state !== 'CompleteRegistration') expect(during[0]?.state).toBe('in_progress');
      await settle();
      expect(await listing(year)).toEqual(during);

      pastTheLease();
      // Two runs at once and a third after them: the first to act wins, the others change nothing.
      const [first, second] = await Promise.all([settle(), settle()]);
      const third = await settle();
      const acted = [...(first ?? []), ...(second ?? []), ...third].filter(
        (run) => run.journalKey === `incoming#${year}`,
      );
      const settledHere = acted.reduce((sum, run) => sum + run.completed + run.voided, 0);
      const expectedActions = state === 'CompleteRegistration' && fault === 'crash-after' ? 0 : taken;
      expect(settledHere).toBe(expectedActions);

      expect(await expectEveryNumberExplained(year)).toEqual({ documents, voided: taken - documents });
      expect(await stack.deps.journals.unsettledCounters()).not.toContain(`incoming#${year}`);

      // The letter sent again is never told it is "being registered right now".
      const again = registered(await register(request));
      expect(again.duplicate).toBe(documents === 1);
      expect(await expectEveryNumberExplained(year)).toEqual({
        documents: 1,
        voided: taken - documents,
      });
    },
  );

  it('GIVEN a registration stopped after taking its number WHEN the same letter arrives after the lease, before settling THEN it completes with that number', async () => {
    const request = letter(2001);
    stack.faults['AssignNumber'] = 'crash-after';
    await register(request);
    delete stack.faults['AssignNumber'];
    const [interrupted] = await listing(2001);

    // Within the lease, the second copy waits for the first.
    const early = await register(request);
    expect(early).toMatchObject({ status: 'failed', error: 'ConflictError' });

    pastTheLease();
    const { document, duplicate } = registered(await register(request));
    expect(duplicate).toBe(false);
    expect(document.regSeq).toBe(interrupted?.seq);
    expect(document.id).toBe(interrupted && 'documentId' in interrupted ? interrupted.documentId : '');
    expect(await expectEveryNumberExplained(2001)).toEqual({ documents: 1, voided: 0 });

    const runs = (await settle()).filter((run) => run.journalKey === 'incoming#2001');
    expect(runs.reduce((sum, run) => sum + run.completed + run.voided, 0)).toBe(0);
    expect(await listing(2001)).toHaveLength(1);
  });

  it('GIVEN a number taken whose registration died before recording it THEN settling voids it once a later number is older than a lease, and not before', async () => {
    const year = 2002;
    const rules = stack.deps.config.journals['incoming'];
    if (rules === undefined) throw new Error('the seed configuration has no incoming journal');
    const counter = counterFor('incoming', rules, `${year}-03-02`);
    await stack.deps.journals.take(counter, clock.now().toISOString());
    const after = registered(await register(letter(year))).document;
    expect(after.regSeq).toBe(2);

    expect((await listing(year))[0]).toEqual({ seq: 1, state: 'in_progress' });
    await settle();
    expect((await listing(year))[0]).toEqual({ seq: 1, state: 'in_progress' });

    pastTheLease();
    const runs = (await settle()).filter((run) => run.journalKey === `incoming#${year}`);
    expect(runs).toEqual([expect.objectContaining({ voided: 1, completed: 0, settledThrough: 2 })]);
    const [lost] = await listing(year);
    expect(lost).toMatchObject({
      seq: 1,
      state: 'voided',
      regNumber: '01-05/1',
      voided: { reason: lostNumberReason },
    });
    expect(await expectEveryNumberExplained(year)).toEqual({ documents: 1, voided: 1 });
  });

  it('GIVEN registrations that all completed THEN settling reads each number once, moves the frontier over them and drops the counter from its index', async () => {
    const year = 2003;
    for (let i = 0; i < 5; i++) registered(await register(letter(year)));
    expect(await stack.deps.journals.unsettledCounters()).toContain(`incoming#${year}`);
    const [run] = (await settle()).filter((r) => r.journalKey === `incoming#${year}`);
    expect(run).toEqual(
      expect.objectContaining({ completed: 0, voided: 0, running: 0, settledThrough: 5, itemsRead: 6 }),
    );
    expect(await stack.deps.journals.unsettledCounters()).not.toContain(`incoming#${year}`);
    const entries = (await listing(year)).map((line) => line.state);
    expect(entries).toEqual(['registered', 'registered', 'registered', 'registered', 'registered']);

    // A new registration puts the counter back, and the next run reads only what is new.
    registered(await register(letter(year)));
    const [next] = (await settle()).filter((r) => r.journalKey === `incoming#${year}`);
    expect(next).toEqual(expect.objectContaining({ settledThrough: 6, itemsRead: 2 }));
  });

  it('GIVEN a claim of a letter whose registration died before taking a number THEN after the lease the letter registers normally', async () => {
    const request = letter(2004);
    const claimKey = duplicateKeyOf(request as never);
    await stack.deps.claims.claim(
      claimKey,
      '00000000-0000-4000-8000-000000000001',
      clock.now().toISOString(),
    );
    expect(await register(request)).toMatchObject({ status: 'failed', error: 'ConflictError' });
    pastTheLease();
    expect(registered(await register(request)).document.regSeq).toBe(1);
  });
});
