import type { Hono } from 'hono';
import { z } from 'zod';
import { verifyChain, verifyHistory } from '../../domain/history.ts';
import { freeText, problemsOf } from '../../domain/validation.ts';
import type { AuthEnv } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import { errorBody } from '../errors.ts';
import { type ApiDeps, json } from '../http.ts';
import { documentListSchema, documentSchema, historySchema, outgoingCardSchema } from '../schemas.ts';

/** Document ids are UUIDs; anything else names no document (and is never sent to the store). */
const documentIdSchema = z.uuid().describe('The document\u2019s id');
const documentParams = z.object({ id: documentIdSchema });
const isDocumentId = (id: string) => documentIdSchema.safeParse(id).success;

/** Exactly one of them: a search by the correspondent's number or by ours. */
const documentSearchQuery = z.object({
  theirRef: freeText(100).optional().describe('The correspondent\u2019s number'),
  regNumber: freeText(100).optional().describe('Our registration number'),
});

export const getDocumentRoute = defineRoute({
  method: 'get',
  path: '/v1/documents/:id',
  summary: 'A registration card',
  access: 'token',
  params: documentParams,
  answers: {
    200: {
      description: 'The card: an incoming document’s or a reply’s',
      schema: z.union([documentSchema, outgoingCardSchema]),
    },
    404: { description: 'No such document' },
  },
});

export const documentHistoryRoute = defineRoute({
  method: 'get',
  path: '/v1/documents/:id/history',
  summary: 'A document\u2019s hash-chained history and whether the chain is intact',
  access: 'token',
  params: documentParams,
  answers: {
    200: { description: 'Events in order, with the chain verdict', schema: historySchema },
    404: { description: 'No such document' },
  },
});

export const verifyHistoryRoute = defineRoute({
  method: 'get',
  path: '/v1/documents/:id/history/verify',
  summary:
    'Whether a document\u2019s history and card are as docroute wrote them: each event\u2019s link and hash, and the card against the state its last change recorded',
  access: 'token',
  params: documentParams,
  answers: {
    200: {
      description: '{"ok": true}, or the first event or card field that does not match, and why',
      schema: z.union([
        z.object({ ok: z.literal(true), events: z.int(), cardChecked: z.boolean() }),
        z.object({
          ok: z.literal(false),
          seq: z.int().optional(),
          field: z.string().optional(),
          problem: z.string(),
        }),
      ]),
    },
    404: { description: 'No such document' },
  },
});

export const findDocumentsRoute = defineRoute({
  method: 'get',
  path: '/v1/documents',
  summary: 'Find documents by the correspondent\u2019s number or by our registration number',
  access: 'token',
  query: documentSearchQuery,
  answers: {
    200: { description: 'Matching cards, oldest first', schema: documentListSchema },
    400: { description: 'Neither or both query parameters given, or a value that is not plain text' },
  },
});

/** Reading cards: by id, by our number or theirs, and a card's hash-chained history. */
export function documentRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  app.get(getDocumentRoute.path, async (c) => {
    const id = c.req.param('id');
    const noSuch = () => getDocumentRoute.fail(404, 'NotFoundError', `no document ${id.slice(0, 100)}`, 'id');
    if (!isDocumentId(id)) return noSuch();
    const card = await deps.documents.get(id);
    if (card === null) return noSuch();
    return c.json(card);
  });

  app.get(documentHistoryRoute.path, async (c) => {
    const id = c.req.param('id');
    const noSuch = () =>
      documentHistoryRoute.fail(404, 'NotFoundError', `no document ${id.slice(0, 100)}`, 'id');
    if (!isDocumentId(id)) return noSuch();
    const events = await deps.events.list(id);
    if (events.length === 0 && (await deps.documents.get(id)) === null) return noSuch();
    return c.json({ documentId: id, chain: verifyChain(events), events });
  });

  app.get(verifyHistoryRoute.path, async (c) => {
    const id = c.req.param('id');
    const noSuch = () =>
      verifyHistoryRoute.fail(404, 'NotFoundError', `no document ${id.slice(0, 100)}`, 'id');
    if (!isDocumentId(id)) return noSuch();
    const [events, card] = await Promise.all([deps.events.list(id), deps.documents.get(id)]);
    if (events.length === 0 && card === null) return noSuch();
    return c.json(verifyHistory(events, card));
  });

  app.get(findDocumentsRoute.path, async (c) => {
    const route = findDocumentsRoute;
    const query = { theirRef: c.req.query('theirRef'), regNumber: c.req.query('regNumber') };
    if ((query.theirRef === undefined) === (query.regNumber === undefined)) {
      return route.fail(400, 'ValidationError', 'give exactly one of theirRef or regNumber', 'query');
    }
    const parsed = documentSearchQuery.safeParse(query, { reportInput: true });
    if (!parsed.success) {
      return json(400, errorBody('ValidationError', 'the query is malformed', problemsOf(parsed.error)));
    }
    const { theirRef, regNumber } = parsed.data;
    const cards =
      theirRef !== undefined
        ? await deps.documents.findByTheirRef(theirRef)
        : await deps.documents.findByRegNumber(regNumber ?? '');
    cards.sort((a, b) => {
      const [dateA, dateB] = [a.regDate ?? '', b.regDate ?? ''];
      return dateA < dateB ? -1 : dateA > dateB ? 1 : (a.regSeq ?? 0) - (b.regSeq ?? 0);
    });
    return c.json({ items: cards });
  });
}
