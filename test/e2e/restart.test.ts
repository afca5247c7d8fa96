import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../functions/api/auth.ts';
import { localTokenSecret } from '../../infra/local/token-secret.ts';
import { seedRequest } from '../support/local-stack.ts';
import { freePortRun, npmStart, stopWith } from '../support/service-process.ts';

describe('npm start keeps its data across a restart', () => {
  let dataDir = '';
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('GIVEN a registration WHEN the service stops on SIGTERM and starts again THEN card, counter and journal are there', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'docroute-restart-'));
    const port = await freePortRun();
    const api = `http://127.0.0.1:${port}`;

    const first = await npmStart(port, dataDir);
    expect(first.output()).toContain(`DynamoDB  http://127.0.0.1:${port + 1}`);
    expect(first.output()).toContain(`S3        http://127.0.0.1:${port + 2}`);
    const token = await issueToken(
      await localTokenSecret(dataDir),
      { sub: 'clerk-1', role: 'clerk', ttlSeconds: 600 },
      new Date(),
    );
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${api}/v1/incoming`, {
      method: 'POST',
      headers,
      body: JSON.stringify(seedRequest()),
    });
    expect(created.status).toBe(201);
    const card = (await created.json()) as { id: string; regNumber: string; regSeq: number };
    expect(await stopWith(first.child, 'SIGTERM')).toBe(0);

    const second = await npmStart(port, dataDir);
    try {
      const read = await fetch(`${api}/v1/documents/${card.id}`, { headers });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({
        id: card.id,
        regNumber: card.regNumber,
        regDate: '2014-06-16',
      });

      const again = await fetch(`${api}/v1/incoming`, {
        method: 'POST',
        headers,
        body: JSON.stringify(seedRequest()),
      });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ id: card.id, duplicate: true });

      const next = await fetch(`${api}/v1/incoming`, {
        method: 'POST',
        headers,
        body: JSON.stringify(seedRequest({ theirRef: { number: '25-24/6782', date: '2014-06-11' } })),
      });
      expect(((await next.json()) as { regSeq: number }).regSeq).toBe(card.regSeq + 1);

      const journal = (await (await fetch(`${api}/v1/journals/incoming/2014`, { headers })).json()) as {
        entries: Array<{ seq: number; documentId?: string }>;
      };
      expect(journal.entries.map((e) => e.seq)).toEqual([1, 2]);
      expect(journal.entries[0]?.documentId).toBe(card.id);
    } finally {
      expect(await stopWith(second.child, 'SIGINT')).toBe(0);
    }
  }, 120_000);
});
