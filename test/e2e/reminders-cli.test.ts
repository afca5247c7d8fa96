import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/adapters/config/load-config.ts';
import { issueToken } from '../../functions/api/auth.ts';
import { projectRoot } from '../../infra/local/settings.ts';
import { startLocalStack } from '../../infra/local/stack.ts';
import { runDocroute } from '../support/cli.ts';
import { seedRequest } from '../support/local-stack.ts';

/** `docroute reminders run` on a data directory, with the shipped configuration, as an administrator runs it. */

const dataDir = mkdtempSync(join(tmpdir(), 'docroute-reminders-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = { DOCROUTE_DATA_DIR: dataDir };

describe('docroute reminders run', () => {
  it('plans with --dry-run, sends once, and says so when run again', async () => {
    const stack = await startLocalStack({
      dataDir,
      config: await loadConfig(join(projectRoot, 'docroute.config.json')),
      port: 0,
      schedule: false,
    });
    try {
      const token = await issueToken(
        stack.tokenSecret,
        { sub: 'c', role: 'clerk', ttlSeconds: 60 },
        new Date(),
      );
      const answer = await fetch(`${stack.apiUrl}/v1/incoming`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(
          seedRequest({
            receivedAt: '2021-03-25T10:00:00+03:00',
            theirRef: { number: 'Р-1', date: '2021-03-24' },
            dueDate: '2021-04-09',
          }),
        ),
      });
      expect(answer.status).toBe(201);
    } finally {
      await stack.stop();
    }

    const dry = await runDocroute(
      ['reminders', 'run', '--at', '2021-04-06T09:00:00+03:00', '--dry-run'],
      projectRoot,
      env,
    );
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('2021-04-06: 1 reminders to send');
    expect(dry.out).toContain('plaksina@krasnogvardeiskoe.example');
    expect(readdirSync(dataDir)).not.toContain('outbox');

    const run = await runDocroute(
      ['reminders', 'run', '--at', '2021-04-06T09:00:00+03:00'],
      projectRoot,
      env,
    );
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('1 reminders sent');
    expect(readdirSync(join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(1);

    const again = await runDocroute(
      ['reminders', 'run', '--at', '2021-04-06T10:00:00+03:00'],
      projectRoot,
      env,
    );
    expect(again.out).toContain('0 reminders sent');
    expect(readdirSync(join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
  }, 120_000);

  it('refuses a malformed --at, exiting 2', async () => {
    const bad = await runDocroute(['reminders', 'run', '--at', 'tomorrow'], projectRoot, env);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--at');
  });
});
