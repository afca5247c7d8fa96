import type { Hono } from 'hono';
import { z } from 'zod';
import { type AuthEnv, allow } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import type { ApiDeps } from '../http.ts';

const limitSchema = z
  .string()
  .regex(/^[1-9]\d{0,3}$/)
  .optional()
  .describe('At most this many, up to 1000; 100 when absent');

export const notificationsRoute = defineRoute({
  method: 'get',
  path: '/v1/notifications',
  summary: 'The outbox: reminders and dispatched letters, newest first, each with what became of it',
  access: 'token',
  roles: ['clerk', 'auditor', 'admin'],
  query: z.object({ limit: limitSchema }),
  answers: {
    200: {
      description: 'The notifications',
      schema: z.object({
        items: z.array(
          z.looseObject({
            key: z.string(),
            kind: z.enum(['reminder', 'dispatch']),
            documentId: z.string(),
            to: z.array(z.string()),
            subject: z.string(),
            status: z.enum(['pending', 'sent', 'delivered_to_server', 'failed']),
          }),
        ),
      }),
    },
    400: { description: 'The limit is not a number from 1 to 1000' },
  },
});

/** GET /v1/notifications. */
export function notificationRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  app.get(notificationsRoute.path, allow(...(notificationsRoute.roles ?? [])), async (c) => {
    const limit = c.req.query('limit');
    if (!limitSchema.safeParse(limit).success || Number(limit ?? 100) > 1000)
      return notificationsRoute.fail(400, 'ValidationError', 'must be a number from 1 to 1000', 'limit');
    return c.json({ items: await deps.notifications.recent(Number(limit ?? 100)) });
  });
}
