import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/adapters/config/load-config.ts';
import { createDocumentClient } from '../../functions/adapters/dynamodb/index.ts';
import { issueToken } from '../../functions/api/auth.ts';
import { projectRoot } from '../../infra/local/settings.ts';
import { startLocalStack } from '../../infra/local/stack.ts';
import { runDocroute } from '../support/cli.ts';
import { seedRequest } from '../support/local-stack.ts';

/** `docroute history <regNumber> --verify` on a data directory, before and after a card is edited behind docroute. */

const dataDir = mkdtempSync(join(tmpdir(), 'docroute-history-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = { DOCROUTE_DATA_DIR: dataDir };

async function withStack<T>(
  work: (stack: Awaited<ReturnType<typeof startLocalStack>>) => Promise<T>,
): Promise<T> {
  const stack = await startLocalStack({
    dataDir,
    config: await loadConfig(join(projectRoot, 'docroute.config.json')),
    port: 0,
    schedule: false,
  });
  try {
    return await work(stack);
  } finally {
    await stack.stop();
  }
}

describe('docroute history', () => {
  it('prints the history, verifies it, and exits 1 naming the field once the card is edited', async () => {
    const id = await withStack(async (stack) => {
      const token = await issueToken(
        stack.tokenSecret,
        { sub: 'c', role: 'clerk', ttlSeconds: 60 },
        new Date(),
      );
      const answer = await fetch(`${stack.apiUrl}/v1/incoming`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(seedRequest()),
      });
      return ((await answer.json()) as { id: string }).id;
    });
    const good = await runDocroute(['history', '01-05/1', '--verify'], projectRoot, env);
    expect(good.code, good.err).toBe(0);
    expect(good.out).toContain(`01-05/1 (${id}): 1 events`);
    expect(good.out).toContain('1. ');
    expect(good.out).toContain('verified: the chain is intact and the card matches its last change');

    await withStack(async (stack) => {
      const client = createDocumentClient({ endpoint: stack.dynamoEndpoint });
      const TableName = stack.tableNames.documents;
      const { Item } = await client.send(new GetCommand({ TableName, Key: { id } }));
      await client.send(new PutCommand({ TableName, Item: { ...Item, executor: 'someone-else' } }));
      client.destroy();
    });
    const bad = await runDocroute(['history', id, '--verify'], projectRoot, env);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('NOT VERIFIED: event 1: executor: the card does not match');
    const json = await runDocroute(['history', id, '--verify', '--json'], projectRoot, env);
    expect(JSON.parse(json.out)).toMatchObject({ documentId: id, verify: { ok: false, field: 'executor' } });
    const all = await runDocroute(['history', 'verify', '--all'], projectRoot, env);
    expect(all.code).toBe(1);
    expect(all.out).toContain(`NOT VERIFIED 01-05/1 ${id}: event 1: executor:`);
    expect(all.out).toContain('1 documents verified, 1 not matching');
  }, 120_000);

  it('anchors every history, and verify --all names an anchored document removed whole', async () => {
    const anchorDir = mkdtempSync(join(tmpdir(), 'docroute-anchor-'));
    const anchorEnv = { DOCROUTE_DATA_DIR: anchorDir };
    try {
      const stackOn = async () =>
        startLocalStack({
          dataDir: anchorDir,
          config: await loadConfig(join(projectRoot, 'docroute.config.json')),
          port: 0,
          schedule: false,
        });
      let stack = await stackOn();
      const ids: string[] = [];
      try {
        const token = await issueToken(
          stack.tokenSecret,
          { sub: 'c', role: 'clerk', ttlSeconds: 60 },
          new Date(),
        );
        for (const number of ['АК-1', 'АК-2']) {
          const answer = await fetch(`${stack.apiUrl}/v1/incoming`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(seedRequest({ theirRef: { number, date: '2014-06-10' } })),
          });
          ids.push(((await answer.json()) as { id: string }).id);
        }
      } finally {
        await stack.stop();
      }
      const anchored = await runDocroute(['history', 'anchor'], projectRoot, anchorEnv);
      expect(anchored.code, anchored.err).toBe(0);
      expect(anchored.out).toMatch(/^anchor 1 of .*: 2 histories, root [0-9a-f]{64}/);
      const clean = await runDocroute(['history', 'verify', '--all'], projectRoot, anchorEnv);
      expect(clean.code, clean.out).toBe(0);
      expect(clean.out).toContain('1 anchors checked; the latest, 1 of');
      expect(clean.out).toContain('2 documents verified, 0 not matching');

      // Behind docroute: one document gone whole, its card, its events and its head.
      const [gone] = ids as [string];
      stack = await stackOn();
      try {
        const client = createDocumentClient({ endpoint: stack.dynamoEndpoint });
        await client.send(new DeleteCommand({ TableName: stack.tableNames.documents, Key: { id: gone } }));
        await client.send(
          new DeleteCommand({ TableName: stack.tableNames.events, Key: { documentId: gone, seq: 1 } }),
        );
        await client.send(
          new DeleteCommand({ TableName: stack.tableNames.chainHeads, Key: { documentId: gone } }),
        );
        client.destroy();
      } finally {
        await stack.stop();
      }
      const caught = await runDocroute(['history', 'verify', '--all'], projectRoot, anchorEnv);
      expect(caught.code).toBe(1);
      expect(caught.out).toContain(
        `NOT VERIFIED ${gone}: anchor 1 fixed its history at event 1, but the document is gone`,
      );
      expect(caught.out).toContain('1 documents verified, 1 not matching');
      const next = await runDocroute(['history', 'anchor'], projectRoot, anchorEnv);
      expect(next.code).toBe(1);
      expect(next.out).toContain(`FOUND ${gone}: the history fixed by anchor 1 at event 1 is gone`);
    } finally {
      rmSync(anchorDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('says which documents a number names when it is not one, and exits 2 for none', async () => {
    const none = await runDocroute(['history', '01-05/999'], projectRoot, env);
    expect(none.code).toBe(2);
    expect(none.err).toContain('no document 01-05/999');
  });
});
