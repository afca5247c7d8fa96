import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoadClient } from '../support/http-load.ts';
import { seedRequest, startTestStack, type TestStack } from '../support/local-stack.ts';

const registrations = 5000;

describe('5,000 concurrent registrations over HTTP on the local stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.dispose());

  it('GIVEN 5,000 different letters posted at once THEN the 2014 incoming journal holds numbers 1..5000, each exactly once', async () => {
    const client = createLoadClient(stack.apiUrl);
    const auth = { Authorization: `Bearer ${await stack.token('clerk')}` };
    const responses = await Promise.all(
      Array.from({ length: registrations }, (_, i) =>
        client.send(
          'POST',
          '/v1/incoming',
          auth,
          seedRequest({ theirRef: { number: `25-24/${10_000 + i}`, date: '2014-06-10' } }),
        ),
      ),
    );
    client.close();

    expect(responses.filter((r) => r.status !== 201).map((r) => r.body)).toEqual([]);
    const seqs = responses.map((r) => r.body.regSeq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: registrations }, (_, i) => i + 1));
    expect(new Set(responses.map((r) => r.body.regNumber)).size).toBe(registrations);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(registrations);

    const journal = await stack.call('GET', '/v1/journals/incoming/2014', { role: 'auditor' });
    expect(journal.status).toBe(200);
    expect(journal.body.lastNumber).toBe(registrations);
    expect(journal.body.entries).toHaveLength(registrations);
    const byId = new Map(responses.map((r) => [r.body.id as string, r.body.regSeq as number]));
    journal.body.entries.forEach((entry: { seq: number; documentId?: string }, index: number) => {
      expect(entry.seq).toBe(index + 1);
      expect(entry.documentId).toBeDefined();
      expect(byId.get(entry.documentId ?? '')).toBe(entry.seq);
    });
  }, 240_000);
});
