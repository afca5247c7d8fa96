import { instantOfWallTime, wallTimeIn } from '../../functions/domain/time-zone.ts';

/** A job the local schedule runs, standing in for an EventBridge Scheduler schedule in AWS. */
export interface ScheduledJob {
  readonly name: string;
  /** Every so many milliseconds; or, with `dailyAt`, once a day. */
  readonly everyMs?: number;
  /** Once a day at this wall time (`09:00`) in the zone, as a cron in the office's time zone. */
  readonly dailyAt?: { readonly time: string; readonly timeZone: string };
  run(): Promise<unknown>;
}

/** The next moment after `now` that is `time` on the wall clock of `timeZone`. */
export function nextDailyRun(now: Date, time: string, timeZone: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const today = wallTimeIn(now, timeZone);
  for (let days = 0; days < 3; days++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    const at = instantOfWallTime(
      {
        year: day.getUTCFullYear(),
        month: day.getUTCMonth() + 1,
        day: day.getUTCDate(),
        hour,
        minute,
        second: 0,
      },
      0,
      timeZone,
    );
    if (at.getTime() > now.getTime()) return at;
  }
  throw new RangeError(`no ${time} in ${timeZone} within three days of ${now.toISOString()}`);
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
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const fire = (job: ScheduledJob) => {
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
  };
  for (const job of jobs) {
    if (job.dailyAt !== undefined) {
      const { time, timeZone } = job.dailyAt;
      const arm = () => {
        if (stopped) return;
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            fire(job);
            arm();
          },
          nextDailyRun(new Date(), time, timeZone).getTime() - Date.now(),
        );
        timer.unref();
        timers.add(timer);
      };
      arm();
    } else {
      const timer = setInterval(() => fire(job), job.everyMs ?? 60_000);
      // The schedule alone never keeps the process alive.
      timer.unref();
      timers.add(timer);
    }
  }
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(running);
    },
  };
}
