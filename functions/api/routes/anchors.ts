import type { Hono } from 'hono';
import { z } from 'zod';
import { latestAnchor } from '../../handlers/anchor-archive.ts';
import { type AuthEnv, allow } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import { type ApiDeps, json } from '../http.ts';
import { runWorkflow } from '../workflow-answer.ts';

const findingSchema = z.object({ documentId: z.string(), anchoredSeq: z.int(), problem: z.string() });

const writtenAnchorSchema = z.object({
  number: z.int(),
  at: z.string(),
  key: z.string().describe('The manifest\u2019s key in the archive bucket'),
  chains: z.int().describe('Histories fixed'),
  root: z.string().describe('The Merkle root over every history\u2019s last event'),
  previous: z.object({ number: z.int(), sha256: z.string() }).nullable(),
  findings: z.array(findingSchema).describe('The first histories found not to continue their last anchor'),
  findingCount: z.int(),
});

export const writeAnchorRoute = defineRoute({
  method: 'post',
  path: '/v1/anchors',
  summary:
    'Fixes every history now, as the daily schedule does: each chain\u2019s last event under one Merkle root, linked to the previous anchor, written write-once',
  access: 'token',
  roles: ['admin'],
  answers: {
    201: { description: 'The anchor written', schema: writtenAnchorSchema },
    409: { description: 'Other anchors were being written at the same moment; ask again' },
  },
});

export const latestAnchorRoute = defineRoute({
  method: 'get',
  path: '/v1/anchors/latest',
  summary: 'The latest anchor\u2019s manifest, as stored in the archive bucket',
  access: 'token',
  roles: ['auditor', 'admin'],
  answers: {
    200: {
      description: 'The manifest and the SHA-256 of its stored bytes (what the next anchor links to)',
      schema: z.object({
        key: z.string(),
        sha256: z.string(),
        manifest: z.looseObject({ number: z.int(), at: z.string(), root: z.string(), chains: z.int() }),
      }),
    },
    404: { description: 'No anchor has been written yet' },
  },
});

/** POST /v1/anchors and GET /v1/anchors/latest. */
export function anchorRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  app.post(writeAnchorRoute.path, allow(...(writeAnchorRoute.roles ?? [])), async (c) => {
    const answer = await runWorkflow(
      deps,
      writeAnchorRoute,
      'anchor-histories',
      { requestedBy: c.get('actor') },
      (output) => ({ status: 201, body: output }),
    );
    return json(answer.status, answer.body);
  });

  app.get(latestAnchorRoute.path, allow(...(latestAnchorRoute.roles ?? [])), async (c) => {
    const latest = await latestAnchor(deps.blobs);
    if (latest === null)
      return latestAnchorRoute.fail(404, 'NotFoundError', 'no anchor has been written yet');
    return c.json({ key: latest.key, sha256: latest.sha256, manifest: latest.manifest });
  });
}
