import { calendarDateIn } from '../domain/calendar-date.ts';
import { type Actor, isIncoming, isOutgoing } from '../domain/documents.ts';
import { NotFoundError } from '../domain/errors.ts';
import {
  type AnsweredDocument,
  assertRevisable,
  type ReplyContent,
  validateReply as validate,
} from '../domain/outgoing.ts';
import { clock, newId } from './lambda/clock.ts';
import { config } from './lambda/config.ts';
import { documents } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface ValidateReplyInput {
  readonly request: unknown;
  readonly actor: Actor;
  /** Set for a new version of an existing reply. */
  readonly documentId?: string | null;
}

/** What the next steps make and save: a reply's content and which version of which card it becomes. */
export interface ReplyToPrepare {
  readonly id: string;
  readonly content: ReplyContent;
  readonly version: number;
  /** The card's revision this version follows; null for a new reply. */
  readonly baseRevision: number | null;
  /** The calendar date the draft carries, in the office's zone. */
  readonly draftDate: string;
}

/** Checks a reply request and resolves what it names: the answered documents, the people, the journal. */
export const validateReply = defineTask(
  'validate-reply',
  ['documents', 'config', 'clock', 'newId'],
  async ({ request, documentId }: ValidateReplyInput, deps): Promise<ReplyToPrepare> => {
    const { documents, config, clock, newId } = deps;
    let base = null;
    if (typeof documentId === 'string') {
      const card = await documents.get(documentId);
      if (card === null || !isOutgoing(card)) throw new NotFoundError(`no reply ${documentId}`);
      assertRevisable(card);
      base = card;
    }
    const ids = requestedIds(request);
    const found = new Map(await Promise.all(ids.map(async (id) => [id, await documents.get(id)] as const)));
    const content = validate(request, config, (id): AnsweredDocument | null | 'not_incoming' => {
      const card = found.get(id) ?? null;
      if (card === null) return null;
      if (!isIncoming(card)) return 'not_incoming';
      return { id: card.id, regNumber: card.regNumber, regDate: card.regDate, theirRef: card.theirRef };
    });
    return {
      id: base?.id ?? newId(),
      content,
      version: (base?.drafts.length ?? 0) + 1,
      baseRevision: base?.revision ?? null,
      draftDate: calendarDateIn(clock.now(), config.timeZone),
    };
  },
);

/** The ids the request names in inReplyTo, when they look like ids; validation says the rest. */
function requestedIds(request: unknown): string[] {
  const ids = (request as { inReplyTo?: unknown } | null)?.inReplyTo;
  if (!Array.isArray(ids) || ids.length > 20) return [];
  return ids.filter((id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id));
}

export const handler = lambdaHandler(validateReply, { config, clock, newId, documents });
