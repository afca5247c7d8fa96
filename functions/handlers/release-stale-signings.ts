import { staleSigningReason } from '../domain/settling.ts';
import { clock } from './lambda/clock.ts';
import { documents, events } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { releaseSigningClaim } from './signing-claims.ts';
import { defineTask } from './task.ts';

/** Replies looked at in one run; more are taken up by the next. */
const pageSize = 200;

/**
 * Gives back to their signers the replies held by finalizations whose lease ran out: a finalization
 * killed before its number was taken leaves nothing in a journal to settle it by. Read by a sparse
 * index, never a scan; each release is conditional on the attempt that held the reply.
 */
export const releaseStaleSignings = defineTask(
  'release-stale-signings',
  ['documents', 'events', 'clock'],
  async (
    _input: Record<string, never>,
    deps,
  ): Promise<{ readonly released: number; readonly looked: number }> => {
    const now = deps.clock.now();
    const held = await deps.documents.heldSignings(now.toISOString(), pageSize);
    let released = 0;
    for (const { id, attempt } of held)
      if (await releaseSigningClaim(deps, id, attempt, staleSigningReason, now)) released++;
    return { released, looked: held.length };
  },
);

export const handler = lambdaHandler(releaseStaleSignings, { clock, documents, events });
