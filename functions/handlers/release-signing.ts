import { clock } from './lambda/clock.ts';
import { documents, events } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { releaseSigningClaim } from './signing-claims.ts';
import { defineTask } from './task.ts';

export interface ReleaseSigningInput {
  readonly documentId: string;
  readonly attempt: string;
  readonly error: { readonly Error: string; readonly Cause?: string };
}

/** A finalization that failed gives the reply back to its signer, with the reason in its history. */
export const releaseSigning = defineTask(
  'release-signing',
  ['documents', 'events', 'clock'],
  async ({ documentId, attempt, error }: ReleaseSigningInput, deps): Promise<{ released: boolean }> => ({
    released: await releaseSigningClaim(
      deps,
      documentId,
      attempt,
      `the finalization failed: ${error.Error}`.slice(0, 500),
      deps.clock.now(),
    ),
  }),
);

export const handler = lambdaHandler(releaseSigning, { clock, documents, events });
