import type { MiddlewareHandler } from 'hono';
import { sign, verify } from 'hono/jwt';
import type { Actor } from '../domain/documents.ts';
import type { SecretSource } from '../ports/secret-source.ts';

export const roles = ['clerk', 'signer', 'auditor', 'admin'] as const;
export type Role = (typeof roles)[number];

export const isRole = (value: unknown): value is Role => roles.includes(value as Role);

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
  return Response.json(
    { error: status === 401 ? 'Unauthorized' : 'Forbidden', message },
    {
      status,
      headers: status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {},
    },
  );
}

interface VerifiedToken {
  readonly actor: Actor;
  readonly expiresAt: number;
}

const maxCachedTokens = 10_000;

async function actorOf(
  token: string,
  secret: SecretSource,
  verifiedTokens: Map<string, VerifiedToken>,
  now: number,
): Promise<Actor | string> {
  const cached = verifiedTokens.get(token);
  if (cached !== undefined && cached.expiresAt > now) return cached.actor;
  let claims: Record<string, unknown>;
  try {
    claims = await verify(token, await secret(), 'HS256');
  } catch {
    return 'the token is invalid or has expired';
  }
  // Without exp a token would never expire: refuse it.
  if (typeof claims['exp'] !== 'number') return 'the token has no expiry (exp)';
  if (typeof claims['sub'] !== 'string' || !isRole(claims['role']))
    return 'the token names no subject or no known role';
  const actor = { sub: claims['sub'], role: claims['role'] };
  if (verifiedTokens.size >= maxCachedTokens) verifiedTokens.clear();
  verifiedTokens.set(token, { actor, expiresAt: claims['exp'] * 1000 });
  return actor;
}

/** Requires a valid bearer token; the caller's subject and role become the actor of what they do. */
export function authenticate(secret: SecretSource): MiddlewareHandler<AuthEnv> {
  // Tokens this API already verified, so that a clerk's every request does not pay for the HMAC again.
  const verifiedTokens = new Map<string, VerifiedToken>();
  return async (c, next) => {
    const header = c.req.header('Authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return problem(401, 'an Authorization: Bearer <token> header is required');
    const actor = await actorOf(match[1], secret, verifiedTokens, Date.now());
    if (typeof actor === 'string') return problem(401, actor);
    c.set('actor', actor);
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

/**
 * In AWS, API Gateway's Cognito authorizer has checked the caller's ID token before the request
 * reaches the function; its claims arrive on the Lambda event. The user's docroute group is the
 * role, and the user name (`kulikov`) is the actor's `sub`: the id the configuration names signers
 * and executors by. A user in no docroute group, or in more than one, is refused (403): a role is
 * never guessed, and one person acts in one role.
 */
export type CognitoActor =
  | { readonly ok: true; readonly actor: Actor }
  | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

/** The groups claim as API Gateway passes it: a list, or text such as `signer`, `clerk,signer` or `[clerk signer]`. */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim !== 'string') return [];
  return claim.split(/[\s,[\]]+/).filter((g) => g !== '');
}

export function actorFromCognitoClaims(claims: unknown): CognitoActor {
  if (claims === null || typeof claims !== 'object')
    return {
      ok: false,
      status: 401,
      message: 'the request carries no Cognito claims: sign in and send the ID token',
    };
  const record = claims as Record<string, unknown>;
  const username = record['cognito:username'];
  if (typeof username !== 'string' || username === '')
    return { ok: false, status: 401, message: 'the Cognito claims name no user (cognito:username)' };
  const docrouteGroups = [...new Set(groupsOf(record['cognito:groups']).filter(isRole))];
  if (docrouteGroups.length === 0)
    return {
      ok: false,
      status: 403,
      message: `user ${username} is in no docroute group; an admin must add them to exactly one of: ${roles.join(', ')}`,
    };
  if (docrouteGroups.length > 1)
    return {
      ok: false,
      status: 403,
      message: `user ${username} is in more than one docroute group (${docrouteGroups.join(', ')}); an admin must leave them in exactly one`,
    };
  return { ok: true, actor: { sub: username, role: docrouteGroups[0] as Role } };
}

/** The authorizer's claims on the event hono/aws-lambda hands the app as `c.env.event`. */
function claimsOfLambdaEvent(env: unknown): unknown {
  const event = (env as { event?: { requestContext?: { authorizer?: { claims?: unknown } } } } | undefined)
    ?.event;
  return event?.requestContext?.authorizer?.claims;
}

/** Establishes the actor from the Cognito authorizer's claims (AWS); the HS256 token is not consulted. */
export function cognitoAuthenticate(): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const found = actorFromCognitoClaims(claimsOfLambdaEvent(c.env));
    if (!found.ok) return problem(found.status, found.message);
    c.set('actor', found.actor);
    return next();
  };
}
