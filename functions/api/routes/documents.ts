import type { Hono } from 'hono';
import { verifyChain } from '../../domain/history.ts';
import type { AuthEnv } from '../auth.ts';
import { type ApiDeps, fail } from '../http.ts';

/** Document ids are UUIDs; anything else names no document (and is never sent to the store). */
const isDocumentId = (id: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** Reading cards: by id, by our number or theirs, and a card's hash-chained history. */
export function documentRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  app.get('/v1/documents/:id', async (c) => {
    if (!isDocumentId(c.req.param('id')))
      return fail(404, 'NotFoundError', `no document ${c.req.param('id').slice(0, 100)}`, 'id');
    const card = await deps.documents.get(c.req.param('id'));
    if (card === null) return fail(404, 'NotFoundError', `no document ${c.req.param('id')}`, 'id');
    return c.json(card);
  });

  app.get('/v1/documents/:id/history', async (c) => {
    const id = c.req.param('id');
    if (!isDocumentId(id)) return fail(404, 'NotFoundError', `no document ${id.slice(0, 100)}`, 'id');
    const events = await deps.events.list(id);
    if (events.length === 0 && (await deps.documents.get(id)) === null) {
      return fail(404, 'NotFoundError', `no document ${id}`, 'id');
    }
    return c.json({ documentId: id, chain: verifyChain(events), events });
  });

  app.get('/v1/documents', async (c) => {
    const theirRef = c.req.query('theirRef');
    const regNumber = c.req.query('regNumber');
    if ((theirRef === undefined) === (regNumber === undefined)) {
      return fail(400, 'ValidationError', 'give exactly one of theirRef or regNumber', 'query');
    }
    const [field, value] = theirRef !== undefined ? ['theirRef', theirRef] : ['regNumber', regNumber ?? ''];
    if (value.trim() === '' || value.length > 100)
      return fail(400, 'ValidationError', 'must be 1 to 100 characters', field);
    const cards =
      theirRef !== undefined
        ? await deps.documents.findByTheirRef(theirRef)
        : await deps.documents.findByRegNumber(regNumber ?? '');
    cards.sort((a, b) => (a.regDate < b.regDate ? -1 : a.regDate > b.regDate ? 1 : a.regSeq - b.regSeq));
    return c.json({ items: cards });
  });
}
