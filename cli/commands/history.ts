import { parseArgs } from 'node:util';
import { verifyChain, verifyHistory } from '../../functions/domain/history.ts';
import { withDataDirStack } from '../data-dir-stack.ts';
import { type Command, UsageError } from '../io.ts';

const usage =
  'usage: docroute history <document id | registration number> [--verify] [--json], or docroute history verify --all';

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
      const verdict = values.verify ? verifyHistory(list, card) : null;
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
              ? `verified: the chain is intact${verdict.cardChecked ? ' and the card matches its last change' : ' (the card carries no hash to check)'}`
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
    let checked = 0;
    let failed = 0;
    for await (const id of documents.allIds()) {
      const [list, card] = await Promise.all([events.list(id), documents.get(id)]);
      const verdict = verifyHistory(list, card);
      checked++;
      if (!verdict.ok) {
        failed++;
        io.out(
          `NOT VERIFIED ${card?.regNumber ?? ''} ${id}: ${verdict.seq === undefined ? '' : `event ${verdict.seq}: `}${verdict.field === undefined ? '' : `${verdict.field}: `}${verdict.problem}`,
        );
      }
    }
    io.out(`${checked} documents verified, ${failed} not matching`);
    return failed > 0 ? 1 : 0;
  });
}
