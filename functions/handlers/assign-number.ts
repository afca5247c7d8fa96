import { NotFoundError } from '../domain/errors.ts';
import { type AssignedNumber, counterFor, assignNumber as numberFor } from '../domain/numbering.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface AssignNumberInput {
  readonly documentId: string;
  readonly journal: string;
  readonly regDate: string;
}

/** Takes the next number of the journal's counter for the registration date's year, and records it. */
export const assignNumber = defineTask(
  'assign-number',
  async (input: AssignNumberInput, { config, journals, clock }): Promise<AssignedNumber> => {
    const rules = config.journals[input.journal];
    if (rules === undefined) throw new NotFoundError(`unknown journal '${input.journal}'`);
    const counter = counterFor(input.journal, rules, input.regDate);
    const seq = await journals.take(counter);
    const number = numberFor(counter, rules, input.regDate, seq);
    const entry = {
      seq,
      regNumber: number.regNumber,
      regDate: number.regDate,
      takenAt: clock.now().toISOString(),
    };
    try {
      await journals.record(counter.journalKey, { ...entry, documentId: input.documentId });
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

export const handler = lambdaHandler(assignNumber);
