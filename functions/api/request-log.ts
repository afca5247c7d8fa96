import type { Logger } from '@aws-lambda-powertools/logger';
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import { functionLogger } from '../handlers/lambda/log.ts';
import type { AuthEnv } from './auth.ts';

/**
 * The API as the Lambda function serves it: the same app, with one JSON line per request (method,
 * route pattern, status, the caller's role, latency). Only the Lambda entry wraps it; `npm start`
 * serves the app itself and prints none of this.
 */
export function withRequestLog(
  app: Hono<AuthEnv>,
  logger: Logger = functionLogger({ task: 'api' }),
): Hono<AuthEnv> {
  const root = new Hono<AuthEnv>();
  root.use(async (c, next) => {
    const started = performance.now();
    const lambdaContext = (c.env as { lambdaContext?: unknown } | undefined)?.lambdaContext;
    if (lambdaContext !== undefined) logger.addContext(lambdaContext as never);
    try {
      await next();
    } finally {
      logger.info('request', {
        method: c.req.method,
        // The pattern (/v1/documents/:id), not the path: no document ids or query strings here.
        route: routePath(c, -1),
        status: c.res.status,
        role: (c.get('actor') as { role?: string } | undefined)?.role ?? 'none',
        latencyMs: Math.round(performance.now() - started),
      });
    }
  });
  // The app's routes keep their own error handler; a path none of them matches is answered by the
  // app itself, with its own 404 body.
  root.route('/', app);
  root.notFound((c) => app.fetch(c.req.raw, c.env));
  return root;
}
