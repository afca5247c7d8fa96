import { type Actor, isOutgoing } from '../domain/documents.ts';
import { ConflictError } from '../domain/errors.ts';
import type { AssignedNumber } from '../domain/numbering.ts';
import { type ArchiveRecord, type OutgoingCard, registerReply as register } from '../domain/outgoing.ts';
import { changeCard } from './card-changes.ts';
import type { SignatureFacts } from './check-signature.ts';
import { clock } from './lambda/clock.ts';
import { documents, events } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface RegisterReplyInput {
  readonly documentId: string;
  readonly attempt: string;
  readonly number: AssignedNumber;
  readonly facts: SignatureFacts;
  readonly archive: ArchiveRecord;
  readonly actor: Actor;
  readonly uploadedAt: string;
  readonly onBehalfOf?: string | null;
}

/** The reply takes its number and date, with the accepted signature and where its archive lies. */
export const registerReply = defineTask(
  'register-reply',
  ['documents', 'events', 'clock'],
  async (input: RegisterReplyInput, deps): Promise<OutgoingCard> => {
    const { documents, events, clock } = deps;
    const { number, facts } = input;
    const { before, after } = await changeCard({ documents, events }, input.documentId, (card) => {
      if (!isOutgoing(card)) throw new ConflictError(`${input.documentId} is not a reply`);
      if (card.status === 'registered' && card.regNumber === number.regNumber) return null;
      return register(
        card,
        {
          attempt: input.attempt,
          regNumber: number.regNumber,
          regDate: number.regDate,
          regSeq: number.seq,
          archive: input.archive,
          signature: {
            sha256: facts.signatureSha256,
            verdict: 'valid',
            summary: facts.summary,
            signedAt: facts.signedAt,
            dateSource: facts.dateSource,
            certificate: facts.certificate,
            stamp: facts.stamp,
            uploadedAt: input.uploadedAt,
            uploadedBy: input.actor,
            ...(typeof input.onBehalfOf === 'string' ? { onBehalfOf: input.onBehalfOf } : {}),
          },
        },
        input.actor,
        clock.now(),
      );
    });
    return (after ?? before) as OutgoingCard;
  },
);

export const handler = lambdaHandler(registerReply, { clock, documents, events });
