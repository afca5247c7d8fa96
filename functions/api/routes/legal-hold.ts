import type { Hono } from 'hono';
import { z } from 'zod';
import { isOutgoing } from '../../domain/documents.ts';
import { freeText, problemsOf } from '../../domain/validation.ts';
import { appendEvents } from '../../handlers/append-event.ts';
import { type AuthEnv, allow } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import { errorBody } from '../errors.ts';
import { type ApiDeps, json, readJson } from '../http.ts';

const documentParams = z.object({ id: z.uuid().describe('The reply\u2019s id') });

const legalHoldRequestSchema = z.strictObject({
  on: z.boolean().describe('true puts the hold on, false lifts it'),
  reason: freeText(1000).describe('Why: the case, the request of the court or the prosecutor'),
});

export const legalHoldRoute = defineRoute({
  method: 'put',
  path: '/v1/documents/:id/archive/legal-hold',
  summary:
    'Puts a legal hold on every object of a signed reply\u2019s archive, or lifts it: while it is on, nothing there is deleted even after its retention; the history records who, when and why',
  access: 'token',
  roles: ['admin'],
  params: documentParams,
  body: legalHoldRequestSchema,
  answers: {
    200: {
      description: 'The objects now held (or released), and what enforces the hold',
      schema: z.object({
        documentId: z.string(),
        on: z.boolean(),
        objects: z.array(z.string()),
        enforcedBy: z
          .enum(['object_lock', 'write_once'])
          .describe(
            'object_lock: S3 Object Lock holds them; write_once: the store deletes nothing write-once',
          ),
      }),
    },
    400: { description: 'Malformed body: each field and problem named' },
    404: { description: 'No such reply, or it is not archived yet' },
  },
});

/** PUT /v1/documents/{id}/archive/legal-hold. */
export function legalHoldRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  app.put(legalHoldRoute.path, allow(...(legalHoldRoute.roles ?? [])), async (c) => {
    const id = c.req.param('id');
    const card = documentParams.safeParse({ id }).success ? await deps.documents.get(id) : null;
    if (card === null || !isOutgoing(card) || card.archive === undefined)
      return legalHoldRoute.fail(404, 'NotFoundError', `no archived reply ${id.slice(0, 100)}`, 'id');
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = legalHoldRequestSchema.safeParse(body.value, { reportInput: true });
    if (!parsed.success)
      return json(400, errorBody('ValidationError', 'the request is malformed', problemsOf(parsed.error)));
    const objects: string[] = [];
    for await (const key of deps.blobs.list(card.archive.prefix)) objects.push(key);
    const enforced = new Set<string>();
    for (const key of objects) enforced.add(await deps.blobs.setLegalHold(key, parsed.data.on));
    const enforcedBy = enforced.has('write_once') || enforced.size === 0 ? 'write_once' : 'object_lock';
    const actor = c.get('actor');
    await appendEvents(deps.events, id, () => [
      {
        type: parsed.data.on ? 'legal_hold_set' : 'legal_hold_lifted',
        at: deps.clock.now().toISOString(),
        actor,
        data: { reason: parsed.data.reason, objects, enforcedBy },
      },
    ]);
    return c.json({ documentId: id, on: parsed.data.on, objects, enforcedBy });
  });
}
