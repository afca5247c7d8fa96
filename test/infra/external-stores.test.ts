import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../functions/adapters/config/load-config.ts';
import { createDocumentClient } from '../../functions/adapters/dynamodb/index.ts';
import { createS3Client } from '../../functions/adapters/s3/index.ts';
import {
  ensureExternalBuckets,
  type StoreSettings,
  storeSettingsFrom,
} from '../../infra/local/external-stores.ts';
import { projectRoot } from '../../infra/local/settings.ts';
import { startLocalStack } from '../../infra/local/stack.ts';
import { StartupError } from '../../infra/local/startup-error.ts';
import { createTableInput } from '../../infra/local/tables.ts';
import { localBucketNames, localTableNames, tables } from '../../infra/resources.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from '../support/dynamodb-local.ts';
import { seedConfig, seedRequest, startTestStack } from '../support/local-stack.ts';
import { npmStart, stopWith } from '../support/service-process.ts';

/**
 * `npm start` on stores that already exist: Amazon's DynamoDB Local (needs java; the helper throws,
 * saying so, when it is missing) and a separate s3rver standing in for an S3-compatible service.
 */

let dynamo: DynamoDbLocal;
let s3: S3rver;
let s3Endpoint = '';
let s3Dir = '';
const dataDirs: string[] = [];

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  s3Dir = await mkdtemp(join(tmpdir(), 'docroute-ext-s3-'));
  s3 = new S3rver({ address: '127.0.0.1', port: 0, directory: s3Dir, silent: true });
  s3Endpoint = `http://127.0.0.1:${((await s3.run()) as AddressInfo).port}`;
}, 90_000);

afterAll(async () => {
  await dynamo?.stop();
  await s3?.close();
  for (const dir of [s3Dir, ...dataDirs]) if (dir !== '') await rm(dir, { recursive: true, force: true });
});

let prefixes = 0;
/** The stores as `npm start` reads them from the environment, with a prefix of the test's own. */
const externalStores = (env: Record<string, string> = {}): StoreSettings =>
  storeSettingsFrom({
    DOCROUTE_DYNAMODB_ENDPOINT: dynamo.endpoint,
    DOCROUTE_S3_ENDPOINT: s3Endpoint,
    DOCROUTE_STORE_PREFIX: `ext${process.pid}-${++prefixes}`,
    ...env,
  });

const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'docroute-ext-'));
  dataDirs.push(dir);
  return dir;
};

