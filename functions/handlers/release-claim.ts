import { claims } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface ReleaseClaimInput {
  readonly key: string;
  readonly holder: string;
}

/** Frees a failed registration's identity claim, so that the same letter can be registered again. */
export const releaseClaim = defineTask(
  'release-claim',
  ['claims'],
  async ({ key, holder }: ReleaseClaimInput, { claims }) => {
    await claims.release(key, holder);
    return { released: key };
  },
);

export const handler = lambdaHandler(releaseClaim, { claims });
