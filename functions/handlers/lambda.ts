import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import defaultConfig from '../../docroute.config.json' with { type: 'json' };
import { bucketEnvVar, tableNamesFrom } from '../../infra/resources.ts';
import { registrationTimeLimitSeconds } from '../../workflows/registry.ts';
import { defaultCalendarFolder, loadProductionCalendar } from '../adapters/calendar/load-calendar.ts';
import { docxLetterRenderer } from '../adapters/docx/docx-letter-renderer.ts';
import { createDocumentClient, dynamoStores } from '../adapters/dynamodb/index.ts';
import { cachedCrlSource } from '../adapters/http/cached-crl-source.ts';
import { httpCrlSource } from '../adapters/http/http-crl-source.ts';
import { sesMailer } from '../adapters/mail/ses-mailer.ts';
import { pdfLetterRenderer } from '../adapters/pdf/pdf-letter-renderer.ts';
import { createS3Client, s3BlobStore } from '../adapters/s3/index.ts';
import { parseConfig } from '../domain/config.ts';
import { leaseMsFor } from '../domain/numbering.ts';
import { emptyTrustList } from '../domain/signatures/trust-list.ts';
import { encodeTaskError } from '../domain/task-failure.ts';
import { systemClock } from '../ports/clock.ts';
import type { Task, TaskDeps } from './task.ts';

let deps: Promise<TaskDeps> | undefined;

/** The calendar folder beside the bundle (infra/aws copies it there), else the project's. */
function calendarFolder(): string {
  const beside = fileURLToPath(new URL('./calendar/ru', import.meta.url));
  return existsSync(beside) ? beside : defaultCalendarFolder;
}

/** Built once per Lambda container, from the environment CDK sets and the bundled configuration. */
function depsFromEnvironment(): Promise<TaskDeps> {
  deps ??= build();
  return deps;
}

async function build(): Promise<TaskDeps> {
  const calendar = await loadProductionCalendar(calendarFolder());
  const stores = dynamoStores(createDocumentClient({}), tableNamesFrom(process.env));
  return {
    calendar,
    config: parseConfig(defaultConfig),
    clock: systemClock,
    newId: randomUUID,
    registrationLeaseMs: leaseMsFor(registrationTimeLimitSeconds),
    ...stores,
    blobs: s3BlobStore({ client: createS3Client(), bucket: process.env[bucketEnvVar('archive')] ?? '' }),
    // The trust folders are not deployed yet: a reply's signature cannot be valid in AWS until
    // they are, so finalize-reply refuses it with the reason rather than trusting anything.
    trust: async () => emptyTrustList,
    crlSource: crlSourceFromEnvironment(),
    // SES sends as the identity of the From address (infra/aws grants it).
    mailer: sesMailer({ client: new SESv2Client({}) }),
    letterPdf: pdfLetterRenderer,
    letterDocx: docxLetterRenderer,
  };
}

/** Fetched CRLs are cached under crl-cache/ in the cache bucket, for the function that checks signatures. */
function crlSourceFromEnvironment() {
  const bucket = process.env[bucketEnvVar('cache')];
  return bucket
    ? cachedCrlSource({ source: httpCrlSource(), blobs: s3BlobStore({ client: createS3Client(), bucket }) })
    : undefined;
}

/** The Lambda entry point for a task: the same `run` the local engine calls, with AWS stores. */
export function lambdaHandler<I, O>(task: Task<I, O>): (event: I) => Promise<O> {
  return async (event) => {
    try {
      return await task.run(event, await depsFromEnvironment());
    } catch (error) {
      throw encodeTaskError(error);
    }
  };
}
