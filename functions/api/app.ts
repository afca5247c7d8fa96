import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { type AuthEnv, authenticate } from './auth.ts';
import { errorBody, statusOf } from './errors.ts';
import { type ApiDeps, fail, json, maxBodyBytes } from './http.ts';
import { openApiDocument, openApiRoute } from './openapi.ts';
import { anchorRoutes } from './routes/anchors.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { controlRoutes } from './routes/control.ts';
import { documentRoutes } from './routes/documents.ts';
import { incomingRoutes } from './routes/incoming.ts';
import { journalRoutes } from './routes/journals.ts';
import { legalHoldRoutes } from './routes/legal-hold.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { outgoingRoutes } from './routes/outgoing.ts';
import { reportRoutes } from './routes/reports.ts';
import { signatureRoutes } from './routes/signatures.ts';

/** The HTTP API: one app, behind API Gateway in AWS and on a local port with `npm start`. */
export function createApp(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.onError((error) => {
    const status = statusOf(error.name);
    if (status !== 500) {
      // The caller's mistake (a bad `at`, say): worth a line, not a stack trace.
      console.warn(
        JSON.stringify({ level: 'warn', status, name: error.name, message: error.message.slice(0, 1000) }),
      );
      return json(status, errorBody(error.name, error.message, (error as { problems?: [] }).problems));
    }
    console.error(
      JSON.stringify({ level: 'error', name: error.name, message: error.message, stack: error.stack }),
    );
    return json(500, errorBody('InternalError', 'the request could not be completed; it was logged'));
  });
  app.notFound((c) => fail(404, 'NotFoundError', `no route ${c.req.method} ${c.req.path.slice(0, 200)}`));

  app.get(openApiRoute.path, (c) => c.json(openApiDocument()));

  app.use('/v1/*', deps.authenticate ?? authenticate(deps.secret));
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: maxBodyBytes,
      // The rest of the body is never read, so the connection cannot be reused.
      onError: () =>
        Response.json(
          errorBody('PayloadTooLarge', `the body exceeds ${maxBodyBytes} bytes`, [
            { field: '(body)', problem: `exceeds ${maxBodyBytes} bytes` },
          ]),
          {
            status: 413,
            headers: { Connection: 'close' },
          },
        ),
    }),
  );

  incomingRoutes(app, deps);
  signatureRoutes(app, deps);
  documentRoutes(app, deps);
  journalRoutes(app, deps);
  outgoingRoutes(app, deps);
  calendarRoutes(app, deps);
  controlRoutes(app, deps);
  notificationRoutes(app, deps);
  reportRoutes(app, deps);
  anchorRoutes(app, deps);
  legalHoldRoutes(app, deps);
  return app;
}
