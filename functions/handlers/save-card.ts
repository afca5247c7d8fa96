import { type Actor, type IncomingCard, registerCard } from '../domain/documents.ts';
import { ConflictError } from '../domain/errors.ts';
import type { IncomingDraft } from '../domain/incoming.ts';
import type { AssignedNumber } from '../domain/numbering.ts';
import { clock } from './lambda/clock.ts';
import { documents } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface SaveCardInput {
  readonly draft: IncomingDraft;
  readonly number: AssignedNumber;
  readonly actor: Actor;
}

export const saveCard = defineTask(
  'save-card',
  ['documents', 'clock'],
  async ({ draft, number, actor }: SaveCardInput, { documents, clock }): Promise<IncomingCard> => {
    const card = registerCard(draft, number, actor, clock.now());
    try {
      await documents.create(card);
      return card;
    } catch (error) {
      // A retried task finds its own earlier write and returns it.
      const existing = error instanceof ConflictError ? await documents.get(card.id) : null;
      if (existing?.direction === 'incoming' && existing.regNumber === card.regNumber) return existing;
      throw error;
    }
  },
);

export const handler = lambdaHandler(saveCard, { clock, documents });
