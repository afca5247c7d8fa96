import { createLoadClient } from '../test/support/http-load.ts';

/**
 * A separate process that posts registrations, so that the client's own work is not counted against
 * the service it measures. The parent sends {url, token, count, prefix, concurrency}; we answer with
 * the number of 201s and the seconds they took.
 */
interface Job {
  readonly url: string;
  readonly token: string;
  readonly count: number;
  readonly prefix: string;
  readonly concurrency: number;
  readonly request: Record<string, unknown>;
}

process.on('message', async (job: Job) => {
  const client = createLoadClient(job.url, job.concurrency);
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < job.count) {
        const i = next++;
        const body = { ...job.request, theirRef: { number: `${job.prefix}-${i}`, date: '2014-06-10' } };
        const response = await client.send(
          'POST',
          '/v1/incoming',
          { Authorization: `Bearer ${job.token}` },
          body,
        );
        if (response.status !== 201) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  client.close();
  process.send?.({ seconds, failures });
});
