import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../domain/config.ts';
import type { ProductionCalendar } from '../domain/production-calendar.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { CrlSource } from '../ports/crl-source.ts';
import type { DocumentStore } from '../ports/document-store.ts';
import type { EventLog } from '../ports/event-log.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { JournalStore } from '../ports/journal-store.ts';
import type { NotificationStore } from '../ports/notification-store.ts';
import type { SecretSource } from '../ports/secret-source.ts';
import type { TrustSource } from '../ports/trust-source.ts';
import type { WorkflowRunner } from '../ports/workflow-runner.ts';
import type { AuthEnv } from './auth.ts';
import { errorBody } from './errors.ts';
import { parseJsonBody } from './json-body.ts';

/** What the API works with: the same in AWS and locally, only the adapters differ. */
export interface ApiDeps {
  readonly config: Config;
  readonly clock: Clock;
  /** The production calendar: deadlines, control states, the calendar route. */
  readonly calendar: ProductionCalendar;
  readonly secret: SecretSource;
  /**
   * How a request's actor is established. @default the HS256 bearer token signed with `secret`;
   * in AWS, the claims of API Gateway's Cognito authorizer (cognitoAuthenticate).
   */
  readonly authenticate?: MiddlewareHandler<AuthEnv> | undefined;
  readonly workflows: WorkflowRunner;
  readonly documents: DocumentStore;
  readonly journals: JournalStore;
  readonly events: EventLog;
  readonly idempotency: IdempotencyStore;
  readonly notifications: NotificationStore;
  /** How long a registration holds its number: the journal listing tells in-progress numbers by it. */
  readonly registrationLeaseMs: number;
  /** The office's trusted CAs and CRLs, against which signatures are judged. */
  readonly trust: TrustSource;
  /** Drafts and the archive: the API serves draft versions, registered letters and manifests. */
  readonly blobs: BlobStore;
  /**
   * Where CRLs missing from the trust list are fetched from (their distribution points), used only
   * when the configuration sets `crlFetch`.
   */
  readonly crlSource?: CrlSource | undefined;
}

export type Ctx = Context<AuthEnv>;

/** Bodies larger than this are refused before they are read. */
export const maxBodyBytes = 1024 * 1024;

export const json = (status: number, body: unknown) => Response.json(body, { status });

/** An error answer naming the field at fault. */
export const fail = (status: number, error: string, message: string, field?: string) =>
  json(status, errorBody(error, message, field === undefined ? undefined : [{ field, problem: message }]));

/** The body as JSON, or the 400 or 415 that says why it cannot be read (see json-body.ts). */
export async function readJson(
  c: Ctx,
): Promise<{ ok: true; value: unknown; text: string } | { ok: false; response: Response }> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const body = parseJsonBody(bytes, c.req.header('Content-Type'));
  if ('status' in body) {
    const error = body.status === 415 ? 'UnsupportedMediaType' : 'ValidationError';
    return { ok: false, response: fail(body.status, error, body.message, body.field) };
  }
  return { ok: true, value: body.value, text: body.text };
}
