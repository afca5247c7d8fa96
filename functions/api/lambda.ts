import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SFNClient } from '@aws-sdk/client-sfn';
import { handle } from 'hono/aws-lambda';
import defaultConfig from '../../docroute.config.json' with { type: 'json' };
import { bucketEnvVar, tableNamesFrom } from '../../infra/resources.ts';
import { registrationTimeLimitSeconds, workflows } from '../../workflows/registry.ts';
import { defaultCalendarFolder, loadProductionCalendar } from '../adapters/calendar/load-calendar.ts';
import { createDocumentClient, dynamoStores } from '../adapters/dynamodb/index.ts';
import { cachedCrlSource } from '../adapters/http/cached-crl-source.ts';
import { httpCrlSource } from '../adapters/http/http-crl-source.ts';
import { createS3Client, s3BlobStore } from '../adapters/s3/index.ts';
import { SfnWorkflowRunner, workflowArnEnvVar } from '../adapters/sfn/workflow-runner.ts';
import { parseConfig } from '../domain/config.ts';
import { leaseMsFor } from '../domain/numbering.ts';
import { lambdaTrustSource } from '../handlers/lambda/trust.ts';
import { systemClock } from '../ports/clock.ts';
import { createApp } from './app.ts';
import { cognitoAuthenticate } from './auth.ts';
import { withRequestLog } from './request-log.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const stateMachineArns = Object.fromEntries(
  workflows.map((w) => [w.name, required(workflowArnEnvVar(w.name))]),
);

const config = parseConfig(defaultConfig);
// CRLs are fetched from distribution points only when the configuration asks; they are cached in
// the cache bucket under crl-cache/ (the function may write nowhere else in it).
const cacheBucket = process.env[bucketEnvVar('cache')];
const crlSource =
  config.crlFetch === true && cacheBucket
    ? cachedCrlSource({
        source: httpCrlSource(),
        blobs: s3BlobStore({ client: createS3Client(), bucket: cacheBucket }),
      })
    : undefined;
if (config.crlFetch === true && !cacheBucket) throw new Error(`${bucketEnvVar('cache')} is not set`);

/** The calendar folder beside the bundle (infra/aws copies it there), else the project's. */
const besideBundle = fileURLToPath(new URL('./calendar/ru', import.meta.url));
const calendar = await loadProductionCalendar(
  existsSync(besideBundle) ? besideBundle : defaultCalendarFolder,
);

const app = createApp({
  config,
  calendar,
  clock: systemClock,
  // API Gateway's Cognito authorizer has checked the caller; its claims name the user and role.
  // No HS256 token is accepted here, so there is no secret to read.
  authenticate: cognitoAuthenticate(),
  secret: () =>
    Promise.reject(new Error('HS256 tokens are not used in AWS: the Cognito authorizer names the actor')),
  workflows: new SfnWorkflowRunner(new SFNClient({}), stateMachineArns),
  registrationLeaseMs: leaseMsFor(registrationTimeLimitSeconds),
  // The configuration's trust and crl folders, carried beside the bundle (none named: the empty list).
  trust: await lambdaTrustSource(config),
  blobs: s3BlobStore({ client: createS3Client(), bucket: required(bucketEnvVar('archive')) }),
  crlSource,
  ...dynamoStores(createDocumentClient({}), tableNamesFrom(process.env)),
});

/** API Gateway (REST, proxy integration) -> this function -> the same app `npm start` serves. */
export const handler = handle(withRequestLog(app));
