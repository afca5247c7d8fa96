import type { Hono } from 'hono';
import type { DocumentCard } from '../../domain/documents.ts';
import { incomingRequestSchema } from '../../domain/incoming.ts';
import { type AuthEnv, allow } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import { type ApiDeps, readJson } from '../http.ts';
import { idempotent } from '../idempotency.ts';
import { registeredDocumentSchema } from '../schemas.ts';
import { runWorkflow } from '../workflow-answer.ts';

export const registerIncomingRoute = defineRoute({
  method: 'post',
  path: '/v1/incoming',
  summary: 'Register an incoming document',
  access: 'token',
  roles: ['clerk'],
  body: incomingRequestSchema,
  idempotencyKey: true,
  answers: {
    201: { description: 'Registered; the card with its number', schema: registeredDocumentSchema },
    200: {
      description:
        'The same letter (correspondent, their number and date) was registered before: that card, with duplicate: true',
      schema: registeredDocumentSchema,
    },
    400: { description: 'Malformed body or Idempotency-Key: each field and problem named' },
    409: {
      description: 'The same letter is being registered right now, or the Idempotency-Key is in use',
    },
    422: {
      description:
        'Breaks a rule: their date after receipt, receipt in the future, unknown executor; or the Idempotency-Key was used for another request',
    },
  },
});

/** POST /v1/incoming: register an incoming document (201), or find it registered before (200). */
export function incomingRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  const route = registerIncomingRoute;
  app.post(route.path, allow(...(route.roles ?? [])), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    return idempotent(c, deps, body.text, () =>
      runWorkflow(
        deps,
        route,
        'register-incoming',
        { request: body.value, actor: c.get('actor') },
        (output) => {
          const { document, duplicate } = output as { document: DocumentCard; duplicate: boolean };
          return { status: duplicate ? 200 : 201, body: { ...document, duplicate } };
        },
      ),
    );
  });
}