describe('the local stack on an external DynamoDB (DynamoDB Local) and an external S3', () => {
  it('GIVEN empty stores THEN it creates every table with its indexes and both buckets, registers a letter, and a restart on another data directory finds it', async () => {
    const stores = externalStores();
    const first = await startTestStack({ stores, dataDir: await freshDir() });
    let id: string;
    try {
      expect(first.external).toEqual({ dynamodb: true, s3: true });
      expect(first.dynamoEndpoint).toBe(dynamo.endpoint);
      const client = createDocumentClient({ endpoint: dynamo.endpoint });
      for (const [key, table] of Object.entries(tables)) {
        const { Table } = await client.send(
          new DescribeTableCommand({ TableName: first.tableNames[key as keyof typeof tables] }),
        );
        expect(Table?.TableName).toBe(`${stores.prefix}-${key}`);
        expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(
          table.indexes.map((i) => i.name).sort(),
        );
      }
      client.destroy();
      const s3Client = createS3Client({ endpoint: s3Endpoint });
      for (const bucket of Object.values(localBucketNames(stores.prefix)))
        await expect(s3Client.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
      s3Client.destroy();
      // s3rver has no Object Lock and ignores If-None-Match: the stack finds that out and says so.
      expect(first.archiveProtection).toMatchObject({ deletes: 'docroute', overwrites: 'docroute' });
      expect(first.archiveProtection?.description).toContain('deletes refused only by docroute');

      const registered = await first.call('POST', '/v1/incoming', { body: seedRequest() });
      expect(registered.status).toBe(201);
      expect(registered.body.regNumber).toBe('01-05/1');
      id = registered.body.id;
      await first.cache.put('crl-cache/kept', {
        bytes: new Uint8Array([7, 7, 7]),
        contentType: 'application/pkix-crl',
      });
    } finally {
      await first.dispose();
    }

    // Nothing of it was in the data directory: another one, on the same stores, sees it all.
    const second = await startTestStack({ stores, dataDir: await freshDir() });
    try {
      const found = await second.call('GET', `/v1/documents/${id}`, { role: 'auditor' });
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ id, regNumber: '01-05/1', status: 'registered' });
      const again = await second.call('POST', '/v1/incoming', { body: seedRequest() });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id, duplicate: true });
      expect((await second.cache.get('crl-cache/kept'))?.bytes).toEqual(new Uint8Array([7, 7, 7]));
    } finally {
      await second.dispose();
    }
  });

  it('GIVEN an existing table whose keys differ THEN the start is refused naming the table, and the table and its data are left as they were', async () => {
    const stores = externalStores();
    const names = localTableNames(stores.prefix);
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    try {
      // A journals table keyed by journalKey alone, where docroute needs (journalKey, seq).
      await client.send(
        new CreateTableCommand(
          createTableInput(names.journals, { ...tables.journals, sortKey: undefined } as never),
        ),
      );
      await client.send(new PutCommand({ TableName: names.journals, Item: { journalKey: 'owner', n: 1 } }));

      const attempt = startLocalStack({
        dataDir: await freshDir(),
        config: await seedConfig(),
        port: 0,
        schedule: false,
        stores,
      });
      await expect(attempt).rejects.toBeInstanceOf(StartupError);
      await expect(attempt).rejects.toThrow(
        `DOCROUTE_DYNAMODB_ENDPOINT=${dynamo.endpoint}: table ${names.journals} does not have the keys and indexes docroute needs: it has partition key journalKey (S), sort key none, docroute needs partition key journalKey (S), sort key seq (N)`,
      );
      const { Item } = await client.send(
        new GetCommand({ TableName: names.journals, Key: { journalKey: 'owner' } }),
      );
      expect(Item).toEqual({ journalKey: 'owner', n: 1 });
    } finally {
      client.destroy();
    }
  });

  it('GIVEN an existing table missing an index THEN the start is refused naming the table and the index', async () => {
    const stores = externalStores();
    const names = localTableNames(stores.prefix);
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    try {
      const { indexes } = tables.notifications;
      await client.send(
        new CreateTableCommand(
          createTableInput(names.notifications, { ...tables.notifications, indexes: [] }),
        ),
      );
      const attempt = startLocalStack({
        dataDir: await freshDir(),
        config: await seedConfig(),
        port: 0,
        schedule: false,
        stores,
      });
      await expect(attempt).rejects.toThrow(
        `table ${names.notifications} does not have the keys and indexes docroute needs: index ${indexes[0].name} is missing`,
      );
      const { Table } = await client.send(new DescribeTableCommand({ TableName: names.notifications }));
      expect(Table?.GlobalSecondaryIndexes).toBeUndefined();
    } finally {
      client.destroy();
    }
  });

  it('GIVEN only DOCROUTE_S3_ENDPOINT THEN DynamoDB stays embedded and the external S3 serves the buckets', async () => {
    const stores = storeSettingsFrom({
      DOCROUTE_S3_ENDPOINT: s3Endpoint,
      DOCROUTE_STORE_PREFIX: `s3only${process.pid}`,
    });
    const stack = await startTestStack({ stores, dataDir: await freshDir() });
    try {
      expect(stack.external).toEqual({ dynamodb: false, s3: true });
      expect(stack.dynamoEndpoint).not.toBe(dynamo.endpoint);
      expect(stack.s3Endpoint).toBe(s3Endpoint);
      expect((await stack.call('POST', '/v1/incoming', { body: seedRequest() })).status).toBe(201);
      await stack.blobs.put('drafts/x/v1.pdf', {
        bytes: new Uint8Array([1]),
        contentType: 'application/pdf',
      });
      const s3Client = createS3Client({ endpoint: s3Endpoint });
      await expect(
        s3Client.send(new HeadBucketCommand({ Bucket: `s3only${process.pid}-archive` })),
      ).resolves.toBeDefined();
      s3Client.destroy();
    } finally {
      await stack.dispose();
    }
  });

  it('GIVEN an S3 endpoint nothing listens on THEN StartupError names the variable and the endpoint, and the embedded DynamoDB it had started is stopped', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const dataDir = await freshDir();
    const attempt = startLocalStack({
      dataDir,
      config: await seedConfig(),
      port: 0,
      schedule: false,
      stores: storeSettingsFrom({ DOCROUTE_S3_ENDPOINT: closed }),
    });
    await expect(attempt).rejects.toBeInstanceOf(StartupError);
    await expect(attempt).rejects.toThrow(`DOCROUTE_S3_ENDPOINT=${closed}: cannot reach the service`);
    // The folder's lock and the embedded DynamoDB were released: the same folder starts now.
    const stack = await startLocalStack({ dataDir, config: await seedConfig(), port: 0, schedule: false });
    await stack.stop();
  });

  it('GIVEN npm start with both endpoints THEN the banner says which stores are external and how the archive is protected', async () => {
    const port = await freePort();
    const { child, output } = await npmStart(port, await freshDir(), {
      DOCROUTE_DYNAMODB_ENDPOINT: dynamo.endpoint,
      DOCROUTE_S3_ENDPOINT: s3Endpoint,
      DOCROUTE_STORE_PREFIX: `banner${process.pid}`,
    });
    try {
      expect(output()).toContain('docroute is running on external stores');
      expect(output()).toContain(`DynamoDB  ${dynamo.endpoint} (external, DOCROUTE_DYNAMODB_ENDPOINT)`);
      expect(output()).toContain(`tables: banner${process.pid}-documents,`);
      expect(output()).toContain(`S3        ${s3Endpoint} (external, DOCROUTE_S3_ENDPOINT)`);
      expect(output()).toContain(
        'archive   deletes refused only by docroute (the store has no Object Lock on this bucket); overwrites refused by docroute',
      );
    } finally {
      expect(await stopWith(child, 'SIGTERM')).toBe(0);
    }
  }, 60_000);

  it('GIVEN an endpoint nothing listens on THEN npm start exits 2 with one line naming the variable and the endpoint, no stack trace', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        PORT: '0',
        DOCROUTE_DATA_DIR: await freshDir(),
        DOCROUTE_DYNAMODB_ENDPOINT: closed,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(2);
    expect(stderr).toContain(
      `docroute: DOCROUTE_DYNAMODB_ENDPOINT=${closed}: cannot reach the service (ECONNREFUSED); is it running?`,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});

