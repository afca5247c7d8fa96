import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../functions/api/auth.ts';
import { localTokenSecret } from '../../infra/local/token-secret.ts';
import { createLoadClient } from '../support/http-load.ts';
import { seedRequest } from '../support/local-stack.ts';
import { freePortRun, npmStart, portsFreed, stopWith } from '../support/service-process.ts';

/**
 * The real service, killed with SIGKILL in the middle of concurrent registrations, then started again.
 * Its workflows get a 4 s time limit, so a lease is 8 s and settling runs every 4 s: what the kill
 * left must be settled by the workflows alone, within a lease or two of the restart.
 */

const letters = 100;
const timeLimitSeconds = 4;

type Line = {
  seq: number;
  state: string;
  documentId?: string;
  voided?: { reason: string };
};

const letter = (i: number) =>
  seedRequest({
    theirRef: { number: `KILL-${i}`, date: '2021-12-01' },
    receivedAt: '2021-12-02T10:00:00+03:00',
  });

describe('SIGKILL during concurrent registrations', () => {
  let dataDir = '';
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`GIVEN ${letters} concurrent registrations WHEN the service is killed mid-way and restarted THEN every number is its document or voided, and every letter sent again registers`, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'docroute-sigkill-'));
    const port = await freePortRun();
    const env = { DOCROUTE_WORKFLOW_TIME_LIMIT_SECONDS: String(timeLimitSeconds) };
    const api = `http://127.0.0.1:${port}`;

    const first = await npmStart(port, dataDir, env);
    const token = await issueToken(
      await localTokenSecret(dataDir),
      { sub: 'clerk-1', role: 'clerk', ttlSeconds: 600 },
      new Date(),
    );
    const auth = { Authorization: `Bearer ${token}` };
    const load = createLoadClient(api, letters);
    let answered = 0;
    // Staggered, so that at the kill registrations stand at every state of the workflow.
    const sent = Array.from({ length: letters }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 4));
      return load.send('POST', '/v1/incoming', auth, letter(i)).then(
        (response) => {
          answered++;
          return response;
        },
        () => 'cut' as const,
      );
    });
    // Kill once some registrations have answered and the rest are in flight.
    while (answered < 20) await new Promise((r) => setTimeout(r, 2));
    first.child.kill('SIGKILL');
    const before = await Promise.all(sent);
    load.close();
    await portsFreed(port);

    const restartedAt = Date.now();
    const second = await npmStart(port, dataDir, env);
    try {
      const get = async (path: string) => {
        const response = await fetch(`${api}${path}`, { headers: auth });
        return { status: response.status, body: (await response.json()) as any };
      };
      const journal = async () => (await get('/v1/journals/incoming/2021')).body.entries as Line[];
      let lines = await journal();
      while (lines.some((line) => line.state !== 'registered' && line.state !== 'voided')) {
        if (Date.now() - restartedAt > 60_000) throw new Error(`not settled: ${JSON.stringify(lines)}`);
        await new Promise((r) => setTimeout(r, 250));
        lines = await journal();
      }
      const settledInMs = Date.now() - restartedAt;
      const documents = lines.filter((line) => line.state === 'registered');
      const voided = lines.filter((line) => line.state === 'voided');
      for (const line of voided) expect(line.voided?.reason).toMatch(/\w{5,}/);
      for (const line of documents) {
        expect((await get(`/v1/documents/${line.documentId}`)).status).toBe(200);
        const history = (await get(`/v1/documents/${line.documentId}/history`)).body;
        expect(history.events[0]?.type).toBe('registered');
        expect(history.chain).toEqual({ intact: true });
      }
      const registeredBeforeKill = before.flatMap((r) =>
        r !== 'cut' && r.status === 201 ? [r.body.id] : [],
      );
      const figures = {
        answeredBeforeKill: before.filter((r) => r !== 'cut').length,
        numbersTaken: lines.length,
        documents: documents.length,
        voided: voided.length,
        settledInMs,
      };
      console.log(`SIGKILL run: ${JSON.stringify(figures)}`);
      // What the clerks were told stands; what nobody was told was completed or voided.
      const registeredNow = new Set(documents.map((line) => line.documentId));
      for (const id of registeredBeforeKill) expect(registeredNow.has(id)).toBe(true);
      expect(before.some((r) => r === 'cut')).toBe(true);
      expect(lines.map((line) => line.seq)).toEqual(lines.map((_, i) => i + 1));

      // Every letter sent again is registered exactly once: its card from before, or now.
      const again = await Promise.all(
        Array.from({ length: letters }, (_, i) =>
          fetch(`${api}/v1/incoming`, {
            method: 'POST',
            headers: { ...auth, 'Content-Type': 'application/json' },
            body: JSON.stringify(letter(i)),
          }).then(async (response) => ({ status: response.status, body: (await response.json()) as any })),
        ),
      );
      expect(again.filter((r) => r.status !== 200 && r.status !== 201)).toEqual([]);
      expect(new Set(again.map((r) => r.body.id)).size).toBe(letters);
      const final = await journal();
      expect(final.filter((line) => line.state === 'registered')).toHaveLength(letters);
      expect(final.filter((line) => line.state !== 'registered' && line.state !== 'voided')).toEqual([]);
    } finally {
      expect(await stopWith(second.child, 'SIGINT')).toBe(0);
    }
  }, 180_000);
});
