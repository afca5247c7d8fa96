import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import dynalite from 'dynalite';

/**
 * dynalite runs in a child process of its own: DynamoDB's work then gets the machine's second core
 * instead of competing with the API and the workflow engine for one.
 */
export interface DynamoProcess {
  readonly port: number;
  stop(): Promise<void>;
}

type ChildMessage =
  | { readonly port: number }
  | { readonly error: { readonly code?: string; readonly message: string } };

export async function startDynamoProcess(path: string, port: number, host: string): Promise<DynamoProcess> {
  const child = fork(fileURLToPath(import.meta.url), [path, String(port), host], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the embedded DynamoDB exited (${code}) before it started`);
    }),
  ])) as [ChildMessage];
  if ('error' in message) {
    // Keep the code (EADDRINUSE, ...) so the caller can say what to do about it.
    throw Object.assign(new Error(message.error.message), { code: message.error.code });
  }
  return {
    port: message.port,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send('stop');
      await exited;
    },
  };
}

// In the child: serve the tables until the parent says stop, or goes away.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.send !== undefined) {
  const [path, port, host] = process.argv.slice(2) as [string, string, string];
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const stop = () => server.close(() => process.exit(0));
  const fail = (error: NodeJS.ErrnoException) => {
    process.send?.({ error: { code: error.code, message: error.message } }, () => process.exit(1));
  };
  server.once('error', fail);
  process.once('uncaughtException', fail);
  server.listen(Number(port), host, () =>
    process.send?.({ port: (server.address() as { port: number }).port }),
  );
  process.on('message', (message) => message === 'stop' && stop());
  process.on('disconnect', stop);
  process.on('SIGINT', () => {}); // Ctrl-C reaches the whole group; the parent decides when to stop.
  process.on('SIGTERM', () => {});
}
