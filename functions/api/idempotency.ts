import { createHash } from 'node:crypto';
import { idempotencyKeySchema } from './contract.ts';
import { type ApiDeps, type Ctx, fail, json } from './http.ts';
import type { WorkflowAnswer } from './workflow-answer.ts';

/**
 * Replays the first answer to any retry carrying the same Idempotency-Key (scoped to the caller), as
 * Stripe does: only a request that ran is kept. One refused before it ran (a malformed body, a rule
 * its validation broke) keeps nothing, so the corrected request may reuse the key; so does a fault
 * or a conflict, so the retry runs again rather than replaying it.
 */
export async function idempotent(
  c: Ctx,
  deps: ApiDeps,
  body: string,
  work: () => Promise<WorkflowAnswer>,
): Promise<Response> {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined) {
    const response = await work();
    return json(response.status, response.body);
  }
  if (!idempotencyKeySchema.safeParse(key).success) {
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
  let response: WorkflowAnswer;
  try {
    response = await work();
  } catch (error) {
    await deps.idempotency.release(scopedKey);
    throw error;
  }
  const keep = response.ran && response.status < 500 && response.status !== 409;
  if (keep) await deps.idempotency.complete(scopedKey, { status: response.status, body: response.body });
  else await deps.idempotency.release(scopedKey);
  return json(response.status, response.body);
}