describe('the external stores settings', () => {
  it('GIVEN endpoints on this machine and no credentials THEN they get the embedded stack’s dummy keys, the default prefix and a region', () => {
    const settings = storeSettingsFrom({
      DOCROUTE_DYNAMODB_ENDPOINT: 'http://localhost:8000/',
      DOCROUTE_S3_ENDPOINT: 'http://127.0.0.1:9000',
    });
    expect(settings).toEqual({
      prefix: 'docroute',
      dynamodb: {
        variable: 'DOCROUTE_DYNAMODB_ENDPOINT',
        endpoint: 'http://localhost:8000',
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
      s3: {
        variable: 'DOCROUTE_S3_ENDPOINT',
        endpoint: 'http://127.0.0.1:9000',
        region: 'us-east-1',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      },
    });
  });

  it('GIVEN credentials in the environment or an AWS endpoint THEN the SDK chain supplies them, and the region is the endpoint’s', () => {
    const local = storeSettingsFrom({
      DOCROUTE_S3_ENDPOINT: 'http://localhost:9000',
      AWS_ACCESS_KEY_ID: 'minioadmin',
      AWS_REGION: 'eu-west-1',
    });
    expect(local.s3).toEqual({
      variable: 'DOCROUTE_S3_ENDPOINT',
      endpoint: 'http://localhost:9000',
      region: 'eu-west-1',
    });
    const aws = storeSettingsFrom({
      DOCROUTE_DYNAMODB_ENDPOINT: 'https://dynamodb.eu-central-1.amazonaws.com',
    });
    expect(aws.dynamodb).toEqual({
      variable: 'DOCROUTE_DYNAMODB_ENDPOINT',
      endpoint: 'https://dynamodb.eu-central-1.amazonaws.com',
      region: 'eu-central-1',
    });
    expect(storeSettingsFrom({})).toEqual({ prefix: 'docroute' });
  });

  it.each([
    [
      { DOCROUTE_DYNAMODB_ENDPOINT: 'localhost:8000' },
      "DOCROUTE_DYNAMODB_ENDPOINT: must be an http:// or https:// address such as http://127.0.0.1:8000, got 'localhost:8000'",
    ],
    [
      { DOCROUTE_S3_ENDPOINT: 'ftp://minio:9000' },
      'DOCROUTE_S3_ENDPOINT: must be an http:// or https:// address',
    ],
    [
      { DOCROUTE_S3_ENDPOINT: 'http://minio:9000/bucket' },
      "DOCROUTE_S3_ENDPOINT: must be the service's address only",
    ],
    [
      { DOCROUTE_STORE_PREFIX: 'Docroute' },
      'DOCROUTE_STORE_PREFIX: must be lower-case letters, digits and hyphens',
    ],
    [{ DOCROUTE_STORE_PREFIX: 'office_1' }, 'DOCROUTE_STORE_PREFIX: must be lower-case letters'],
    [{ DOCROUTE_STORE_PREFIX: 'x'.repeat(56) }, 'DOCROUTE_STORE_PREFIX: must be at most 55 characters'],
    [{ DOCROUTE_STORE_PREFIX: 'xn--office' }, "DOCROUTE_STORE_PREFIX: must not start with 'xn--'"],
  ])('GIVEN %o THEN a ConfigFileError names the variable', (env, message) => {
    expect(() => storeSettingsFrom(env)).toThrow(ConfigFileError);
    expect(() => storeSettingsFrom(env)).toThrow(message);
  });

  it('GIVEN a prefix of 55 characters THEN its longest bucket name is 63, the most S3 takes', () => {
    const prefix = 'a'.repeat(55);
    expect(storeSettingsFrom({ DOCROUTE_STORE_PREFIX: prefix }).prefix).toBe(prefix);
    expect(localBucketNames(prefix).archive).toHaveLength(63);
  });
});

describe('the buckets on an S3 with Object Lock (MinIO, AWS), against a recording fake', () => {
  /** Answers as a service with Object Lock and conditional writes does; records each request. */
  const lockingS3 = (existing: string[] = []) => {
    const sent: Array<{ command: string; input: Record<string, any> }> = [];
    const lock: { config?: unknown } = {};
    const objects = new Set<string>();
    const fail = (status: number, name: string) =>
      Promise.reject(Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } }));
    const client = {
      config: { region: async () => 'eu-central-1' },
      send(command: { constructor: { name: string }; input: Record<string, any> }) {
        const name = command.constructor.name.replace(/Command$/, '');
        const { input } = command;
        sent.push({ command: name, input });
        switch (name) {
          case 'HeadBucket':
            return existing.includes(input['Bucket']) ? Promise.resolve({}) : fail(404, 'NotFound');
          case 'CreateBucket':
            existing.push(input['Bucket']);
            return Promise.resolve({});
          case 'PutObjectLockConfiguration':
            lock.config = input['ObjectLockConfiguration'];
            return Promise.resolve({});
          case 'GetObjectLockConfiguration':
            return lock.config === undefined
              ? fail(404, 'ObjectLockConfigurationNotFoundError')
              : Promise.resolve({ ObjectLockConfiguration: lock.config });
          case 'PutObject':
            if (input['IfNoneMatch'] === '*' && objects.has(input['Key']))
              return fail(412, 'PreconditionFailed');
            objects.add(input['Key']);
            return Promise.resolve({});
          case 'DeleteObject':
            objects.delete(input['Key']);
            return Promise.resolve({});
          default:
            return fail(501, 'NotImplemented');
        }
      },
    };
    return { client: client as never, sent };
  };
  const store = storeSettingsFrom({ DOCROUTE_S3_ENDPOINT: 'http://localhost:9000' }).s3!;
  const names = localBucketNames('office');

  it('GIVEN no buckets THEN the archive is made with Object Lock and a compliance retention of the configured years, and the store is said to refuse deletes and overwrites', async () => {
    const { client, sent } = lockingS3();
    const protection = await ensureExternalBuckets(client, store, names, 7);
    const creates = sent.filter((r) => r.command === 'CreateBucket').map((r) => r.input);
    expect(creates).toEqual([
      {
        Bucket: 'office-archive',
        ObjectLockEnabledForBucket: true,
        CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' },
      },
      { Bucket: 'office-cache', CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } },
    ]);
    expect(sent.find((r) => r.command === 'PutObjectLockConfiguration')?.input).toEqual({
      Bucket: 'office-archive',
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 7 } },
      },
    });
    expect(protection).toEqual({
      deletes: 'store',
      overwrites: 'store',
      description:
        'deletes refused by the store (Object Lock, compliance mode, 7 years); overwrites refused by the store (conditional writes)',
    });
    // The probe of conditional writes leaves nothing behind, and never touches the archive.
    const probes = sent.filter((r) => r.command === 'PutObject' || r.command === 'DeleteObject');
    expect(probes.every((r) => r.input['Bucket'] === 'office-cache')).toBe(true);
    expect(probes.at(-1)?.command).toBe('DeleteObject');
  });

  it('GIVEN buckets that exist, the archive without Object Lock THEN nothing is created or changed, and deletes are said to be refused only by docroute', async () => {
    const { client, sent } = lockingS3(['office-archive', 'office-cache']);
    const protection = await ensureExternalBuckets(client, store, names, 5);
    expect(sent.map((r) => r.command)).not.toContain('CreateBucket');
    expect(sent.map((r) => r.command)).not.toContain('PutObjectLockConfiguration');
    expect(protection.deletes).toBe('docroute');
    expect(protection.description).toMatch(
      /^deletes refused only by docroute \(the store has no Object Lock/,
    );
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
