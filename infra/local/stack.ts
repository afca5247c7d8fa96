import './polyfills.ts';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import S3rver from 's3rver';
import {
  CalendarFileError,
  defaultCalendarFolder,
  loadProductionCalendar,
} from '../../functions/adapters/calendar/load-calendar.ts';
import { docxLetterRenderer } from '../../functions/adapters/docx/docx-letter-renderer.ts';
import {
  type CallCounter,
  createDocumentClient,
  dynamoStores,
} from '../../functions/adapters/dynamodb/index.ts';
import { cachedCrlSource } from '../../functions/adapters/http/cached-crl-source.ts';
import { type HttpCrlSourceOptions, httpCrlSource } from '../../functions/adapters/http/http-crl-source.ts';
import {
  LocalWorkflowRunner,
  type LocalWorkflowRunnerOptions,
} from '../../functions/adapters/local/workflow-runner.ts';
import { emlOutboxMailer } from '../../functions/adapters/mail/eml-outbox-mailer.ts';
import { smtpMailer } from '../../functions/adapters/mail/smtp-mailer.ts';
import { pdfLetterRenderer } from '../../functions/adapters/pdf/pdf-letter-renderer.ts';
import { createS3Client, s3BlobStore } from '../../functions/adapters/s3/index.ts';
import { folderTrustSource } from '../../functions/adapters/trust/folder-trust-source.ts';
import { TrustFileError } from '../../functions/adapters/trust/load-trust-list.ts';
import { createApp } from '../../functions/api/app.ts';
import type { Config } from '../../functions/domain/config.ts';
import { leaseMsFor } from '../../functions/domain/numbering.ts';
import { tasksById } from '../../functions/handlers/index.ts';
import type { TaskDeps } from '../../functions/handlers/task.ts';
import type { BlobStore } from '../../functions/ports/blob-store.ts';
import { type Clock, systemClock } from '../../functions/ports/clock.ts';
import type { TrustSource } from '../../functions/ports/trust-source.ts';
import { registrationTimeLimitSeconds, workflows } from '../../workflows/registry.ts';
import { localBucketNames, localTableNames } from '../resources.ts';
import { lockDataDir } from './data-lock.ts';
import { startDynamoProcess } from './dynamo-process.ts';
import {
  type ArchiveProtection,
  defaultStorePrefix,
  ensureExternalBuckets,
  type StoreSettings,
} from './external-stores.ts';
import { startLocalSchedule } from './schedule.ts';
import { projectRoot } from './settings.ts';
import { listenProblem, StartupError } from './startup-error.ts';
import { ensureExternalTables, ensureTables } from './tables.ts';
import { localTokenSecret } from './token-secret.ts';

export interface LocalStackOptions {
  /** Where DynamoDB tables, S3 objects and the token secret live; kept across restarts. */
  readonly dataDir: string;
  readonly config: Config;
  /** API port; 0 picks a free one. The stores take the next two ports, or free ones when this is 0. */
  readonly port: number;
  readonly host?: string;
  readonly clock?: Clock;
  /** Counts DynamoDB calls made by the workflows and the API (for the benchmark). */
  readonly callCounter?: CallCounter;
  readonly stateOverrides?: LocalWorkflowRunnerOptions['stateOverrides'];
  readonly retryWithoutWaiting?: boolean;
  /** The configuration file's folder: the configuration's `trust` and `crl` paths are relative to it. */
  readonly configDir?: string;
  /** Caps every workflow's time limit; a registration's lease follows it (twice the limit). */
  readonly timeLimitSeconds?: number;
  /**
   * Settle interrupted registrations at start and then every half lease, as the EventBridge schedule
   * does in AWS.
   * @default true
   */
  readonly schedule?: boolean;
  /** An SMTP server to send notifications through, besides the outbox folder (DOCROUTE_SMTP_URL). */
  readonly smtpUrl?: string;
  /** The production calendar's folder of `<year>.json` files. @default the project's calendar/ru */
  readonly calendarFolder?: string;
  /** The trust list to judge signatures by, instead of the configuration's folders (the demo's own CA). */
  readonly trust?: TrustSource;
  /** Limits of CRL fetches from distribution points (when the configuration sets `crlFetch`). */
  readonly crlFetch?: HttpCrlSourceOptions;
  /**
   * Existing DynamoDB- or S3-compatible services to use instead of the embedded ones, each on its own,
   * and the prefix of every table and bucket name. @default embedded stores, prefix `docroute`
   */
  readonly stores?: StoreSettings;
}

