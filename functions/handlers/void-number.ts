import { decodeTaskCause } from '../domain/task-failure.ts';
import { clock } from './lambda/clock.ts';
import { journals } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface VoidNumberInput {
  readonly journalKey: string;
  readonly seq: number;
  /** The error a later task failed with, as Step Functions' Catch passes it. */
  readonly error: { readonly Error: string; readonly Cause?: string };
}

/** A number taken and not used is voided with the reason, never handed out again. */
export const voidNumber = defineTask(
  'void-number',
  ['journals', 'clock'],
  async ({ journalKey, seq, error }: VoidNumberInput, { journals, clock }): Promise<{ reason: string }> => {
    const detail = error.Cause === undefined ? '' : decodeTaskCause(error.Cause).message;
    const reason = `registration failed after the number was taken: ${error.Error}${detail ? ` (${detail})` : ''}`;
    await journals.voidNumber(journalKey, seq, {
      reason: reason.slice(0, 1000),
      at: clock.now().toISOString(),
    });
    return { reason };
  },
);

export const handler = lambdaHandler(voidNumber, { clock, journals });
