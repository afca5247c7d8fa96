import { type Actor, isOutgoing } from '../domain/documents.ts';
import { type FieldProblem, SignatureRejectedError } from '../domain/errors.ts';
import { rejectSignature } from '../domain/outgoing.ts';
import { changeCard } from './card-changes.ts';
import { clock } from './lambda/clock.ts';
import { documents, events } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface RecordRejectionInput {
  readonly documentId: string;
  readonly problems: readonly FieldProblem[];
  readonly rejection: Readonly<Record<string, unknown>>;
  readonly actor: Actor;
}

/**
 * Notes a refused signature in the reply's history, then fails the workflow with the reasons: no
 * number is taken and the reply still awaits its signature.
 */
export const recordRejection = defineTask(
  'record-rejection',
  ['documents', 'events', 'clock'],
  async ({ documentId, problems, rejection, actor }: RecordRejectionInput, deps): Promise<never> => {
    const { documents, events, clock } = deps;
    await changeCard({ documents, events }, documentId, (card) =>
      isOutgoing(card) ? rejectSignature(card, rejection, actor, clock.now()) : null,
    );
    throw new SignatureRejectedError(problems);
  },
);

export const handler = lambdaHandler(recordRejection, { clock, documents, events });
