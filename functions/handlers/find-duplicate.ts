import type { DocumentCard } from '../domain/documents.ts';
import { ConflictError } from '../domain/errors.ts';
import type { IncomingDraft } from '../domain/incoming.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface FindDuplicateInput {
  readonly draft: IncomingDraft;
}

export type FindDuplicateOutput =
  | { readonly found: false }
  | { readonly found: true; readonly document: DocumentCard };

/** A claim older than this whose card never appeared was left by a registration that died. */
const abandonedAfterMs = 15 * 60 * 1000;

/**
 * Claims the request's identity (correspondent, their number and date) for this draft. If another
 * document holds it, that document is the answer; a claim whose registration is still running is a
 * ConflictError, which the workflow retries after a pause (by then the card is usually there).
 */
export const findDuplicate = defineTask(
  'find-duplicate',
  async ({ draft }: FindDuplicateInput, { claims, documents, clock }): Promise<FindDuplicateOutput> => {
    const now = clock.now();
    const result = await claims.claim(draft.duplicateKey, draft.id, now.toISOString());
    if (result.claimed) return { found: false };
    const existing = await documents.get(result.holder);
    if (existing !== null) return { found: true, document: existing };
    const abandoned = now.getTime() - Date.parse(result.claimedAt) > abandonedAfterMs;
    if (
      abandoned &&
      (await claims.takeOver(draft.duplicateKey, result.holder, draft.id, now.toISOString()))
    ) {
      return { found: false };
    }
    throw new ConflictError(
      `the same document (${draft.theirRef.number} of ${draft.theirRef.date}) is being registered right now; retry shortly`,
    );
  },
);

export const handler = lambdaHandler(findDuplicate);
