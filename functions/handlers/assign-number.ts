import { NotFoundError } from '../domain/errors.ts';
import { type AssignedNumber, assignNumber as numberFor, counterFor } from '../domain/numbering.ts';
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
    await journals.record(counter.journalKey, {
      seq,
      regNumber: number.regNumber,
      regDate: number.regDate,
      documentId: input.documentId,
      takenAt: clock.now().toISOString(),
    });
    return number;
  },
);

export const handler = lambdaHandler(assignNumber);
