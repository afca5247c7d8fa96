import { type Actor, markAnswered as answered, isIncoming } from '../domain/documents.ts';
import type { OutgoingCard } from '../domain/outgoing.ts';
import { changeCard } from './card-changes.ts';
import { clock } from './lambda/clock.ts';
import { documents, events } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask, type TaskDeps } from './task.ts';

export interface MarkAnsweredInput {
  readonly reply: OutgoingCard;
  readonly actor: Actor;
}

/** Each incoming document the registered reply answers is marked answered, with the reply's number. */
export const markAnswered = defineTask(
  'mark-answered',
  ['documents', 'events', 'clock'],
  async ({ reply, actor }: MarkAnsweredInput, deps): Promise<{ readonly marked: number }> => ({
    marked: await markRequestsAnswered(deps, reply, actor),
  }),
);

/** Marks each request the reply answers (those marked already are left as they are); how many it marked. */
export async function markRequestsAnswered(
  deps: Pick<TaskDeps, 'documents' | 'events' | 'clock'>,
  reply: OutgoingCard,
  actor: Actor,
): Promise<number> {
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
  return marked;
}

export const handler = lambdaHandler(markAnswered, { clock, documents, events });
