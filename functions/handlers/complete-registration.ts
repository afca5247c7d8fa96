import { journals } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface CompleteRegistrationInput {
  readonly journalKey: string;
  readonly seq: number;
  readonly documentId: string;
}

/** The card and its first event are written: the number is no longer in progress. */
export const completeRegistration = defineTask(
  'complete-registration',
  ['journals'],
  async ({ journalKey, seq, documentId }: CompleteRegistrationInput, { journals }) => ({
    completed: await journals.complete(journalKey, seq, documentId),
  }),
);

export const handler = lambdaHandler(completeRegistration, { journals });
