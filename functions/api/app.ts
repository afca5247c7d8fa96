import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { calendarDateProblem } from '../domain/calendar-date.ts';
import type { Config } from '../domain/config.ts';
import type { DocumentCard } from '../domain/documents.ts';
import { verifyChain } from '../domain/history.ts';
import { journalKeyOf, journalListing } from '../domain/numbering.ts';
import { verifySignature } from '../domain/signatures/index.ts';
import { problemsOf } from '../domain/validation.ts';
import { decodeTaskCause } from '../handlers/task.ts';
import type { Clock } from '../ports/clock.ts';
import type { DocumentStore } from '../ports/document-store.ts';
import type { EventLog } from '../ports/event-log.ts';
import type { IdempotencyStore, StoredResponse } from '../ports/idempotency-store.ts';
import type { JournalStore } from '../ports/journal-store.ts';
import type { WorkflowRunner } from '../ports/workflow-runner.ts';
import { type AuthEnv, allow, authenticate, type SecretSource } from './auth.ts';
import { errorBody, statusOf } from './errors.ts';
import { openApiDocument } from './openapi.ts';

export interface ApiDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly secret: SecretSource;
  readonly workflows: WorkflowRunner;
  readonly documents: DocumentStore;
  readonly journals: JournalStore;
  readonly events: EventLog;
  readonly idempotency: IdempotencyStore;
}

/** Bodies larger than this are refused before they are read. */
export const maxBodyBytes = 1024 * 1024;

type Ctx = Context<AuthEnv>;

const base64 = z
  .string()
  .min(1, 'must not be empty')
  .regex(/^[A-Za-z0-9+/\r\n]+={0,2}[\r\n]*$/, 'must be base64');

const verifyRequestSchema = z.strictObject({
  signature: base64,
  content: base64.optional(),
  certificate: base64.optional(),
  at: z.string().max(40, 'must be at most 40 characters').optional(),
});

