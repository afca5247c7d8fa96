import type { Hono } from 'hono';
import type { DocumentCard } from '../../domain/documents.ts';
import { type AuthEnv, allow } from '../auth.ts';
import { type ApiDeps, readJson } from '../http.ts';
import { idempotent } from '../idempotency.ts';
import { runWorkflow } from '../workflow-answer.ts';

/** POST /v1/incoming: register an incoming document (201), or find it registered before (200). */
export function incomingRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  app.post('/v1/incoming', allow('clerk', 'admin'), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    return idempotent(c, deps, body.text, () =>
      runWorkflow(deps, 'register-incoming', { request: body.value, actor: c.get('actor') }, (output) => {
        const { document, duplicate } = output as { document: DocumentCard; duplicate: boolean };
        return { status: duplicate ? 200 : 201, body: { ...document, duplicate } };
      }),
    );
  });
}
