import { isOutgoing } from '../domain/documents.ts';
import { ConflictError } from '../domain/errors.ts';
import { releaseSigning } from '../domain/outgoing.ts';
import { changeCard } from './card-changes.ts';
import type { TaskDeps } from './task.ts';

/**
 * Gives a reply back to its signer after the finalization holding it died: only if that attempt
 * still holds it (another may have taken over after its lease).
 */
export async function releaseSigningClaim(
  stores: Pick<TaskDeps, 'documents' | 'events'>,
  documentId: string,
  attempt: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  try {
    const { after } = await changeCard(stores, documentId, (card) =>
      isOutgoing(card) && card.status === 'signing' && card.signing?.attempt === attempt
        ? releaseSigning(card, attempt, reason, now)
        : null,
    );
    return after !== null;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}
