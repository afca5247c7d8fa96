import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../../functions/adapters/config/load-config.ts';
import { createDocumentClient } from '../../functions/adapters/dynamodb/index.ts';
import { issueToken, type Role } from '../../functions/api/auth.ts';
import type { Config } from '../../functions/domain/config.ts';
import { tasksById } from '../../functions/handlers/index.ts';
import type { StoreSettings } from '../../infra/local/external-stores.ts';
import { projectRoot } from '../../infra/local/settings.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../infra/local/stack.ts';
import { stateNameOf, workflows } from '../../workflows/registry.ts';
import { testDynamoMode } from './dynamodb-local-setup.ts';

export const seedConfigPath = join(projectRoot, 'docroute.config.json');

export function seedConfig(): Promise<Config> {
  return loadConfig(seedConfigPath);
}

export interface TestStack extends LocalStack {
  readonly dataDir: string;
  /**
   * Set an error under a task's state name (`SaveCard`) and that state throws it instead of running;
   * set `'crash'` and it never answers, as when the process dies there (`'crash-after'`: it does its
   * work first, then never answers): nothing after it runs, and the execution ends at its time limit.
   */
  readonly faults: Partial<Record<string, Error | 'crash' | 'crash-after'>>;
  /** A token for the role, signed with this stack's secret. */
  token(role: Role, sub?: string): Promise<string>;
  /** Calls the API as the role (or with no token when role is null). */
  call(
    method: string,
    path: string,
    options?: { role?: Role | null; sub?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    body: any;
    headers: Headers;
  }>;
  /** Stops the stack and removes its data directory (unless `keepData`). */
  dispose(keepData?: boolean): Promise<void>;
}

/** A whole local stack (dynalite, s3rver, the workflow engine, the API) on free ports and a temporary directory. */
export async function startTestStack(
  options: Partial<Omit<LocalStackOptions, 'port' | 'stateOverrides'>> & { dataDir?: string } = {},
): Promise<TestStack> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'docroute-test-')));
  const config = options.config ?? (await seedConfig());
  const faults: TestStack['faults'] = {};
  // Every task state checks its fault switch, then runs its real handler on this stack's stores.
  const stateOverrides = Object.fromEntries(
    workflows.flatMap((w) =>
      w.tasks.map(({ id }) => [
        stateNameOf(id),
        async (input: never) => {
          const fault = faults[stateNameOf(id)];
          if (fault === 'crash') return new Promise<never>(() => {});
          if (fault instanceof Error) throw fault;
          const output = await tasksById[id]?.run(input, stack.deps);
          return fault === 'crash-after' ? new Promise<never>(() => {}) : output;
        },
      ]),
    ),
  );
  const shared = options.stores === undefined ? await sharedDynamoDbLocal(dataDir) : undefined;
  const stack = await startLocalStack({
    schedule: false,
    ...options,
    ...(shared === undefined ? {} : { stores: shared }),
    dataDir,
    config,
    port: 0,
    stateOverrides,
  });
  const token = (role: Role, sub = `test-${role}`) =>
    issueToken(stack.tokenSecret, { sub, role, ttlSeconds: 3600 }, new Date());
  return {
    ...stack,
    dataDir,
    faults,
    token,
    async call(method, path, { role = 'clerk', sub, body, headers = {} } = {}) {
      const auth: Record<string, string> =
        role === null ? {} : { Authorization: `Bearer ${await token(role, sub)}` };
      const response = await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...auth, ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async dispose(keepData = false) {
      await stack.stop();
      // The run's DynamoDB Local is in memory and shared: a stack's tables go with its data directory.
      if (shared !== undefined && !keepData) await dropTables(stack);
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The seed configuration with starting numbers for one journal: `{ '2022': 500 }`. */
export async function configStartingAt(
  journal: string,
  startingNumbers: Record<string, number>,
): Promise<Config> {
  const base = await seedConfig();
  const rules = base.journals[journal];
  if (rules === undefined) throw new Error(`the seed configuration has no journal ${journal}`);
  return { ...base, journals: { ...base.journals, [journal]: { ...rules, startingNumbers } } };
}

/** A clock that stands where a test puts it: for letters signed in 2021 with certificates of then. */
export function settableClock(start: string): { now(): Date; set(iso: string): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (iso) => {
      current = new Date(iso);
    },
  };
}

/** A clock that tests move forward, past a lease, without waiting. */
export function movableClock(): { now(): Date; advance(ms: number): void } {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: (ms) => {
      offsetMs += ms;
    },
  };
}

/** An error with a name of one's choosing, as workflows match them. */
export function namedError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** The seed's incoming request: the regional government's letter 25-24/6781 of 10.06.2014. */
export function seedRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    correspondent: { organization: 'Аппарат Правительства Ставропольского края', person: 'А.Д. Литовкин' },
    theirRef: { number: '25-24/6781', date: '2014-06-10' },
    kind: 'request',
    subject: 'О мерах по внедрению системы «Открытое правительство»',
    receivedAt: '2014-06-16T09:30:00+03:00',
    channel: 'post',
    executor: 'plaksina',
    ...overrides,
  };
}

/**
 * With DOCROUTE_TEST_DYNAMODB=dynamodb-local, the stores of a test stack: the run's one DynamoDB Local
 * (started by the vitest globalSetup) with tables of a prefix derived from the data directory, so a
 * stack started again on the same directory finds its tables, as it would find dynalite's files.
 */
async function sharedDynamoDbLocal(dataDir: string): Promise<StoreSettings | undefined> {
  if (testDynamoMode(process.env) !== 'dynamodb-local') return undefined;
  const { inject } = await import('vitest');
  const endpoint = inject('dynamodbLocalEndpoint');
  if (endpoint === undefined)
    throw new Error(
      'DOCROUTE_TEST_DYNAMODB=dynamodb-local, but no DynamoDB Local was started (vitest globalSetup)',
    );
  const prefix = `t-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  return {
    prefix,
    dynamodb: {
      variable: 'DOCROUTE_DYNAMODB_ENDPOINT',
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
  };
}

async function dropTables(stack: LocalStack): Promise<void> {
  const client = createDocumentClient({ endpoint: stack.dynamoEndpoint });
  try {
    await Promise.all(
      Object.values(stack.tableNames).map((TableName) =>
        client.send(new DeleteTableCommand({ TableName })).catch((error: Error) => {
          if (error.name !== 'ResourceNotFoundException') throw error;
        }),
      ),
    );
  } finally {
    client.destroy();
  }
}

/** Registers the seed letter under a fresh number of their own (`АН-1`, `АН-2`…) and returns its id. */
export function letterRegistrar(stack: () => TestStack, prefix: string): () => Promise<string> {
  let letter = 0;
  return async () => {
    letter++;
    const answer = await stack().call('POST', '/v1/incoming', {
      body: seedRequest({ theirRef: { number: `${prefix}-${letter}`, date: '2014-06-10' } }),
    });
    if (answer.status !== 201)
      throw new Error(`registration answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  };
}

/** A document's history verification, as an auditor asks for it. */
export async function verifyAsAuditor(stack: TestStack, id: string): Promise<Record<string, unknown>> {
  return (await stack.call('GET', `/v1/documents/${id}/history/verify`, { role: 'auditor' })).body;
}
