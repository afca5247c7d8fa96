import { type Actor, isOutgoing } from '../domain/documents.ts';
import { ConflictError } from '../domain/errors.ts';
import { leaseFrom } from '../domain/numbering.ts';
import { claimSigning as claim, planSigning } from '../domain/outgoing.ts';
import { changeCard } from './card-changes.ts';
import type { SignatureFacts } from './check-signature.ts';
import { clock, registrationLeaseMs } from './lambda/clock.ts';
import { documents, events } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface ClaimSigningInput {
  readonly documentId: string;
  readonly attempt: string;
  readonly facts: SignatureFacts;
  readonly actor: Actor;
  /** Set when a clerk uploads the signature for the signer. */
  readonly onBehalfOf?: string | null;
}

/**
 * Takes the reply for this finalization, conditional on the revision whose draft was verified: of
 * two signatures at once one wins, the other gets ConflictError. Holds it for a registration lease.
 */
export const claimSigning = defineTask(
  'claim-signing',
  ['documents', 'events', 'clock', 'registrationLeaseMs'],
  async (input: ClaimSigningInput, deps): Promise<{ readonly until: string }> => {
    const { documents, events, clock, registrationLeaseMs } = deps;
    const { facts } = input;
    const now = clock.now();
    const until = leaseFrom(now, registrationLeaseMs);
    const { before, after } = await changeCard({ documents, events }, input.documentId, (card) => {
      if (!isOutgoing(card)) throw new ConflictError(`${input.documentId} is not a reply`);
      // A retry of this very step finds its own claim.
      if (card.status === 'signing' && card.signing?.attempt === input.attempt) return null;
      if (card.revision !== facts.revision)
        throw new ConflictError(
          `reply ${card.id} changed while its signature was being checked; send it again`,
        );
      planSigning(card, facts.signatureSha256, now);
      return claim(
        card,
        { attempt: input.attempt, signatureSha256: facts.signatureSha256, until },
        {
          signatureSha256: facts.signatureSha256,
          verdict: facts.verdict,
          summary: facts.summary,
          signedAt: facts.signedAt,
          dateSource: facts.dateSource,
          certificate: facts.certificate,
          ...(typeof input.onBehalfOf === 'string' ? { onBehalfOf: input.onBehalfOf } : {}),
        },
        input.actor,
        now,
      );
    });
    const held = after ?? before;
    return { until: isOutgoing(held) && held.signing !== null ? held.signing.until : until };
  },
);

export const handler = lambdaHandler(claimSigning, { clock, registrationLeaseMs, documents, events });
