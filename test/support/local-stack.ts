import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../functions/adapters/config/load-config.ts';
import { issueToken, type Role } from '../../functions/api/auth.ts';
import type { Config } from '../../functions/domain/config.ts';
import { projectRoot } from '../../infra/local/settings.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../infra/local/stack.ts';

export const seedConfigPath = join(projectRoot, 'docroute.config.json');

export function seedConfig(): Promise<Config> {
  return loadConfig(seedConfigPath);
}

export interface TestStack extends LocalStack {
  readonly dataDir: string;
  /** A token for the role, signed with this stack's secret. */
  token(role: Role, sub?: string): Promise<string>;
  /** Calls the API as the role (or with no token when role is null). */
  call(
    method: string,
    path: string,
    options?: { role?: Role | null; body?: unknown; headers?: Record<string, string> },
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
  options: Partial<Omit<LocalStackOptions, 'port'>> & { dataDir?: string } = {},
): Promise<TestStack> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'docroute-test-')));
  const config = options.config ?? (await seedConfig());
  const stack = await startLocalStack({ ...options, dataDir, config, port: 0 });
  const token = (role: Role, sub = `test-${role}`) =>
    issueToken(stack.tokenSecret, { sub, role, ttlSeconds: 3600 }, new Date());
  return {
    ...stack,
    dataDir,
    token,
    async call(method, path, { role = 'clerk', body, headers = {} } = {}) {
      const auth: Record<string, string> =
        role === null ? {} : { Authorization: `Bearer ${await token(role)}` };
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
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
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
