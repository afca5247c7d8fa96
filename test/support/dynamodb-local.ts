import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../infra/local/settings.ts';

/** Amazon's DynamoDB Local, as the devDependency amplify-dynamodb-simulator ships it. */
export const dynamoDbLocalFolder = join(
  projectRoot,
  'node_modules',
  'amplify-dynamodb-simulator',
  'emulator',
);

export interface DynamoDbLocal {
  /** Always through 127.0.0.1: the emulator listens on every interface and has no bind option. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local in memory on a free port and waits until it answers. Throws, saying what is
 * missing, when there is no `java` on PATH or the jar is not installed: the suites that need it are
 * meant to run where both are (CI), never to pass quietly without them.
 */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const jar = join(dynamoDbLocalFolder, 'DynamoDBLocal.jar');
  if (!existsSync(jar))
    throw new Error(
      `DynamoDB Local is not installed: ${jar} is missing (npm ci installs amplify-dynamodb-simulator)`,
    );
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      'java',
      [
        `-Djava.library.path=${join(dynamoDbLocalFolder, 'DynamoDBLocal_lib')}`,
        '-jar',
        jar,
        '-inMemory',
        // One database whatever the credentials and region of a call: every client sees the same tables.
        '-sharedDb',
        '-port',
        String(port),
      ],
      { cwd: dynamoDbLocalFolder, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const endpoint = `http://127.0.0.1:${port}`;
    let failure: Error | undefined;
    child.once('error', (error: NodeJS.ErrnoException) => {
      failure =
        error.code === 'ENOENT'
          ? new Error('DynamoDB Local needs Java 17 or later: no `java` was found on PATH')
          : error;
    });
    const up = await answering(endpoint, () => failure === undefined && child.exitCode === null).catch(
      async (error: unknown) => {
        await stopChild(child);
        throw error;
      },
    );
    if (failure !== undefined) throw failure;
    if (up) return { endpoint, port, stop: () => stopChild(child) };
    // The port was taken between the probe and the start (another worker): try another one.
    if (attempt >= 3 || !/Address already in use|BindException/.test(output))
      throw new Error(`DynamoDB Local exited before it answered on ${endpoint}:\n${output}`);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Polls until the emulator answers an HTTP request (any answer: it is up): false if it ended first. */
async function answering(endpoint: string, running: () => boolean): Promise<boolean> {
  const started = Date.now();
  while (running()) {
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return true;
    } catch {}
    if (Date.now() - started > 60_000)
      throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '0.0.0.0', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
