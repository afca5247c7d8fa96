import { z } from 'zod';
import type { Role } from './auth.ts';
import { fail } from './http.ts';

/**
 * The API's contract, one declaration per route: its path, who may call it, the zod schemas its
 * input is validated with, and every status it can answer. The routes register and answer from
 * these declarations and the OpenAPI document is generated from them, so the two cannot drift.
 */

export interface Answer {
  readonly description: string;
  /** The JSON body's schema; error answers share {@link errorSchema} when none is given. */
  readonly schema?: z.ZodType;
}

export type Answers = { readonly [status: number]: Answer };

export interface RouteSpec<A extends Answers = Answers, P extends string = string> {
  readonly method: 'get' | 'post' | 'put';
  /** In Hono's syntax: `/v1/documents/:id`. */
  readonly path: P;
  readonly summary: string;
  /** `public` routes need no token; the others answer 401 without one. */
  readonly access: 'public' | 'token';
  /** Only these roles may call it (others get 403); every role when absent. */
  readonly roles?: readonly Role[];
  /** The JSON body's schema: such a route also answers 400 (unreadable body), 413 and 415. */
  readonly body?: z.ZodType;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  /** A retry with the same Idempotency-Key replays the first answer (400, 409 and 422 about the key). */
  readonly idempotencyKey?: boolean;
  /** What the route's own code answers. */
  readonly answers: A;
}

export const errorSchema = z.object({
  error: z
    .string()
    .describe('Error name: ValidationError, RuleViolationError, NotFoundError, ConflictError, ...'),
  message: z.string(),
  problems: z
    .array(z.object({ field: z.string(), problem: z.string() }))
    .optional()
    .describe('Each field at fault, `(body)` for the body as a whole'),
});

/** The Idempotency-Key header: the caller's own name for one request. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/)
  .describe('A retry with the same key returns the first answer; 1 to 200 printable ASCII characters');

/** What the shared layers answer, whichever route it is: their descriptions are the same everywhere. */
const commonAnswers = {
  unreadableBody: {
    description:
      'The body is empty, not valid JSON, nested too deep, or not valid text in its charset; `(body)` is named',
  },
  unauthenticated: { description: 'No token, or an invalid or expired one' },
  forbidden: { description: 'The token\u2019s role may not do this' },
  tooLarge: { description: 'The body is over 1 MiB; the connection is closed' },
  unsupportedMediaType: {
    description:
      'The Content-Type is not application/json (or +json), or its charset is not utf-8, windows-1251 or koi8-r',
  },
  badKey: { description: 'The Idempotency-Key header is malformed' },
  keyInUse: { description: 'A request with this Idempotency-Key is still being processed' },
  keyReused: { description: 'The Idempotency-Key was already used for a different request' },
  fault: { description: 'The service failed; the details are in its log, not in the answer' },
} satisfies Record<string, Answer>;

export interface Route<A extends Answers, P extends string = string> extends RouteSpec<A, P> {
  /** Every status the route answers, its own and those of the layers before it, with descriptions. */
  readonly allAnswers: Readonly<Record<number, Answer>>;
  /** An error answer with one of the route's declared statuses, naming the field at fault. */
  fail(status: Extract<keyof A, number>, error: string, message: string, field?: string): Response;
}

/** Declares a route: its own answers plus those the authentication, role, body and key layers add. */
export function defineRoute<const A extends Answers, const P extends string>(
  spec: RouteSpec<A, P>,
): Route<A, P> {
  const layers: Record<number, Answer> = { 500: commonAnswers.fault };
  if (spec.access === 'token') layers[401] = commonAnswers.unauthenticated;
  if (spec.roles !== undefined) layers[403] = commonAnswers.forbidden;
  if (spec.body !== undefined) {
    layers[400] = commonAnswers.unreadableBody;
    layers[413] = commonAnswers.tooLarge;
    layers[415] = commonAnswers.unsupportedMediaType;
  }
  if (spec.idempotencyKey === true) {
    layers[400] ??= commonAnswers.badKey;
    layers[409] = commonAnswers.keyInUse;
    layers[422] = commonAnswers.keyReused;
  }
  return { ...spec, allAnswers: { ...layers, ...spec.answers }, fail };
}

/** The statuses a route answers, as numbers. */
export const statusesOf = (route: Route<Answers>): number[] => Object.keys(route.allAnswers).map(Number);

/** `/v1/documents/:id` as OpenAPI writes it: `/v1/documents/{id}`. */
export const openApiPath = (honoPath: string): string => honoPath.replace(/:(\w+)/g, '{$1}');
