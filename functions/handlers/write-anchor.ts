import {
  type AnchorFinding,
  anchorManifestKey,
  buildManifest,
  type ChainHead,
  chunkLeaves,
  headsToCheck,
  manifestBytes,
  nextLeaves,
  sortHeads,
} from '../domain/anchors.ts';
import type { Actor } from '../domain/documents.ts';
import { ConflictError } from '../domain/errors.ts';
import { systemActor } from '../domain/outgoing.ts';
import { latestAnchor, leavesOf } from './anchor-archive.ts';
import { blobs } from './lambda/blobs.ts';
import { clock } from './lambda/clock.ts';
import { events } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface WriteAnchorInput {
  /** The admin who asked; the daily schedule passes nothing. */
  readonly requestedBy?: Actor | null;
}

export interface WrittenAnchor {
  readonly number: number;
  readonly at: string;
  readonly key: string;
  readonly chains: number;
  readonly root: string;
  readonly previous: { readonly number: number; readonly sha256: string } | null;
  /** Histories that no longer continue what the previous anchor fixed (the first few; all are in the manifest). */
  readonly findings: readonly AnchorFinding[];
  readonly findingCount: number;
}

/** Two anchors written at once: each retries after the other, with the other as its previous. */
const maxAttempts = 5;
/** Event reads at once when checking that moved heads continue their anchored chains. */
const lookupsAtOnce = 16;

/**
 * Writes the next anchor: every history's head, checked against the previous anchor (a head that
 * moved must continue the chain that anchor fixed; otherwise the old leaf is kept and the finding
 * recorded), chunks first, the manifest last and only under a number nobody has written.
 */
export const writeAnchor = defineTask(
  'write-anchor',
  ['events', 'blobs', 'clock'],
  async (input: WriteAnchorInput, { events, blobs, clock }): Promise<WrittenAnchor> => {
    for (let attempt = 1; ; attempt++) {
      const previous = await latestAnchor(blobs);
      const previousLeaves =
        previous === null ? new Map<string, ChainHead>() : await leavesOf(blobs, previous);
      const heads: ChainHead[] = [];
      for await (const head of events.heads()) heads.push(head);
      sortHeads(heads);

      const looked = new Map<string, string | null>();
      const wanted = headsToCheck(previousLeaves, heads);
      for (let start = 0; start < wanted.length; start += lookupsAtOnce)
        await Promise.all(
          wanted.slice(start, start + lookupsAtOnce).map(async ({ documentId, seq }) => {
            looked.set(`${documentId}#${seq}`, (await events.at(documentId, seq))?.hash ?? null);
          }),
        );
      const number = (previous?.manifest.number ?? 0) + 1;
      const { leaves, findings } = nextLeaves(
        previousLeaves,
        heads,
        (documentId, seq) => looked.get(`${documentId}#${seq}`) ?? null,
        number - 1,
      );

      const chunks = chunkLeaves(leaves);
      for (const { chunk, bytes } of chunks)
        await blobs.putIfAbsent(chunk.key, { bytes, contentType: 'application/x-ndjson' });
      const manifest = buildManifest({
        number,
        at: clock.now(),
        requestedBy: input.requestedBy ?? systemActor,
        previous: previous === null ? null : { number: previous.manifest.number, sha256: previous.sha256 },
        leaves,
        chunks: chunks.map((c) => c.chunk),
        findings,
      });
      const key = anchorManifestKey(number);
      if (await blobs.putIfAbsent(key, { bytes: manifestBytes(manifest), contentType: 'application/json' }))
        return {
          number,
          at: manifest.at,
          key,
          chains: manifest.chains,
          root: manifest.root,
          previous: manifest.previous,
          findings: findings.slice(0, 20),
          findingCount: findings.length,
        };
      if (attempt >= maxAttempts)
        throw new ConflictError(`anchor ${number} was written by another run ${maxAttempts} times in a row`);
    }
  },
);

export const handler = lambdaHandler(writeAnchor, { clock, events, blobs });
