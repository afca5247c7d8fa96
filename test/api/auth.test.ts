import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, type Role } from '../../functions/api/auth.ts';
import { seedRequest, startTestStack, type TestStack } from '../support/local-stack.ts';

/** Who may call what: bearer tokens, their roles, and the one public document. */

let stack: TestStack;
let documentId: string;

beforeAll(async () => {
  stack = await startTestStack();
  const { status, body } = await stack.call('POST', '/v1/incoming', { body: seedRequest() });
  expect(status).toBe(201);
  documentId = body.id;
});

afterAll(async () => {
  await stack?.dispose();
});

const counter2014 = async () => (await stack.deps.journals.list('incoming#2014')).counter?.last ?? null;

/** Every endpoint behind authentication, with a body for the POST. */
const protectedCalls = (): Array<[string, string, unknown]> => [
  ['POST', '/v1/incoming', seedRequest({ theirRef: { number: 'AUTH-1', date: '2014-06-10' } })],
  ['GET', `/v1/documents/${documentId}`, undefined],
  ['GET', `/v1/documents/${documentId}/history`, undefined],
  ['GET', '/v1/documents?theirRef=25-24%2F6781', undefined],
  ['GET', '/v1/journals/incoming/2014', undefined],
];

const now = () => Math.floor(Date.now() / 1000);

async function expectUnauthorized(headers: Record<string, string>) {
  const before = await counter2014();
  for (const [method, path, body] of protectedCalls()) {
    const response = await stack.call(method, path, { role: null, body, headers });
    expect(response.status, `${method} ${path}`).toBe(401);
    expect(response.body).toEqual({ error: 'Unauthorized', message: expect.any(String) });
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer');
  }
  expect(await counter2014()).toBe(before);
}

describe('authentication', () => {
  it('serves the OpenAPI document without a token', async () => {
    const { status, body } = await stack.call('GET', '/v1/openapi.json', { role: null });
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/incoming',
        '/v1/documents',
        '/v1/documents/{id}',
        '/v1/journals/{journal}/{year}',
      ]),
    );
  });

  it('answers 401 to every endpoint without a token', async () => {
    await expectUnauthorized({});
  });

  it('answers 401 to a malformed Authorization header', async () => {
    const token = await stack.token('clerk');
    for (const value of [
      `Basic ${Buffer.from('clerk:secret').toString('base64')}`,
      'Bearer',
      'Bearer ',
      token,
      `Bearer ${token} extra`,
    ]) {
      const { status } = await stack.call('GET', `/v1/documents/${documentId}`, {
        role: null,
        headers: { Authorization: value },
      });
      expect(status, value).toBe(401);
    }
  });

  it('answers 401 to a token that is not a JWT', async () => {
    await expectUnauthorized({ Authorization: 'Bearer not-a-token' });
  });

  it('answers 401 to a token signed with another secret', async () => {
    const forged = await issueToken(
      'some-other-secret',
      { sub: 'mallory', role: 'admin', ttlSeconds: 3600 },
      new Date(),
    );
    await expectUnauthorized({ Authorization: `Bearer ${forged}` });
  });

  it('answers 401 to an expired token', async () => {
    const expired = await issueToken(
      stack.tokenSecret,
      { sub: 'late-clerk', role: 'clerk', ttlSeconds: 60 },
      new Date(Date.now() - 2 * 3600 * 1000),
    );
    await expectUnauthorized({ Authorization: `Bearer ${expired}` });
  });

  it('answers 401 to a tampered token', async () => {
    const token = await stack.token('auditor');
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'test-auditor', role: 'admin', iat: now(), exp: now() + 3600 }),
    ).toString('base64url');
    await expectUnauthorized({ Authorization: `Bearer ${header}.${payload}.${signature}` });
  });

  it('answers 401 to an unsigned (alg: none) token', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'mallory', role: 'admin', iat: now(), exp: now() + 3600 })}.`;
    await expectUnauthorized({ Authorization: `Bearer ${unsigned}` });
  });

  it('answers 401 to a validly signed token with an unknown role or no subject', async () => {
    const unknownRole = await sign(
      { sub: 'root', role: 'superuser', iat: now(), exp: now() + 3600 },
      stack.tokenSecret,
      'HS256',
    );
    await expectUnauthorized({ Authorization: `Bearer ${unknownRole}` });
    const noSubject = await sign(
      { role: 'clerk', iat: now(), exp: now() + 3600 },
      stack.tokenSecret,
      'HS256',
    );
    await expectUnauthorized({ Authorization: `Bearer ${noSubject}` });
  });
});

describe('roles', () => {
  it.each<Role>(['auditor', 'signer'])(
    'refuses registration to the %s role with 403, taking no number',
    async (role) => {
      const before = await counter2014();
      const { status, body } = await stack.call('POST', '/v1/incoming', {
        role,
        body: seedRequest({ theirRef: { number: `ROLE-${role}`, date: '2014-06-10' } }),
      });
      expect(status).toBe(403);
      expect(body).toEqual({ error: 'Forbidden', message: expect.stringContaining(role) });
      expect(await counter2014()).toBe(before);
      expect(await stack.deps.documents.findByTheirRef(`ROLE-${role}`)).toEqual([]);
    },
  );

  it('refuses registration before reading the body: a forbidden caller learns nothing about its input', async () => {
    const { status } = await stack.call('POST', '/v1/incoming', { role: 'auditor', body: 'not json' });
    expect(status).toBe(403);
  });

  it.each<Role>(['signer', 'admin'])('refuses registration by the %s role', async (role) => {
    const { status } = await stack.call('POST', '/v1/incoming', { role, body: seedRequest() });
    expect(status).toBe(403);
  });

  it.each<Role>(['clerk'])('lets the %s role register', async (role) => {
    const { status, body } = await stack.call('POST', '/v1/incoming', {
      role,
      body: seedRequest({ theirRef: { number: `ROLE-${role}`, date: '2014-06-10' } }),
    });
    expect(status).toBe(201);
    expect(body.registeredBy).toEqual({ sub: `test-${role}`, role });
  });

  it.each<Role>(['clerk', 'signer', 'auditor', 'admin'])(
    'lets the %s role read documents, history and journals',
    async (role) => {
      for (const [method, path] of protectedCalls().filter(([m]) => m === 'GET')) {
        const { status } = await stack.call(method, path, { role });
        expect(status, `${role}: ${method} ${path}`).toBe(200);
      }
    },
  );
});
