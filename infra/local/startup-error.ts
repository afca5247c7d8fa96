/** The local stack cannot start: a port is taken, the data directory is in use. Told to the user in one line. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** A listen failure, in words a user can act on. */
export function listenProblem(what: string, port: number, error: unknown): StartupError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new StartupError(
      `${what} cannot listen on port ${port}: it is in use (set PORT; docroute uses PORT, PORT+1 and PORT+2)`,
    );
  }
  if (code === 'EACCES')
    return new StartupError(`${what} may not listen on port ${port} (set PORT above 1023)`);
  return new StartupError(`${what} could not start: ${(error as Error).message}`);
}
