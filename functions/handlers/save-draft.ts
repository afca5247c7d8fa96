import { type Actor, isOutgoing } from '../domain/documents.ts';
import { ConflictError } from '../domain/errors.ts';
import { type DraftVersion, newReplyCard, type OutgoingCard, reviseReply } from '../domain/outgoing.ts';
import { changeCard, recordCardChange } from './card-changes.ts';
import { clock } from './lambda/clock.ts';
import { documents, events } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';
import type { ReplyToPrepare } from './validate-reply.ts';

export interface SaveDraftInput {
  readonly reply: ReplyToPrepare;
  readonly draft: DraftVersion;
  readonly actor: Actor;
}

/** Saves the reply's card with its new draft version, and records the change in its history. */
export const saveDraft = defineTask(
  'save-draft',
  ['documents', 'events', 'clock'],
  async ({ reply, draft, actor }: SaveDraftInput, deps): Promise<OutgoingCard> => {
    const { documents, events, clock } = deps;
    const now = clock.now();
    const hasThisVersion = (card: OutgoingCard) =>
      card.drafts.some((d) => d.version === draft.version && d.sha256 === draft.sha256);
    if (reply.baseRevision === null) {
      const card = newReplyCard(reply.id, reply.content, draft, actor, now);
      try {
        await documents.create(card);
      } catch (error) {
        // A retry after a lost answer finds its own card.
        const existing = error instanceof ConflictError ? await documents.get(reply.id) : null;
        if (existing === null || !isOutgoing(existing) || !hasThisVersion(existing)) throw error;
        await recordCardChange(events, existing);
        return existing;
      }
      await recordCardChange(events, card);
      return card;
    }
    const { before, after } = await changeCard({ documents, events }, reply.id, (card) => {
      if (!isOutgoing(card)) throw new ConflictError(`${reply.id} is not a reply`);
      if (hasThisVersion(card)) return null;
      if (card.revision !== reply.baseRevision)
        throw new ConflictError(
          `reply ${reply.id} changed while this version was being prepared; send it again`,
        );
      return reviseReply(card, reply.content, draft, actor, now);
    });
    return (after ?? before) as OutgoingCard;
  },
);

export const handler = lambdaHandler(saveDraft, { clock, documents, events });
