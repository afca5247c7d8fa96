import { journals } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

/** The journals and years with numbers that settling has not yet seen settled (a sparse index, no scan). */
export const findUnsettledJournals = defineTask(
  'find-unsettled-journals',
  ['journals'],
  async (_input: Record<string, never>, { journals }): Promise<{ journals: { journalKey: string }[] }> => ({
    journals: (await journals.unsettledCounters()).map((journalKey) => ({ journalKey })),
  }),
);

export const handler = lambdaHandler(findUnsettledJournals, { journals });
