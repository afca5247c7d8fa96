import { describe, expect, it } from 'vitest';
import {
  assignNumber,
  counterFor,
  type JournalEntry,
  journalKeyOf,
  journalListing,
  journalOfKey,
  maxRegNumberLength,
  renderRegNumberTemplate,
} from '../../functions/domain/numbering.ts';

const outgoing = {
  index: '07-04',
  template: '{index}/{seq}',
  resetsYearly: true,
  startingNumbers: {},
} as const;

describe('renderRegNumberTemplate', () => {
  it('GIVEN index 07-04 and seq 11180 THEN the number is 07-04/11180', () => {
    expect(renderRegNumberTemplate(outgoing, 11180, 2014)).toBe('07-04/11180');
  });

  it('GIVEN a template with {year} THEN the year is filled in, every occurrence', () => {
    expect(renderRegNumberTemplate({ index: 'ОГ', template: '{index}-{seq}/{year}' }, 5, 2022)).toBe(
      'ОГ-5/2022',
    );
    expect(renderRegNumberTemplate({ index: 'A', template: '{seq}.{seq}' }, 7, 2022)).toBe('7.7');
  });

  it('GIVEN an empty index THEN nothing is invented for it', () => {
    expect(renderRegNumberTemplate({ index: '', template: '{seq}' }, 42, 2022)).toBe('42');
  });

  it('knows the МЭДО limit of 31 characters', () => {
    expect(maxRegNumberLength).toBe(31);
  });
});

describe('journalKeyOf', () => {
  it('GIVEN a yearly journal THEN the key carries the year; a never-resetting one uses #all', () => {
    expect(journalKeyOf('outgoing', { resetsYearly: true }, 2021)).toBe('outgoing#2021');
    expect(journalKeyOf('orders', { resetsYearly: false }, 2021)).toBe('orders#all');
  });
});

describe('counterFor', () => {
  it('GIVEN a registration dated 2022-03-01 THEN it draws from outgoing#2022 starting at 1', () => {
    expect(counterFor('outgoing', outgoing, '2022-03-01')).toEqual({
      journal: 'outgoing',
      journalKey: 'outgoing#2022',
      year: 2022,
      firstNumber: 1,
    });
  });

  it('GIVEN a document back-dated to 2021 registered in 2022 THEN the year is the registration date’s (outgoing#2021)', () => {
    const counter = counterFor('outgoing', outgoing, '2021-12-30');
    expect(counter.journalKey).toBe('outgoing#2021');
    expect(counter.year).toBe(2021);
  });

  it('GIVEN startingNumbers {2021: 11000} THEN 2021 starts at 11000 and 2022 at 1', () => {
    const rules = { ...outgoing, startingNumbers: { '2021': 11000 } };
    expect(counterFor('outgoing', rules, '2021-05-17').firstNumber).toBe(11000);
    expect(counterFor('outgoing', rules, '2022-01-10').firstNumber).toBe(1);
    expect(counterFor('outgoing', rules, '2020-12-31').firstNumber).toBe(1);
  });

  it('GIVEN a journal that never resets THEN it uses #all for every year and ignores startingNumbers', () => {
    const rules = { ...outgoing, resetsYearly: false, startingNumbers: { '2021': 11000 } };
    const in2021 = counterFor('orders', rules, '2021-05-17');
    const in2022 = counterFor('orders', rules, '2022-01-10');
    expect(in2021.journalKey).toBe('orders#all');
    expect(in2022.journalKey).toBe('orders#all');
    expect(in2021.firstNumber).toBe(1);
    expect(in2022.firstNumber).toBe(1);
  });
});

describe('assignNumber', () => {
  it('GIVEN the counter handed out 11180 THEN the card gets 07-04/11180 with the registration date', () => {
    const counter = counterFor('outgoing', outgoing, '2014-06-16');
    expect(assignNumber(counter, outgoing, '2014-06-16', 11180)).toEqual({
      journal: 'outgoing',
      journalKey: 'outgoing#2014',
      year: 2014,
      seq: 11180,
      regNumber: '07-04/11180',
      regDate: '2014-06-16',
    });
  });

  it('GIVEN a template with {year} and a back-dated registration THEN the number carries the registration year', () => {
    const rules = { ...outgoing, template: '{index}/{seq}-{year}' };
    const counter = counterFor('outgoing', rules, '2021-12-30');
    const assigned = assignNumber(counter, rules, '2021-12-30', 3);
    expect(assigned.regNumber).toBe('07-04/3-2021');
    expect(assigned.journalKey).toBe('outgoing#2021');
  });
});

