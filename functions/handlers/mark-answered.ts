import { type Actor, markAnswered as answered, isIncoming } from '../domain/documents.ts';
import type { OutgoingCard } from '../domain/outgoing.ts';
import { changeCard } from './card-changes.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface MarkAnsweredInput {
  readonly reply: OutgoingCard;
  readonly actor: Actor;
}

/** Each incoming document the registered reply answers is marked answered, with the reply's number. */
export const markAnswered = defineTask(
  'mark-answered',
  async ({ reply, actor }: MarkAnsweredInput, deps): Promise<{ readonly marked: number }> => {
    const { documents, events, clock } = deps;
    let marked = 0;
    for (const incoming of reply.inReplyTo) {
      const { after } = await changeCard({ documents, events }, incoming.id, (card) =>
        isIncoming(card)
          ? answered(
              card,
              { id: reply.id, regNumber: reply.regNumber ?? '', regDate: reply.regDate ?? '' },
              actor,
              clock.now(),
            )
          : null,
      );
      if (after !== null) marked++;
    }
    return { marked };
  },
);

export const handler = lambdaHandler(markAnswered);
