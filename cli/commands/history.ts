import { parseArgs } from 'node:util';
import { verifyAnchorLinks } from '../../functions/domain/anchors.ts';
import { verifyChain } from '../../functions/domain/history.ts';
import {
  allAnchors,
  checkAnchorContent,
  latestAnchor,
  leavesOf,
  type StoredAnchor,
  verifyAnchoredHistory,
} from '../../functions/handlers/anchor-archive.ts';
import type { WrittenAnchor } from '../../functions/handlers/write-anchor.ts';
import { withDataDirStack } from '../data-dir-stack.ts';
import { type Command, UsageError } from '../io.ts';

const usage =
  'usage: docroute history <document id | registration number> [--verify] [--json], docroute history verify --all, or docroute history anchor';

/**
 * `docroute history <id|regNumber> [--verify] [--json]`: a document's history from the service's
 * data directory (while the service is stopped), and with --verify whether it and its card are as
 * docroute wrote them. Exit 1 when verification finds a mismatch.
 */
export const history: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      verify: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
    },
  });
  const [which, ...extra] = positionals;
  if (which === 'verify' && values.all && extra.length === 0) return verifyAll(io);
  if (which === 'anchor' && extra.length === 0 && !values.all && !values.verify)
    return anchor(io, values.json);
  if (which === undefined || extra.length > 0 || values.all) throw new UsageError(usage);
  return withDataDirStack(
    io,
    'read it through the API: GET /v1/documents/{id}/history/verify',
    async (stack) => {
      const { documents, events } = stack.deps;
      const byId = /^[0-9a-f-]{36}$/i.test(which) ? await documents.get(which) : null;
      const matches = byId !== null ? [byId] : await documents.findByRegNumber(which);
      if (matches.length === 0) throw new UsageError(`no document ${which}`);
      if (matches.length > 1)
        throw new UsageError(
          `${which} names ${matches.length} documents (one per year): give the id, one of ${matches.map((c) => c.id).join(', ')}`,
        );
      const card = matches[0] ?? null;
      const id = card?.id ?? which;
      const list = await events.list(id);
      const verdict = values.verify
        ? await verifyAnchoredHistory(stack.blobs, await latestAnchor(stack.blobs), id, list, card)
        : null;
      if (values.json) {
        io.out(
          JSON.stringify(
            {
              documentId: id,
              chain: verifyChain(list),
              ...(verdict ? { verify: verdict } : {}),
              events: list,
            },
            null,
            2,
          ),
        );
      } else {
        io.out(`${card?.regNumber ?? id} (${id}): ${list.length} events`);
        for (const event of list)
          io.out(`  ${event.seq}. ${event.at} ${event.type} (${event.actor.sub}, ${event.actor.role})`);
        if (verdict !== null)
          io.out(
            verdict.ok
              ? `verified: the chain is intact${verdict.cardChecked ? ' and the card matches its last change' : ' (the card carries no hash to check)'}; ${verdict.anchor === null ? 'not yet anchored' : `anchor ${verdict.anchor.number} of ${verdict.anchor.at} fixed it at event ${verdict.anchor.seq}`}`
              : `NOT VERIFIED: ${verdict.seq === undefined ? '' : `event ${verdict.seq}: `}${verdict.field === undefined ? '' : `${verdict.field}: `}${verdict.problem}`,
          );
      }
      return verdict !== null && !verdict.ok ? 1 : 0;
    },
  );
};

/** Every document of the store, verified: the count, and each that does not match. Exit 1 if any. */
function verifyAll(io: Parameters<Command>[1]): Promise<number> {
  return withDataDirStack(io, 'verify through the API, document by document', async (stack) => {
    const { documents, events } = stack.deps;
    const anchors = await verifyAnchors(stack.blobs, io);
    let failed = anchors.problems;
    const latest = anchors.latest;
    // Every history the latest anchor fixed must still be there; those found are struck off as checked.
    const unseen = latest === null ? new Map() : await leavesOf(stack.blobs, latest);
    let checked = 0;
    for await (const id of documents.allIds()) {
      const [list, card] = await Promise.all([events.list(id), documents.get(id)]);
      const verdict = await verifyAnchoredHistory(stack.blobs, latest, id, list, card);
      unseen.delete(id);
      checked++;
      if (!verdict.ok) {
        failed++;
        io.out(
          `NOT VERIFIED ${card?.regNumber ?? ''} ${id}: ${verdict.seq === undefined ? '' : `event ${verdict.seq}: `}${verdict.field === undefined ? '' : `${verdict.field}: `}${verdict.problem}`,
        );
      }
    }
    for (const leaf of unseen.values()) {
      failed++;
      io.out(
        `NOT VERIFIED ${leaf.documentId}: anchor ${latest?.manifest.number} fixed its history at event ${leaf.seq}, but the document is gone`,
      );
    }
    io.out(`${checked} documents verified, ${failed} not matching`);
    return failed > 0 ? 1 : 0;
  });
}

/**
 * The anchors themselves: numbered without gaps, each linked to the one before, each chunk and root
 * as written; and what each found when it was written (histories that did not continue the last).
 */
async function verifyAnchors(
  blobs: StoredAnchorSource,
  io: Parameters<Command>[1],
): Promise<{ latest: StoredAnchor | null; problems: number }> {
  const anchors: StoredAnchor[] = [];
  let problems = 0;
  for await (const stored of allAnchors(blobs)) anchors.push(stored);
  const link = verifyAnchorLinks(anchors);
  if (link !== null) {
    problems++;
    io.out(`NOT VERIFIED anchors: ${link}`);
  }
  for (const stored of anchors) {
    const content = await checkAnchorContent(blobs, stored);
    if (content !== null) {
      problems++;
      io.out(`NOT VERIFIED ${content}`);
    }
    for (const finding of stored.manifest.findings) {
      problems++;
      io.out(
        `NOT VERIFIED ${finding.documentId}: found by anchor ${stored.manifest.number}: ${finding.problem}`,
      );
    }
  }
  const latest = anchors.at(-1) ?? null;
  io.out(
    latest === null
      ? 'no anchors yet: a history cut short or rewritten whole cannot be told until the first is written (docroute history anchor)'
      : `${anchors.length} anchors checked; the latest, ${latest.manifest.number} of ${latest.manifest.at}, fixes ${latest.manifest.chains} histories`,
  );
  return { latest, problems };
}

type StoredAnchorSource = Parameters<typeof allAnchors>[0];

/** `docroute history anchor`: writes an anchor now, as the daily schedule does. */
function anchor(io: Parameters<Command>[1], asJson: boolean): Promise<number> {
  return withDataDirStack(io, 'ask the API as an admin: POST /v1/anchors', async (stack) => {
    const outcome = await stack.runner.run('anchor-histories', {
      requestedBy: { sub: 'cli', role: 'admin' },
    });
    if (outcome.status !== 'succeeded') {
      io.err(`anchor-histories failed: ${outcome.error ?? ''} ${outcome.cause ?? ''}`);
      return 1;
    }
    const written = outcome.output as WrittenAnchor;
    if (asJson) io.out(JSON.stringify(written, null, 2));
    else {
      io.out(`anchor ${written.number} of ${written.at}: ${written.chains} histories, root ${written.root}`);
      io.out(
        `  ${written.key}${written.previous === null ? '' : `, linked to anchor ${written.previous.number}`}`,
      );
      for (const finding of written.findings) io.out(`  FOUND ${finding.documentId}: ${finding.problem}`);
    }
    return written.findingCount > 0 ? 1 : 0;
  });
}
