import { handle } from 'hono/aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { actorFromCognitoClaims, cognitoAuthenticate, issueToken } from '../../functions/api/auth.ts';
import type { ApiDeps } from '../../functions/api/http.ts';
import { emptyTrustList } from '../../functions/domain/signatures/trust-list.ts';
import type { WorkflowRunner } from '../../functions/ports/workflow-runner.ts';
import { seedConfig } from '../support/local-stack.ts';

/**
 * In AWS the actor comes from API Gateway's Cognito authorizer: the user's one docroute group is
 * the role, `cognito:username` the actor's sub. Requests go through hono/aws-lambda's `handle`, as
 * functions/api/lambda.ts serves them, with the event API Gateway (REST, proxy) sends.
 */

const touched = () => {
  throw new Error('the store is not there');
};
const stores = new Proxy({}, { get: () => touched });

/** What API Gateway gets back from the function. */
type ProxyHandler = (event: unknown) => Promise<{ statusCode: number; body: string }>;

function app(
  workflows: WorkflowRunner | object = stores,
  authenticate = cognitoAuthenticate(),
): Promise<ProxyHandler> {
  return (async () =>
    handle(
      createApp({
        config: await seedConfig(),
        clock: { now: () => new Date('2024-01-01T00:00:00Z') },
        secret: async () => 'local-secret',
        authenticate,
        workflows,
        documents: stores,
        journals: stores,
        events: stores,
        idempotency: stores,
        notifications: { recent: async () => [] },
        blobs: stores,
        calendar: stores,
        registrationLeaseMs: 60_000,
        trust: async () => emptyTrustList,
      } as unknown as ApiDeps),
    ) as unknown as ProxyHandler)();
}

/** A REST API proxy event as API Gateway sends it once its Cognito authorizer let the request in. */
function gatewayEvent(
  method: string,
  path: string,
  claims: Record<string, unknown> | undefined,
  body?: unknown,
) {
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers: { 'Content-Type': 'application/json', Authorization: 'eyJ.id-token.sig' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      resourceId: 'res',
      resourcePath: '/{proxy+}',
      httpMethod: method,
      path: `/prod${path}`,
      stage: 'prod',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1_700_000_000_000,
      identity: { sourceIp: '192.0.2.10', userAgent: 'test' },
      ...(claims === undefined ? {} : { authorizer: { claims } }),
    },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

const claimsOf = (username: string, groups: string) => ({
  sub: '1b2c3d4e-0000-4000-8000-000000000001',
  'cognito:username': username,
  'cognito:groups': groups,
  token_use: 'id',
});

describe('the actor from the Cognito authorizer', () => {
  it('GIVEN a user in the clerk group THEN a clerk route answers', async () => {
    const handler = await app();
    const answer = await handler(gatewayEvent('GET', '/v1/notifications', claimsOf('ivanova', 'clerk')));
    expect(answer.statusCode).toBe(200);
  });

  it('GIVEN a user in the admin group THEN the workflow runs with the user name as sub and admin as role', async () => {
    const runs: { workflow: string; input: unknown }[] = [];
    const workflows: WorkflowRunner = {
      run: async (workflow, input) => {
        runs.push({ workflow, input });
        return { status: 'succeeded', output: { number: 1 } };
      },
    };
    const handler = await app(workflows);
    const answer = await handler(gatewayEvent('POST', '/v1/anchors', claimsOf('kulikov', 'admin'), {}));
    expect(answer.statusCode).toBe(201);
    expect(runs).toEqual([
      { workflow: 'anchor-histories', input: { requestedBy: { sub: 'kulikov', role: 'admin' } } },
    ]);
  });

  it('GIVEN the signer group THEN a clerk-and-auditor route says the signer role may not', async () => {
    const handler = await app();
    const answer = await handler(gatewayEvent('GET', '/v1/notifications', claimsOf('kulikov', 'signer')));
    expect(answer.statusCode).toBe(403);
    expect(JSON.parse(answer.body).message).toContain('the signer role may not do this');
  });

  it('GIVEN a user in no docroute group THEN 403 names the user and the groups to join', async () => {
    const handler = await app();
    const answer = await handler(
      gatewayEvent('GET', '/v1/notifications', claimsOf('petrov', 'office-staff')),
    );
    expect(answer.statusCode).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'Forbidden',
      message:
        'user petrov is in no docroute group; an admin must add them to exactly one of: clerk, signer, auditor, admin',
    });
  });

  it('GIVEN a user in two docroute groups THEN 403 names both, and nothing runs', async () => {
    const run = vi.fn();
    const handler = await app({ run });
    const answer = await handler(
      gatewayEvent('POST', '/v1/anchors', claimsOf('plaksina', 'clerk,admin'), {}),
    );
    expect(answer.statusCode).toBe(403);
    expect(JSON.parse(answer.body).message).toBe(
      'user plaksina is in more than one docroute group (clerk, admin); an admin must leave them in exactly one',
    );
    expect(run).not.toHaveBeenCalled();
  });

  it('GIVEN an event without authorizer claims THEN 401, even with a valid HS256 token', async () => {
    const token = await issueToken('local-secret', { sub: 'x', role: 'admin', ttlSeconds: 60 }, new Date());
    const handler = await app();
    const event = gatewayEvent('GET', '/v1/notifications', undefined);
    event.headers.Authorization = `Bearer ${token}`;
    const answer = await handler(event);
    expect(answer.statusCode).toBe(401);
  });

  it('GIVEN the groups claim in each form API Gateway uses THEN each reads the same', () => {
    for (const groups of ['signer', '[signer]', ['signer'], 'signer,unrelated', '[unrelated signer]'])
      expect(actorFromCognitoClaims({ 'cognito:username': 'kulikov', 'cognito:groups': groups })).toEqual({
        ok: true,
        actor: { sub: 'kulikov', role: 'signer' },
      });
    expect(
      actorFromCognitoClaims({ 'cognito:username': 'kulikov', 'cognito:groups': '[clerk signer]' }),
    ).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(actorFromCognitoClaims({ 'cognito:groups': 'clerk' })).toMatchObject({ ok: false, status: 401 });
    expect(actorFromCognitoClaims({ 'cognito:username': 'kulikov' })).toMatchObject({
      ok: false,
      status: 403,
    });
  });
});
