import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verify } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceDataDir } from '../../../cli/commands/token.ts';
import type { CliIo } from '../../../cli/io.ts';
import { main } from '../../../cli/main.ts';
import { projectRoot } from '../../../infra/local/settings.ts';
import { localTokenSecret } from '../../../infra/local/token-secret.ts';

function capture(env: CliIo['env'], cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env, cwd };
  return { io, out, err };
}

describe('docroute token', () => {
  let scratch: string;
  let dataDir: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'docroute-token-'));
    dataDir = join(scratch, 'service-data');
    await localTokenSecret(dataDir); // what `npm start` does on its first start
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('GIVEN a role THEN prints a token signed with the data directory secret, carrying role, subject and expiry', async () => {
    const { io, out } = capture({ DOCROUTE_DATA_DIR: dataDir });
    expect(await main(['token', '--role', 'auditor', '--sub', 'petrova', '--ttl', '2'], io)).toBe(0);
    const claims = await verify(out[0] ?? '', await localTokenSecret(dataDir), 'HS256');
    expect(claims).toMatchObject({ role: 'auditor', sub: 'petrova' });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(2 * 3600);
  });

  it('GIVEN no secret in the data directory THEN one line on stderr naming it, exit 2, and nothing written', async () => {
    const missing = join(scratch, 'never-started');
    const { io, out, err } = capture({ DOCROUTE_DATA_DIR: missing });
    expect(await main(['token', '--role', 'clerk'], io)).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toBe(
      `docroute token: no token secret in ${missing}: run \`npm start\` first (it makes one there), or set DOCROUTE_DATA_DIR to the data directory of the running service`,
    );
    expect(existsSync(missing)).toBe(false);
  });

  it('GIVEN a data directory without the secret THEN exit 2 and no secret is made there', async () => {
    const empty = await mkdtemp(join(scratch, 'empty-'));
    const { io, err } = capture({ DOCROUTE_DATA_DIR: empty });
    expect(await main(['token', '--role', 'clerk'], io)).toBe(2);
    expect(err[0]).toMatch(/^docroute token: no token secret in /);
    expect(await readdir(empty)).toEqual([]);
  });

  it('looks where `npm start` keeps its data: .docroute under the project root, wherever it is run from', () => {
    expect(serviceDataDir({})).toBe(resolve(projectRoot, '.docroute'));
    expect(serviceDataDir({ DOCROUTE_DATA_DIR: 'elsewhere' })).toBe(resolve(projectRoot, 'elsewhere'));
    expect(serviceDataDir({ DOCROUTE_DATA_DIR: dataDir, PORT: 'not a port' })).toBe(dataDir);
  });

  it('GIVEN no role, an unknown role or an unknown option THEN one line on stderr and exit 2', async () => {
    for (const args of [
      ['token'],
      ['token', '--role', 'boss'],
      ['token', '--rol', 'clerk'],
      ['token', '--role', 'clerk', '--ttl', '0'],
    ]) {
      const { io, out, err } = capture({ DOCROUTE_DATA_DIR: dataDir });
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^docroute token: /);
    }
  });
});