describe('journalListing', () => {
  const now = new Date('2022-02-01T08:00:00.000Z');
  const leaseMs = 60_000;
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
  const taken = (seq: number, documentId: string, takenAt = minutesAgo(60)): JournalEntry => ({
    seq,
    regNumber: `07-04/${seq}`,
    regDate: '2022-02-01',
    documentId,
    takenAt,
  });
  const voided = (seq: number): JournalEntry => ({
    seq,
    regNumber: `07-04/${seq}`,
    regDate: '2022-02-01',
    voided: { reason: 'the workflow failed after taking the number', at: minutesAgo(59) },
    takenAt: minutesAgo(60),
  });
  const inProgress = (seq: number, leaseEnds: string): JournalEntry => ({
    ...taken(seq, `d${seq}`, minutesAgo(0.5)),
    inProgress: { until: leaseEnds, claimKey: `claim-${seq}` },
  });
  const counter = (last: number, lastTakenAt = minutesAgo(60)) => ({ last, lastTakenAt });

  it('GIVEN entries 1, 2 (voided) and 4 with the counter at 5, all an hour old THEN every number 1..5 is listed in order, 3 and 5 interrupted', () => {
    const listing = journalListing([taken(4, 'd4'), voided(2), taken(1, 'd1')], 1, counter(5), now, leaseMs);
    expect(listing.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(listing[0]).toEqual({ ...taken(1, 'd1'), state: 'registered' });
    expect(listing[1]).toEqual({ ...voided(2), state: 'voided' });
    expect(listing[2]).toEqual({ seq: 3, state: 'interrupted' });
    expect(listing[3]).toEqual({ ...taken(4, 'd4'), state: 'registered' });
    expect(listing[4]).toEqual({ seq: 5, state: 'interrupted' });
  });

  it('GIVEN a number with no entry below one taken seconds ago THEN it is in progress, not interrupted', () => {
    const listing = journalListing(
      [taken(2, 'd2', minutesAgo(0.2))],
      1,
      counter(2, minutesAgo(0.2)),
      now,
      leaseMs,
    );
    expect(listing[0]).toEqual({ seq: 1, state: 'in_progress' });
  });

  it('GIVEN a number with no entry below one taken an hour ago THEN it is interrupted, however recent the last take', () => {
    const listing = journalListing(
      [taken(2, 'd2', minutesAgo(60))],
      1,
      counter(3, minutesAgo(0.1)),
      now,
      leaseMs,
    );
    expect(listing[0]).toEqual({ seq: 1, state: 'interrupted' });
    expect(listing[2]).toEqual({ seq: 3, state: 'in_progress' });
  });

  it('GIVEN entries in progress THEN those within their lease are in progress and those past it interrupted', () => {
    const running = inProgress(1, minutesAgo(-0.5));
    const overdue = inProgress(2, minutesAgo(0.1));
    const listing = journalListing([running, overdue], 1, counter(2), now, leaseMs);
    expect(listing.map((line) => line.state)).toEqual(['in_progress', 'interrupted']);
  });

  it('GIVEN a journal continuing from 11000 THEN the listing starts at 11000, not at 1', () => {
    const listing = journalListing(
      [taken(11000, 'a'), taken(11002, 'c')],
      11000,
      counter(11002),
      now,
      leaseMs,
    );
    expect(listing.map((e) => e.seq)).toEqual([11000, 11001, 11002]);
    expect(listing[1]).toEqual({ seq: 11001, state: 'interrupted' });
  });

  it('GIVEN a counter below the first number (nothing taken yet) THEN the listing is empty', () => {
    expect(journalListing([], 1, { last: null, lastTakenAt: null }, now, leaseMs)).toEqual([]);
    expect(journalListing([], 11000, counter(10999), now, leaseMs)).toEqual([]);
  });

  it('GIVEN entries beyond the counter THEN they are not listed', () => {
    expect(
      journalListing([taken(1, 'a'), taken(2, 'b')], 1, counter(1), now, leaseMs).map((e) => e.seq),
    ).toEqual([1]);
  });
});

describe('journalOfKey', () => {
  it('splits a yearly key and a key that never resets', () => {
    expect(journalOfKey('incoming#2014')).toEqual({ journal: 'incoming', year: 2014 });
    expect(journalOfKey('registry#all')).toEqual({ journal: 'registry', year: null });
  });
});
