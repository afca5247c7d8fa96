import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/io.ts';
import { main } from '../../../cli/main.ts';
import { localTokenSecret } from '../../../infra/local/token-secret.ts';

function capture(dataDir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { DOCROUTE_DATA_DIR: dataDir },
    cwd: process.cwd(),
  };
  return { io, out, err };
}

describe('docroute token', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'docroute-token-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('GIVEN a role THEN prints a token signed with the data directory secret, carrying role, subject and expiry', async () => {
    const { io, out } = capture(dataDir);
    expect(await main(['token', '--role', 'auditor', '--sub', 'petrova', '--ttl', '2'], io)).toBe(0);
    const claims = await verify(out[0] ?? '', await localTokenSecret(dataDir), 'HS256');
    expect(claims).toMatchObject({ role: 'auditor', sub: 'petrova' });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(2 * 3600);
  });

  it('GIVEN no role, an unknown role or an unknown option THEN one line on stderr and exit 2', async () => {
    for (const args of [
      ['token'],
      ['token', '--role', 'boss'],
      ['token', '--rol', 'clerk'],
      ['token', '--role', 'clerk', '--ttl', '0'],
    ]) {
      const { io, out, err } = capture(dataDir);
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^docroute token: /);
    }
  });
});
