import type { Hono } from 'hono';
import { z } from 'zod';
import { verifyChain } from '../../domain/history.ts';
import { latestAnchor, verifyAnchoredHistory } from '../../handlers/anchor-archive.ts';
import type { AuthEnv } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import type { ApiDeps } from '../http.ts';
import { documentSchema, historySchema, outgoingCardSchema } from '../schemas.ts';
import { documentSearchRoutes } from './document-search.ts';

export { findDocumentsRoute } from './document-search.ts';

/** Document ids are UUIDs; anything else names no document (and is never sent to the store). */
const documentIdSchema = z.uuid().describe('The document\u2019s id');
const documentParams = z.object({ id: documentIdSchema });
const isDocumentId = (id: string) => documentIdSchema.safeParse(id).success;

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
    'Whether a document\u2019s history and card are as docroute wrote them: each event\u2019s link and hash, the card against the state its last change recorded, and the history against the event the latest anchor fixed',
  access: 'token',
  params: documentParams,
  answers: {
    200: {
      description: '{"ok": true}, or the first event or card field that does not match, and why',
      schema: z.union([
        z.object({
          ok: z.literal(true),
          events: z.int(),
          cardChecked: z.boolean(),
          anchor: z
            .object({ number: z.int(), at: z.string(), seq: z.int() })
            .nullable()
            .describe('Where the latest anchor fixed this history; null when it is newer than every anchor'),
        }),
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
    const [events, card, anchor] = await Promise.all([
      deps.events.list(id),
      deps.documents.get(id),
      latestAnchor(deps.blobs),
    ]);
    if (events.length === 0 && card === null) return noSuch();
    return c.json(await verifyAnchoredHistory(deps.blobs, anchor, id, events, card));
  });

  documentSearchRoutes(app, deps);
}
