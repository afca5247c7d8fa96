import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../functions/api/app.ts';
import { issueToken } from '../../functions/api/auth.ts';
import { openApiPath, statusesOf } from '../../functions/api/contract.ts';
import type { ApiDeps } from '../../functions/api/http.ts';
import { apiRoutes } from '../../functions/api/openapi.ts';
import { incomingRequestSchema } from '../../functions/domain/incoming.ts';
import { emptyTrustList } from '../../functions/domain/signatures/trust-list.ts';
import { seedConfig } from '../support/local-stack.ts';

/**
 * One contract: every route the app registers is in /v1/openapi.json with every status it can answer,
 * and the request schemas there are the zod schemas that validate the requests. The app runs here
 * on stores that fail when touched: these tests never get that far, or mean to.
 */

const secret = 'contract-test-secret';
const unreachable = () => {
  throw new Error('the store is not there');
};
const stores = new Proxy({}, { get: () => unreachable });

async function appWith(overrides: Partial<ApiDeps> = {}) {
  return createApp({
    config: await seedConfig(),
    clock: { now: () => new Date('2024-01-01T00:00:00Z') },
    secret: async () => secret,
    workflows: stores as ApiDeps['workflows'],
    documents: stores as ApiDeps['documents'],
    journals: stores as ApiDeps['journals'],
    events: stores as ApiDeps['events'],
    idempotency: stores as ApiDeps['idempotency'],
    registrationLeaseMs: 60_000,
    trust: async () => emptyTrustList,
    ...overrides,
  } as ApiDeps);
}

type Document = {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: unknown }> } }
    >
  >;
};

