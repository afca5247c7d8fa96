import { NotFoundError } from '../domain/errors.ts';
import {
  type AssignedNumber,
  counterFor,
  leaseFrom,
  assignNumber as numberFor,
} from '../domain/numbering.ts';
import { clock, registrationLeaseMs } from './lambda/clock.ts';
import { config } from './lambda/config.ts';
import { journals } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface AssignNumberInput {
  /** The document to number: which journal, the registration date whose year picks the counter, and the identity it claimed. */
  readonly document: {
    readonly id: string;
    readonly journal: string;
    readonly regDate: string;
    readonly duplicateKey: string;
  };
}

/**
 * Takes the next number of the journal's counter for the registration date's year, and records it as
 * in progress under a lease: until CompleteRegistration clears the mark, settling knows whom to ask.
 */
export const assignNumber = defineTask(
  'assign-number',
  ['config', 'journals', 'clock', 'registrationLeaseMs'],
  async (
    { document }: AssignNumberInput,
    { config, journals, clock, registrationLeaseMs },
  ): Promise<AssignedNumber> => {
    const rules = config.journals[document.journal];
    if (rules === undefined) throw new NotFoundError(`unknown journal '${document.journal}'`);
    const counter = counterFor(document.journal, rules, document.regDate);
    const takenAt = clock.now();
    const seq = await journals.take(counter, takenAt.toISOString());
    const number = numberFor(counter, rules, document.regDate, seq);
    const entry = {
      seq,
      regNumber: number.regNumber,
      regDate: number.regDate,
      takenAt: takenAt.toISOString(),
    };
    try {
      await journals.record(counter.journalKey, {
        ...entry,
        documentId: document.id,
        inProgress: { until: leaseFrom(takenAt, registrationLeaseMs), claimKey: document.duplicateKey },
      });
    } catch (error) {
      // The number is taken either way: leave it voided with the reason rather than unexplained.
      const reason = `the journal entry could not be written: ${(error as Error).name}: ${(error as Error).message}`;
      await journals
        .record(counter.journalKey, {
          ...entry,
          voided: { reason: reason.slice(0, 1000), at: clock.now().toISOString() },
        })
        .catch(() => undefined);
      throw error;
    }
    return number;
  },
);

export const handler = lambdaHandler(assignNumber, { config, clock, registrationLeaseMs, journals });
