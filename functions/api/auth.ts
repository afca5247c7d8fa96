import type { MiddlewareHandler } from 'hono';
import { sign, verify } from 'hono/jwt';
import type { Actor } from '../domain/documents.ts';

export const roles = ['clerk', 'signer', 'auditor', 'admin'] as const;
export type Role = (typeof roles)[number];

export const isRole = (value: unknown): value is Role => roles.includes(value as Role);

/** Where the API's token-signing secret comes from: a file locally, Secrets Manager in AWS. */
export type SecretSource = () => Promise<string>;

export interface TokenRequest {
  readonly sub: string;
  readonly role: Role;
  readonly ttlSeconds: number;
}

export function issueToken(secret: string, request: TokenRequest, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return sign({ sub: request.sub, role: request.role, iat, exp: iat + request.ttlSeconds }, secret, 'HS256');
}

export type AuthEnv = { Variables: { actor: Actor } };

function problem(status: 401 | 403, message: string) {
  return Response.json({ error: status === 401 ? 'Unauthorized' : 'Forbidden', message }, {
    status,
    headers: status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {},
  });
}

/** Requires a valid bearer token; the caller's subject and role become the actor of what they do. */
export function authenticate(secret: SecretSource): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return problem(401, 'an Authorization: Bearer <token> header is required');
    let claims: Record<string, unknown>;
    try {
      claims = await verify(match[1], await secret(), 'HS256');
    } catch {
      return problem(401, 'the token is invalid or has expired');
    }
    if (typeof claims['sub'] !== 'string' || !isRole(claims['role'])) {
      return problem(401, 'the token names no subject or no known role');
    }
    c.set('actor', { sub: claims['sub'], role: claims['role'] });
    return next();
  };
}

/** Lets through only the roles named; others get 403. */
export function allow(...allowed: Role[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const { role } = c.get('actor');
    if (!allowed.includes(role as Role)) {
      return problem(403, `the ${role} role may not do this; allowed: ${allowed.join(', ')}`);
    }
    return next();
  };
}
