import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../infra/local/stack.ts';
import { StartupError } from '../../infra/local/startup-error.ts';
import { seedConfig, startTestStack, type TestStack } from '../support/local-stack.ts';

describe('the local stack refuses to start, saying why, and leaves nothing running', () => {
  let running: TestStack;
  let spare: string;
  beforeAll(async () => {
    running = await startTestStack();
    spare = await mkdtemp(join(tmpdir(), 'docroute-spare-'));
  });
  afterAll(async () => {
    await running.dispose();
    await rm(spare, { recursive: true, force: true });
  });

  it('GIVEN a data directory another stack is using THEN StartupError names the folder and that process', async () => {
    const attempt = startLocalStack({ dataDir: running.dataDir, config: await seedConfig(), port: 0 });
    await expect(attempt).rejects.toBeInstanceOf(StartupError);
    await expect(attempt).rejects.toThrow(
      `${running.dataDir} is in use by another docroute (process ${process.pid})`,
    );
    // The running stack is untouched.
    expect((await running.call('GET', '/v1/journals/incoming/2014', { role: 'auditor' })).status).toBe(200);
  });

  it('GIVEN the API port taken THEN StartupError says so, and the stores it had started are stopped', async () => {
    const blocker: Server = createServer();
    const port = await new Promise<number>((done) =>
      blocker.listen(0, '127.0.0.1', () => done((blocker.address() as { port: number }).port)),
    );
    try {
      const attempt = startLocalStack({ dataDir: spare, config: await seedConfig(), port });
      await expect(attempt).rejects.toThrow(/cannot listen on port \d+: it is in use/);
    } finally {
      blocker.close();
    }
    // Everything was released: the same folder starts cleanly now.
    const stack = await startLocalStack({ dataDir: spare, config: await seedConfig(), port: 0 });
    await stack.stop();
  });
});