export interface LocalStack {
  readonly apiUrl: string;
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
  readonly tableNames: ReturnType<typeof localTableNames>;
  readonly bucketNames: ReturnType<typeof localBucketNames>;
  /** Which stores are external services rather than embedded ones. */
  readonly external: { readonly dynamodb: boolean; readonly s3: boolean };
  /** On an external S3: who refuses deletes and overwrites under `archive/`. */
  readonly archiveProtection?: ArchiveProtection;
  /** The archive bucket in the embedded S3 (write-once under `archive/`). */
  readonly blobs: BlobStore;
  /** The cache bucket: CRLs fetched from their distribution points, under `crl-cache/`. */
  readonly cache: BlobStore;
  readonly tokenSecret: string;
  readonly deps: TaskDeps;
  readonly runner: LocalWorkflowRunner;
  stop(): Promise<void>;
}

/**
 * Boots dynalite, s3rver (or connects to the external stores named), the local workflow engine and
 * the API, all on this machine.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir);
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true });
  await mkdir(join(dataDir, 's3'), { recursive: true });
  const storePort = (offset: number) => (options.port === 0 ? 0 : options.port + offset);
  // What has started, to be stopped in reverse order: on stop, or when a later part fails to start.
  const started: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of started.splice(0).reverse()) await stop();
  };

  try {
    started.push(await lockDataDir(dataDir));

    const prefix = options.stores?.prefix ?? defaultStorePrefix;
    const externalDynamo = options.stores?.dynamodb;
    const externalS3 = options.stores?.s3;

    const tableNames = localTableNames(prefix);
    let dynamoEndpoint: string;
    let client: ReturnType<typeof createDocumentClient>;
    if (externalDynamo === undefined) {
      const dynamo = await startDynamoProcess(join(dataDir, 'dynamodb'), storePort(1), host).catch(
        (error: unknown) => {
          throw listenProblem('the embedded DynamoDB', storePort(1), error);
        },
      );
      started.push(() => dynamo.stop());
      dynamoEndpoint = `http://${host}:${dynamo.port}`;
      client = createDocumentClient({ endpoint: dynamoEndpoint }, options.callCounter);
      started.push(async () => client.destroy());
      await ensureTables(client, tableNames, dataDir);
    } else {
      dynamoEndpoint = externalDynamo.endpoint;
      client = createDocumentClient(externalConnection(externalDynamo), options.callCounter);
      started.push(async () => client.destroy());
      await ensureExternalTables(client, externalDynamo, tableNames);
    }

    const bucketNames = localBucketNames(prefix);
    let s3Endpoint: string;
    let s3Client: ReturnType<typeof createS3Client>;
    let archiveProtection: ArchiveProtection | undefined;
    if (externalS3 === undefined) {
      const s3 = new S3rver({
        address: host,
        port: storePort(2),
        directory: join(dataDir, 's3'),
        silent: true,
        configureBuckets: Object.values(bucketNames).map((name) => ({ name, configs: [] })),
      });
      const s3Address = (await s3.run().catch((error: unknown) => {
        throw listenProblem('the embedded S3', storePort(2), error);
      })) as AddressInfo;
      started.push(() => s3.close());
      s3Endpoint = `http://${host}:${s3Address.port}`;
      s3Client = createS3Client({ endpoint: s3Endpoint });
      started.push(async () => s3Client.destroy());
    } else {
      s3Endpoint = externalS3.endpoint;
      s3Client = createS3Client(externalConnection(externalS3));
      started.push(async () => s3Client.destroy());
      archiveProtection = await ensureExternalBuckets(
        s3Client,
        externalS3,
        bucketNames,
        options.config.archiveRetentionYears,
      );
    }
    // s3rver ignores Object Lock and If-None-Match: the adapter itself refuses deletes and overwrites
    // under archive/, looking before it writes; an external store that honours If-None-Match does it.
    const emulated = archiveProtection?.overwrites !== 'store';
    const blobs = s3BlobStore({ client: s3Client, bucket: bucketNames.archive, emulated });
    const cache = s3BlobStore({ client: s3Client, bucket: bucketNames.cache, emulated });
    const stores = dynamoStores(client, tableNames);
    const clock = options.clock ?? systemClock;
    const timeLimitSeconds = Math.min(
      registrationTimeLimitSeconds,
      options.timeLimitSeconds ?? Number.POSITIVE_INFINITY,
    );
    const registrationLeaseMs = leaseMsFor(timeLimitSeconds);
    const trust = await folderTrustSource({
      paths: {
        ...(options.config.trust === undefined ? {} : { trust: [options.config.trust] }),
        ...(options.config.crl === undefined ? {} : { crl: [options.config.crl] }),
      },
      baseDir: options.configDir ?? projectRoot,
    }).catch((error: unknown) => {
      throw error instanceof TrustFileError ? new StartupError(`trust list: ${error.message}`) : error;
    });
    const crlSource = cachedCrlSource({
      source: httpCrlSource(options.crlFetch),
      blobs: cache,
      now: () => clock.now(),
    });
    const calendar = await loadProductionCalendar(options.calendarFolder ?? defaultCalendarFolder).catch(
      (error: unknown) => {
        throw error instanceof CalendarFileError
          ? new StartupError(`production calendar: ${error.message}`)
          : error;
      },
    );
    // Every message is written to the outbox folder; with an SMTP server named, it is also sent there.
    const smtpUrl = options.smtpUrl ?? options.config.mail.smtpUrl;
    const mailer = emlOutboxMailer({
      folder: join(dataDir, 'outbox'),
      ...(smtpUrl === undefined ? {} : { next: smtpMailer(smtpUrl) }),
    });
    const deps: TaskDeps = {
      calendar,
      mailer,
      crlSource,
      config: options.config,
      clock,
      newId: randomUUID,
      registrationLeaseMs,
      ...stores,
      blobs,
      trust: options.trust ?? trust,
      letterPdf: pdfLetterRenderer,
      letterDocx: docxLetterRenderer,
    };
    const runner = new LocalWorkflowRunner({
      projectRoot,
      workflows,
      handlers: Object.fromEntries(
        Object.entries(tasksById).map(([id, task]) => [id, (input: never) => task.run(input, deps)]),
      ),
      ...(options.stateOverrides === undefined ? {} : { stateOverrides: options.stateOverrides }),
      ...(options.retryWithoutWaiting === undefined
        ? {}
        : { retryWithoutWaiting: options.retryWithoutWaiting }),
      ...(options.timeLimitSeconds === undefined ? {} : { timeLimitSeconds: options.timeLimitSeconds }),
    });

    if (options.schedule !== false) {
      // Whatever a killed process left is settled before the API takes new work, then on the schedule.
      const settle = async () => {
        const outcome = await runner.run('settle-registrations', {});
        if (outcome.status === 'failed')
          throw new Error(`settle-registrations: ${outcome.error}: ${outcome.cause}`);
      };
      await settle();
      const remind = async () => {
        const outcome = await runner.run('send-reminders', { at: null });
        if (outcome.status === 'failed')
          throw new Error(`send-reminders: ${outcome.error}: ${outcome.cause}`);
      };
      const schedule = startLocalSchedule([
        { name: 'settle-registrations', everyMs: registrationLeaseMs / 2, run: settle },
        // Every day at the configured time; the sweep itself skips non-working days by the calendar.
        {
          name: 'send-reminders',
          dailyAt: { time: options.config.reminders.at, timeZone: options.config.timeZone },
          run: remind,
        },
        // Every day after the day's work, each history's head is fixed in a write-once anchor.
        {
          name: 'anchor-histories',
          dailyAt: { time: options.config.anchors.at, timeZone: options.config.timeZone },
          run: async () => {
            const outcome = await runner.run('anchor-histories', { requestedBy: null });
            if (outcome.status === 'failed')
              throw new Error(`anchor-histories: ${outcome.error}: ${outcome.cause}`);
          },
        },
      ]);
      started.push(() => schedule.stop());
    }

    const tokenSecret = await localTokenSecret(dataDir);
    const app = createApp({
      config: options.config,
      clock,
      secret: async () => tokenSecret,
      workflows: runner,
      registrationLeaseMs,
      calendar,
      trust: deps.trust,
      blobs,
      crlSource,
      ...stores,
    });
    const server = await listenApi(app.fetch, options.port, host);
    started.push(() => new Promise<void>((done) => server.close(() => done())));
    const apiPort = (server.address() as AddressInfo).port;

    return {
      apiUrl: `http://${host}:${apiPort}`,
      dynamoEndpoint,
      s3Endpoint,
      tableNames,
      bucketNames,
      external: { dynamodb: externalDynamo !== undefined, s3: externalS3 !== undefined },
      ...(archiveProtection === undefined ? {} : { archiveProtection }),
      blobs,
      cache,
      tokenSecret,
      deps,
      runner,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function externalConnection(store: NonNullable<StoreSettings['dynamodb']>) {
  return {
    endpoint: store.endpoint,
    ...(store.region === undefined ? {} : { region: store.region }),
    external: store.credentials === undefined ? {} : { credentials: store.credentials },
  };
}

function listenApi(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  host: string,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: host }, () => resolve(server));
    server.once('error', (error) => reject(listenProblem('the API', port, error)));
  });
}