/** Document ids are UUIDs; anything else names no document (and is never sent to the store). */
const isDocumentId = (id: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

const json = (status: number, body: unknown) => Response.json(body, { status });
const fail = (status: number, error: string, message: string, field?: string) =>
  json(status, errorBody(error, message, field === undefined ? undefined : [{ field, problem: message }]));

async function readJson(
  c: Ctx,
): Promise<{ ok: true; value: unknown; text: string } | { ok: false; response: Response }> {
  const text = await c.req.text();
  if (text.trim() === '')
    return { ok: false, response: fail(400, 'ValidationError', 'the request needs a JSON body', '(body)') };
  try {
    return { ok: true, value: JSON.parse(text), text };
  } catch {
    return { ok: false, response: fail(400, 'ValidationError', 'the body is not valid JSON', '(body)') };
  }
}

/** Runs a workflow and turns how it ended into an HTTP answer. */
async function runWorkflow(
  deps: ApiDeps,
  workflow: string,
  input: unknown,
  answer: (output: unknown) => StoredResponse,
): Promise<StoredResponse> {
  const outcome = await deps.workflows.run(workflow, input);
  if (outcome.status === 'succeeded') return answer(outcome.output);
  const failure = decodeTaskCause(outcome.cause);
  const status = statusOf(outcome.error);
  if (status === 500) {
    console.error(JSON.stringify({ level: 'error', workflow, error: outcome.error, cause: outcome.cause }));
    return {
      status,
      body: errorBody('WorkflowFailed', `${workflow} failed: ${outcome.error}: ${failure.message}`),
    };
  }
  return { status, body: errorBody(outcome.error, failure.message, failure.problems) };
}

/** Replays the first answer to any retry carrying the same Idempotency-Key (scoped to the caller). */
async function idempotent(
  c: Ctx,
  deps: ApiDeps,
  body: string,
  work: () => Promise<StoredResponse>,
): Promise<Response> {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined) {
    const response = await work();
    return json(response.status, response.body);
  }
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    return fail(400, 'ValidationError', 'must be 1 to 200 printable ASCII characters', 'Idempotency-Key');
  }
  // Keys are the caller's own: hashing the pair keeps subject `a:b` with key `c` apart from `a` with `b:c`.
  const scopedKey = createHash('sha256')
    .update(JSON.stringify([c.get('actor').sub, key]))
    .digest('hex');
  const fingerprint = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${body}`).digest('hex');
  const started = await deps.idempotency.begin(scopedKey, fingerprint, deps.clock.now().toISOString());
  switch (started.state) {
    case 'completed':
      return Response.json(started.response.body, {
        status: started.response.status,
        headers: { 'Idempotent-Replayed': 'true' },
      });
    case 'in_progress':
      return fail(
        409,
        'ConflictError',
        'a request with this Idempotency-Key is still being processed',
        'Idempotency-Key',
      );
    case 'mismatch':
      return fail(422, 'RuleViolationError', 'was already used for a different request', 'Idempotency-Key');
  }
  let response: StoredResponse;
  try {
    response = await work();
  } catch (error) {
    await deps.idempotency.release(scopedKey);
    throw error;
  }
  // A fault or a conflict may pass: let the retry run again rather than replay it.
  if (response.status >= 500 || response.status === 409) await deps.idempotency.release(scopedKey);
  else await deps.idempotency.complete(scopedKey, response);
  return json(response.status, response.body);
}

export function createApp(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.onError((error) => {
    console.error(
      JSON.stringify({ level: 'error', name: error.name, message: error.message, stack: error.stack }),
    );
    const status = statusOf(error.name);
    if (status !== 500)
      return json(status, errorBody(error.name, error.message, (error as { problems?: [] }).problems));
    return json(500, errorBody('InternalError', 'the request could not be completed; it was logged'));
  });
  app.notFound((c) => fail(404, 'NotFoundError', `no route ${c.req.method} ${c.req.path}`));

  app.get('/v1/openapi.json', (c) => c.json(openApiDocument()));

  app.use('/v1/*', authenticate(deps.secret));
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: maxBodyBytes,
      // The rest of the body is never read, so the connection cannot be reused.
      onError: () =>
        Response.json(
          errorBody('PayloadTooLarge', `the body exceeds ${maxBodyBytes} bytes`, [
            { field: '(body)', problem: `exceeds ${maxBodyBytes} bytes` },
          ]),
          {
            status: 413,
            headers: { Connection: 'close' },
          },
        ),
    }),
  );

  app.post('/v1/incoming', allow('clerk', 'admin'), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    return idempotent(c, deps, body.text, () =>
      runWorkflow(deps, 'register-incoming', { request: body.value, actor: c.get('actor') }, (output) => {
        const { document, duplicate } = output as { document: DocumentCard; duplicate: boolean };
        return { status: duplicate ? 200 : 201, body: { ...document, duplicate } };
      }),
    );
  });

  app.post('/v1/signatures/verify', async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = verifyRequestSchema.safeParse(body.value, { reportInput: true });
    if (!parsed.success)
      return json(400, errorBody('ValidationError', 'the request is malformed', problemsOf(parsed.error)));
    const { signature, content, certificate, at } = parsed.data;
    const report = verifySignature({
      signature: Buffer.from(signature, 'base64'),
      content: content === undefined ? undefined : Buffer.from(content, 'base64'),
      certificate: certificate === undefined ? undefined : Buffer.from(certificate, 'base64'),
      at,
      now: deps.clock.now(),
      timeZone: deps.config.timeZone,
    });
    if (report.window === 'unparseable') {
      const field = report.reasons.some((r) => r.startsWith('Сертификат')) ? 'certificate' : 'signature';
      return json(422, {
        ...errorBody('UnreadableInputError', report.reasons.join(' '), [
          { field, problem: report.reasons.join(' ') },
        ]),
        report,
      });
    }
    return c.json(report);
  });

  app.get('/v1/documents/:id', async (c) => {
    if (!isDocumentId(c.req.param('id')))
      return fail(404, 'NotFoundError', `no document ${c.req.param('id').slice(0, 100)}`, 'id');
    const card = await deps.documents.get(c.req.param('id'));
    if (card === null) return fail(404, 'NotFoundError', `no document ${c.req.param('id')}`, 'id');
    return c.json(card);
  });

  app.get('/v1/documents/:id/history', async (c) => {
    const id = c.req.param('id');
    if (!isDocumentId(id)) return fail(404, 'NotFoundError', `no document ${id.slice(0, 100)}`, 'id');
    const events = await deps.events.list(id);
    if (events.length === 0 && (await deps.documents.get(id)) === null) {
      return fail(404, 'NotFoundError', `no document ${id}`, 'id');
    }
    return c.json({ documentId: id, chain: verifyChain(events), events });
  });

  app.get('/v1/documents', async (c) => {
    const theirRef = c.req.query('theirRef');
    const regNumber = c.req.query('regNumber');
    if ((theirRef === undefined) === (regNumber === undefined)) {
      return fail(400, 'ValidationError', 'give exactly one of theirRef or regNumber', 'query');
    }
    const [field, value] = theirRef !== undefined ? ['theirRef', theirRef] : ['regNumber', regNumber ?? ''];
    if (value.trim() === '' || value.length > 100)
      return fail(400, 'ValidationError', 'must be 1 to 100 characters', field);
    const cards =
      theirRef !== undefined
        ? await deps.documents.findByTheirRef(theirRef)
        : await deps.documents.findByRegNumber(regNumber ?? '');
    cards.sort((a, b) => (a.regDate < b.regDate ? -1 : a.regDate > b.regDate ? 1 : a.regSeq - b.regSeq));
    return c.json({ items: cards });
  });

  app.get('/v1/journals/:journal/:year', async (c) => {
    const journalId = c.req.param('journal');
    const rules = Object.hasOwn(deps.config.journals, journalId)
      ? deps.config.journals[journalId]
      : undefined;
    if (rules === undefined) return fail(404, 'NotFoundError', `no journal '${journalId}'`, 'journal');
    const year = c.req.param('year');
    if (!/^\d{4}$/.test(year) || calendarDateProblem(`${year}-01-01`) !== null) {
      return fail(400, 'ValidationError', 'must be a four-digit year', 'year');
    }
    const journalKey = journalKeyOf(journalId, rules, Number(year));
    const { counter, entries } = await deps.journals.list(journalKey);
    const firstNumber = rules.resetsYearly ? (rules.startingNumbers[year] ?? 1) : 1;
    const listing = journalListing(entries, firstNumber, counter ?? firstNumber - 1);
    const inYear = rules.resetsYearly
      ? listing
      : listing.filter((e) => !('regDate' in e) || e.regDate.startsWith(year));
    return c.json({
      journal: journalId,
      year: Number(year),
      title: rules.title,
      firstNumber,
      lastNumber: counter,
      entries: inYear,
    });
  });

  return app;
}
