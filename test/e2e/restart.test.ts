import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../functions/api/auth.ts';
import { projectRoot } from '../../infra/local/settings.ts';
import { localTokenSecret } from '../../infra/local/token-secret.ts';
import { seedRequest } from '../support/local-stack.ts';

/** A port with two free ports after it (the service puts DynamoDB and S3 there). */
async function freePortRun(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(
      [0, 1, 2].map(
        (offset) =>
          new Promise<boolean>((resolve) => {
            const probe = createServer();
            probe.once('error', () => resolve(false));
            probe.listen(port + offset, '127.0.0.1', () => probe.close(() => resolve(true)));
          }),
      ),
    );
    if (free.every(Boolean)) return port;
  }
}

/**
 * Runs the `start` script of package.json, and waits for it to print its API address. The script runs
 * in place of a shell (exec), so the signals sent reach the service itself, as Ctrl-C does in a terminal.
 */
async function npmStart(
  port: number,
  dataDir: string,
): Promise<{ child: ChildProcess; output: () => string }> {
  const { scripts } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const child = spawn('sh', ['-c', `exec ${scripts.start}`], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), DOCROUTE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const started = Date.now();
  while (!output.includes(`http://127.0.0.1:${port}/v1`)) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
    if (Date.now() - started > 60_000) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output };
}

async function stopWith(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  child.kill(signal);
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

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
