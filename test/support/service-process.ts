import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../infra/local/settings.ts';

/** A port with two free ports after it, free now (the service puts DynamoDB and S3 there). */
export async function freePortRun(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all([0, 1, 2].map((offset) => isFree(port + offset)));
    if (free.every(Boolean)) return port;
  }
}

/**
 * Runs the `start` script of package.json, and waits for it to print its API address. The script runs
 * in place of a shell (exec), so the signals sent reach the service itself, as Ctrl-C does in a terminal.
 */
export async function npmStart(
  port: number,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; output: () => string }> {
  const { scripts } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const child = spawn('sh', ['-c', `exec ${scripts.start}`], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), DOCROUTE_DATA_DIR: dataDir, ...env },
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
  // The banner's last line: the lines before it may arrive in separate chunks of the pipe.
  const up = () =>
    output.includes(`http://127.0.0.1:${port}/v1`) && output.includes('a token:  npx docroute token');
  while (!up()) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
    if (Date.now() - started > 60_000) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output };
}

export async function stopWith(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  child.kill(signal);
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/** Waits until the port and the two after it are free again (a killed service's store process exits on its own). */
export async function portsFreed(port: number, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const free = await Promise.all([0, 1, 2].map((offset) => isFree(port + offset)));
    if (free.every(Boolean)) return;
    if (Date.now() - started > timeoutMs)
      throw new Error(`ports from ${port} still in use after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
