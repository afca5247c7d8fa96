import { Logger } from '@aws-lambda-powertools/logger';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthEnv } from '../../functions/api/auth.ts';
import { withRequestLog } from '../../functions/api/request-log.ts';
import { documentIdOf } from '../../functions/handlers/lambda/log.ts';
import { capturedLines, lambdaContext, useStackAsLambdaEnvironment } from '../support/lambda-run.ts';
import { seedRequest, startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * The `handler` exports are what Lambda runs: built from the environment CDK sets, on the same
 * stores. Here they run against the embedded DynamoDB, reached the way the SDK finds any endpoint.
 */
describe('task handlers as Lambda runs them', () => {
  let stack: TestStack;
  let stdout: ReturnType<typeof capturedLines>;
  let restoreEnvironment: () => void = () => {};
  beforeAll(async () => {
    stack = await startTestStack();
    restoreEnvironment = useStackAsLambdaEnvironment(stack);
  });
  afterAll(async () => {
    restoreEnvironment();
    await stack.dispose();
  });
  beforeEach(() => {
    stdout = capturedLines();
  });
  afterEach(() => stdout.restore());

  it('GIVEN a bad request THEN validate-incoming fails with the error name Step Functions matches, and the problems in its message', async () => {
    const { handler } = await import('../../functions/handlers/validate-incoming.ts');
    const failure = await handler({
      request: seedRequest({ kind: 'poem' }),
      actor: { sub: 'a', role: 'clerk' },
    }).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('ValidationError');
    expect(JSON.parse((failure as Error).message)).toMatchObject({ problems: [{ field: 'kind' }] });
  });

  it('GIVEN a failure THEN it is logged once, as JSON, with the task, the request and its error name', async () => {
    const { handler } = await import('../../functions/handlers/validate-incoming.ts');
    await handler(
      { request: seedRequest({ kind: 'poem' }), actor: { sub: 'a', role: 'clerk' } },
      lambdaContext('docroute-ValidateIncoming', 'req-1'),
    ).catch(() => undefined);
    const lines = stdout.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'ERROR',
      message: 'task failed',
      service: 'docroute',
      task: 'validate-incoming',
      errorName: 'ValidationError',
      function_name: 'docroute-ValidateIncoming',
      function_request_id: 'req-1',
    });
  });

  it('GIVEN a document THEN assign-number takes its number from the table named in the environment', async () => {
    const { handler } = await import('../../functions/handlers/assign-number.ts');
    const number = await handler(
      {
        document: {
          id: '7f1c0a52-3d55-4a49-9a55-6f1f7c1e0b11',
          journal: 'outgoing',
          regDate: '2021-12-23',
          duplicateKey: 'lambda-test',
        },
      },
      lambdaContext('docroute-AssignNumber', 'req-2'),
    );
    expect(number).toMatchObject({
      journal: 'outgoing',
      journalKey: 'outgoing#2021',
      seq: 1,
      regNumber: '07-04/1',
    });
    const { entries } = await stack.deps.journals.list('outgoing#2021');
    expect(entries).toEqual([
      expect.objectContaining({
        seq: 1,
        documentId: '7f1c0a52-3d55-4a49-9a55-6f1f7c1e0b11',
        inProgress: { until: expect.any(String), claimKey: 'lambda-test' },
      }),
    ]);
    // One line for the invocation, naming the document and the request.
    expect(stdout.lines()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'task completed',
        task: 'assign-number',
        documentId: '7f1c0a52-3d55-4a49-9a55-6f1f7c1e0b11',
        function_request_id: 'req-2',
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it('GIVEN the next invocation THEN its line carries its own document, not the last one’s', async () => {
    const { handler } = await import('../../functions/handlers/void-number.ts');
    await handler(
      { journalKey: 'outgoing#2021', seq: 1, error: { Error: 'Boom', Cause: 'test' } },
      lambdaContext('docroute-VoidNumber', 'req-3'),
    );
    const [line] = stdout.lines();
    expect(line).toMatchObject({ task: 'void-number', function_request_id: 'req-3' });
    expect(line).not.toHaveProperty('documentId');
  });
});

describe('the document a log line names', () => {
  it('reads documentId, else the id of the document, reply, draft or reminder the input carries', () => {
    expect(documentIdOf({ documentId: 'a', document: { id: 'b' } })).toBe('a');
    expect(documentIdOf({ document: { id: 'b' } })).toBe('b');
    expect(documentIdOf({ reply: { id: 'c' }, actor: { sub: 'x' } })).toBe('c');
    expect(documentIdOf({ draft: { id: 'd' } })).toBe('d');
    expect(documentIdOf({ reminder: { documentId: 'e', key: 'k' } })).toBe('e');
    expect(documentIdOf({ journalKey: 'incoming#2021', seq: 3 })).toBeUndefined();
    expect(documentIdOf(null)).toBeUndefined();
  });
});

describe('the API function’s request log', () => {
  const app = new Hono<AuthEnv>();
  app.notFound((c) => c.json({ error: 'NotFoundError' }, 404));
  app.use('/v1/*', async (c, next) => {
    if (c.req.header('Authorization') === undefined) return c.json({ error: 'Unauthorized' }, 401);
    c.set('actor', { sub: 'ivanova', role: 'clerk' });
    return next();
  });
  app.get('/v1/documents/:id', (c) => c.json({ id: c.req.param('id') }));
  let stdout: ReturnType<typeof capturedLines>;
  beforeEach(() => {
    stdout = capturedLines();
  });
  afterEach(() => stdout.restore());
  const served = () => withRequestLog(app, new Logger({ serviceName: 'docroute' }));
  const call = (path: string, auth = true) =>
    served().fetch(new Request(`http://api${path}`, { headers: auth ? { Authorization: 'Bearer t' } : {} }));

  it('writes one line per request: method, route pattern, status, role and latency', async () => {
    const response = await call('/v1/documents/7f1c0a52?x=1');
    expect(await response.json()).toEqual({ id: '7f1c0a52' });
    expect(stdout.lines()).toEqual([
      expect.objectContaining({
        message: 'request',
        method: 'GET',
        route: '/v1/documents/:id',
        status: 200,
        role: 'clerk',
        latencyMs: expect.any(Number),
      }),
    ]);
  });

  it('logs a refused request with no role, and leaves the app its own 404 body', async () => {
    expect((await call('/v1/documents/1', false)).status).toBe(401);
    const missing = await call('/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'NotFoundError' });
    const lines = stdout.lines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ status: 401, role: 'none' });
    expect(lines[1]).toMatchObject({ status: 404 });
  });
});
