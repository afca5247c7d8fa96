import { createHash } from 'node:crypto';
import type { StoredResponse } from '../ports/idempotency-store.ts';
import { type ApiDeps, type Ctx, fail, json } from './http.ts';

/** Replays the first answer to any retry carrying the same Idempotency-Key (scoped to the caller). */
export async function idempotent(
  c: Ctx,
  deps: ApiDeps,
  body: string,
  work: () => Promise<StoredResponse>,
): Promise<Response> {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined) {
    const response = await work();
    return json(response.status, response.body);
  }
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    return fail(400, 'ValidationError', 'must be 1 to 200 printable ASCII characters', 'Idempotency-Key');
  }
  // Keys are the caller's own: hashing the pair keeps subject `a:b` with key `c` apart from `a` with `b:c`.
  const scopedKey = createHash('sha256')
    .update(JSON.stringify([c.get('actor').sub, key]))
    .digest('hex');
  const fingerprint = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${body}`).digest('hex');
  const started = await deps.idempotency.begin(scopedKey, fingerprint, deps.clock.now().toISOString());
  switch (started.state) {
    case 'completed':
      return Response.json(started.response.body, {
        status: started.response.status,
        headers: { 'Idempotent-Replayed': 'true' },
      });
    case 'in_progress':
      return fail(
        409,
        'ConflictError',
        'a request with this Idempotency-Key is still being processed',
        'Idempotency-Key',
      );
    case 'mismatch':
      return fail(422, 'RuleViolationError', 'was already used for a different request', 'Idempotency-Key');
  }
  let response: StoredResponse;
  try {
    response = await work();
  } catch (error) {
    await deps.idempotency.release(scopedKey);
    throw error;
  }
  // A fault or a conflict may pass: let the retry run again rather than replay it.
  if (response.status >= 500 || response.status === 409) await deps.idempotency.release(scopedKey);
  else await deps.idempotency.complete(scopedKey, response);
  return json(response.status, response.body);
}
