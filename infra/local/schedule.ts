/** A job the local schedule runs, standing in for an EventBridge Scheduler schedule in AWS. */
export interface ScheduledJob {
  readonly name: string;
  readonly everyMs: number;
  run(): Promise<unknown>;
}

export interface LocalSchedule {
  /** Stops the timers and waits for a job that is running to finish. */
  stop(): Promise<void>;
}

/**
 * Runs each job every `everyMs`, never two runs of one job at once. A failed run is logged and the
 * next one comes as planned: the jobs are idempotent, so a run that failed halfway is simply repeated.
 */
export function startLocalSchedule(
  jobs: readonly ScheduledJob[],
  warn: (line: string) => void = (line) => console.warn(line),
): LocalSchedule {
  const running = new Set<Promise<void>>();
  const busy = new Set<string>();
  const timers = jobs.map((job) => {
    const timer = setInterval(() => {
      if (busy.has(job.name)) return;
      busy.add(job.name);
      const run = job
        .run()
        .then(
          () => undefined,
          (error: unknown) =>
            warn(
              JSON.stringify({
                level: 'warn',
                job: job.name,
                message: (error as Error).message ?? String(error),
              }),
            ),
        )
        .finally(() => {
          busy.delete(job.name);
          running.delete(run);
        });
      running.add(run);
    }, job.everyMs);
    // The schedule alone never keeps the process alive.
    timer.unref();
    return timer;
  });
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running);
    },
  };
}
