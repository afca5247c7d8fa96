import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { issueToken, roles } from '../../functions/api/auth.ts';
import type { ApiDeps } from '../../functions/api/http.ts';
import { apiRoutes } from '../../functions/api/openapi.ts';
import { emptyTrustList } from '../../functions/domain/signatures/trust-list.ts';
import { seedConfig } from '../support/local-stack.ts';

/**
 * Each role on each endpoint: a role a route does not name gets 403 before anything is read; a role
 * it names gets past the role check. Auditors read everything and change nothing: no route that
 * changes anything lets them in, and no route edits or deletes history.
 */

const secret = 'roles-test-secret';
const touched = () => {
  throw new Error('the store is not there');
};
const stores = new Proxy({}, { get: () => touched });

async function app() {
  return createApp({
    config: await seedConfig(),
    clock: { now: () => new Date('2024-01-01T00:00:00Z') },
    secret: async () => secret,
    workflows: stores,
    documents: stores,
    journals: stores,
    events: stores,
    idempotency: stores,
    notifications: stores,
    blobs: stores,
    calendar: stores,
    registrationLeaseMs: 60_000,
    trust: async () => emptyTrustList,
  } as unknown as ApiDeps);
}

const concrete = (path: string) =>
  path
    .replace(':id', '8b5e2c1a-4f3d-4c6e-9a7b-07d411180021')
    .replace(':journal', 'incoming')
    .replace(':year', '2021');

describe('roles on every endpoint', () => {
  const tokenRoutes = apiRoutes.filter((route) => route.access === 'token');

  it.each(tokenRoutes.flatMap((route) => roles.map((role) => [route.method, route.path, role] as const)))(
    '%s %s as %s',
    async (method, path, role) => {
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const route = tokenRoutes.find((r) => r.method === method && r.path === path);
      const token = await issueToken(secret, { sub: `someone-${role}`, role, ttlSeconds: 60 }, new Date());
      const response = await (await app()).request(concrete(path), {
        method: method.toUpperCase(),
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        ...(method === 'get' ? {} : { body: '{}' }),
      });
      const allowed = route?.roles === undefined || route.roles.includes(role);
      if (allowed) expect(response.status, `${role} on ${method} ${path}`).not.toBe(403);
      else expect(response.status, `${role} on ${method} ${path}`).toBe(403);
      expect(response.status).not.toBe(401);
    },
  );

  it('lets auditors change nothing, admins no document, and has no route that edits or deletes history', () => {
    const changing = apiRoutes.filter(
      (route) => route.method !== 'get' && route.path !== '/v1/signatures/verify',
    );
    expect(changing.length).toBeGreaterThan(5);
    for (const route of changing)
      expect(route.roles ?? roles, `${route.method} ${route.path}`).not.toContain('auditor');
    // Admins look after the service (anchors, legal holds), never a document's content or route.
    const adminChanges = changing
      .filter((route) => (route.roles ?? roles).includes('admin'))
      .map((route) => `${route.method} ${route.path}`);
    expect(
      adminChanges.every((route) => /\/v1\/anchors|legal-hold/.test(route)),
      adminChanges.join(', '),
    ).toBe(true);
    expect(adminChanges).toContain('post /v1/anchors');
    const onHistory = apiRoutes.filter((route) => route.path.includes('/history'));
    expect(onHistory.every((route) => route.method === 'get')).toBe(true);
  });

  it('answers 401 on every token route without a token', async () => {
    for (const route of tokenRoutes) {
      const response = await (await app()).request(concrete(route.path), {
        method: route.method.toUpperCase(),
      });
      expect(response.status, `${route.method} ${route.path}`).toBe(401);
    }
  });
});