async function served(): Promise<Document> {
  const app = await appWith();
  const response = await app.request('/v1/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

/** The routes the Hono app answers (middleware registrations, method ALL, left out). */
async function registeredRoutes(): Promise<Array<{ method: string; path: string }>> {
  const app = await appWith();
  const seen = new Map<string, { method: string; path: string }>();
  for (const { method, path } of app.routes) {
    if (method !== 'ALL') seen.set(`${method} ${path}`, { method: method.toLowerCase(), path });
  }
  return [...seen.values()];
}

describe('the OpenAPI document', () => {
  it('describes every route the app registers, and nothing it does not', async () => {
    const document = await served();
    const registered = await registeredRoutes();
    expect(registered.length).toBeGreaterThanOrEqual(7);
    for (const { method, path } of registered) {
      expect(document.paths[openApiPath(path)]?.[method], `${method} ${path}`).toBeDefined();
    }
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(registered.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
  });

  it('lists every status each route declares, as the route code answers them', async () => {
    const document = await served();
    for (const { method, path } of await registeredRoutes()) {
      const route = apiRoutes.find((r) => r.method === method && r.path === path);
      expect(route, `${method} ${path} has a contract`).toBeDefined();
      if (route === undefined) continue;
      const responses = Object.keys(document.paths[openApiPath(path)]?.[method]?.responses ?? {}).map(Number);
      const declared = statusesOf(route);
      expect(responses.sort(), `${method} ${path}`).toEqual(declared.sort());
      // What the layers before every route answer.
      expect(responses, `${method} ${path}`).toContain(500);
      if (route.access === 'token') expect(responses, `${method} ${path}`).toContain(401);
      if (route.roles !== undefined) expect(responses, `${method} ${path}`).toContain(403);
      if (route.body !== undefined) {
        for (const status of [400, 413, 415]) expect(responses, `${method} ${path}`).toContain(status);
      }
    }
  });

  it.each([
    ['post', '/v1/incoming', [200, 201, 400, 401, 403, 409, 413, 415, 422, 500]],
    ['post', '/v1/signatures/verify', [200, 400, 401, 413, 415, 422, 500]],
    ['get', '/v1/documents', [200, 400, 401, 500]],
    ['get', '/v1/documents/{id}', [200, 401, 404, 500]],
    ['get', '/v1/documents/{id}/history', [200, 401, 404, 500]],
    ['get', '/v1/journals/{journal}/{year}', [200, 400, 401, 404, 500]],
    ['get', '/v1/openapi.json', [200, 500]],
  ])('%s %s answers exactly %j', async (method, path, statuses) => {
    const document = await served();
    expect(
      Object.keys(document.paths[path]?.[method]?.responses ?? {})
        .map(Number)
        .sort(),
    ).toEqual([...statuses].sort());
  });

  it('describes the registration body with the schema that validates it', async () => {
    const document = await served();
    const { $schema: _, ...expected } = z.toJSONSchema(incomingRequestSchema, {
      io: 'input',
      unrepresentable: 'any',
    });
    expect(
      document.paths['/v1/incoming']?.['post']?.requestBody?.content['application/json']?.schema,
    ).toEqual(expected);
  });
});

describe('logging', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const bearer = async (role: 'clerk' | 'auditor' = 'clerk') => ({
    Authorization: `Bearer ${await issueToken(secret, { sub: 'logger', role, ttlSeconds: 600 }, new Date())}`,
    'Content-Type': 'application/json',
  });

  it('logs a client error as one warning line, without a stack', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = await appWith();
    // A malformed `at` is found deep in the verification and thrown as a ValidationError.
    const response = await app.request('/v1/signatures/verify', {
      method: 'POST',
      headers: await bearer(),
      body: JSON.stringify({ signature: 'MAA=', at: 'tomorrow' }),
    });
    expect(response.status).toBe(400);
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]?.[0]);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ level: 'warn', status: 400, name: 'ValidationError' });
    expect(JSON.parse(line)).not.toHaveProperty('stack');
  });

  it('logs a workflow refusing the input as a warning, and a workflow fault as an error', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failure = { status: 'failed', error: 'RuleViolationError', cause: '{"message":"no"}' } as const;
    let outcome: { status: 'failed'; error: string; cause: string } = failure;
    const app = await appWith({ workflows: { run: async () => outcome } });
    const post = async () =>
      app.request('/v1/incoming', { method: 'POST', headers: await bearer(), body: '{}' });

    expect((await post()).status).toBe(422);
    expect(JSON.parse(String(warn.mock.calls[0]?.[0]))).toMatchObject({ level: 'warn', status: 422 });
    expect(error).not.toHaveBeenCalled();

    outcome = { status: 'failed', error: 'DiskOnFire', cause: 'the disk is on fire' };
    expect((await post()).status).toBe(500);
    expect(JSON.parse(String(error.mock.calls[0]?.[0]))).toMatchObject({
      level: 'error',
      error: 'DiskOnFire',
    });
  });

  it('answers a status the route does not declare as a fault, logged as an error', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = await appWith({
      workflows: {
        run: async () => ({ status: 'failed', error: 'NotFoundError', cause: '{"message":"x"}' }),
      },
    });
    const response = await app.request('/v1/incoming', {
      method: 'POST',
      headers: await bearer(),
      body: '{}',
    });
    expect(response.status).toBe(500);
    expect(error).toHaveBeenCalledTimes(1);
  });

  it('logs an unexpected exception as an error with its stack, and answers 500 without it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = await appWith();
    const response = await app.request('/v1/documents/00000000-0000-4000-8000-000000000000', {
      headers: await bearer('auditor'),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'InternalError', message: expect.any(String) });
    const line = JSON.parse(String(error.mock.calls[0]?.[0]));
    expect(line).toMatchObject({ level: 'error', message: 'the store is not there' });
    expect(line.stack).toContain('the store is not there');
  });
});

describe('bodies refused before any workflow starts', () => {
  // The stub stores and workflow runner throw when touched, which would answer 500.
  it.each([
    ['nesting 100,000 deep', 'application/json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 400],
    ['an unsupported charset', 'application/json; charset=iso-8859-5', '{}', 415],
    ['a type that is not JSON', 'text/plain', '{}', 415],
    ['bytes that are not UTF-8', 'application/json', Uint8Array.from([0x7b, 0xff, 0x7d]), 400],
    ['no JSON at all', 'application/json', 'correspondent=x', 400],
  ])('%s', async (_name, contentType, body, status) => {
    const app = await appWith();
    const token = await issueToken(secret, { sub: 'early', role: 'clerk', ttlSeconds: 600 }, new Date());
    for (const path of ['/v1/incoming', '/v1/signatures/verify']) {
      const response = await app.request(path, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': contentType,
          'Idempotency-Key': 'early',
        },
        body,
      });
      expect(response.status, path).toBe(status);
      const answer = (await response.json()) as { problems: Array<{ field: string }> };
      expect(answer.problems.map((p) => p.field)).toEqual([status === 415 ? 'Content-Type' : '(body)']);
    }
  });
});
