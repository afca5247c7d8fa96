import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { z } from 'zod';
import { archiveObjects } from '../../domain/archive.ts';
import { isOutgoing } from '../../domain/documents.ts';
import { ConflictError } from '../../domain/errors.ts';
import {
  approvalRequestSchema,
  currentDraft,
  decideApproval,
  type OutgoingCard,
  outgoingRequestSchema,
} from '../../domain/outgoing.ts';
import { isBase64 } from '../../domain/signatures/input.ts';
import { problemsOf } from '../../domain/validation.ts';
import { changeCard } from '../../handlers/card-changes.ts';
import { type AuthEnv, allow } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import { errorBody } from '../errors.ts';
import { type ApiDeps, json, readJson } from '../http.ts';
import { idempotent } from '../idempotency.ts';
import { outgoingCardSchema, signedReplySchema } from '../schemas.ts';
import { runWorkflow } from '../workflow-answer.ts';

const documentParams = z.object({ id: z.uuid().describe('The reply\u2019s id') });
const isDocumentId = (id: string) => documentParams.shape.id.safeParse(id).success;

export const signatureRequestSchema = z.strictObject({
  signature: z
    .string()
    .min(1)
    .refine((text) => isBase64(text, { lineBreaks: true }), 'must be base64')
    .meta({ contentEncoding: 'base64' })
    .describe('The detached CMS signature (.sig) over the current draft PDF, DER or PEM, base64'),
});

export const prepareReplyRoute = defineRoute({
  method: 'post',
  path: '/v1/outgoing',
  summary:
    'Prepare a reply (or a letter that answers nothing): its draft PDF and DOCX, awaiting approval or signature',
  access: 'token',
  roles: ['clerk'],
  body: outgoingRequestSchema,
  idempotencyKey: true,
  answers: {
    201: { description: 'The reply\u2019s card, with its first draft version', schema: outgoingCardSchema },
    400: { description: 'Malformed body: each field and problem named' },
    422: {
      description:
        'Names an unknown incoming document, signer, executor, approver or journal; or the Idempotency-Key was used for another request',
    },
  },
});

export const reviseReplyRoute = defineRoute({
  method: 'put',
  path: '/v1/documents/:id/draft',
  summary: 'A new version of a reply\u2019s text, while it is not signed; earlier versions are kept',
  access: 'token',
  roles: ['clerk'],
  params: documentParams,
  body: outgoingRequestSchema,
  answers: {
    200: { description: 'The card with the new version', schema: outgoingCardSchema },
    400: { description: 'Malformed body: each field and problem named' },
    404: { description: 'No such reply' },
    409: { description: 'The reply is being signed or is signed, or changed meanwhile' },
    422: { description: 'Names an unknown incoming document, signer, executor, approver or journal' },
  },
});

const draftQuery = z.object({
  version: z
    .string()
    .regex(/^[1-9]\d{0,3}$/)
    .optional()
    .describe('A draft version; the current one when absent'),
});

const draftRoute = (format: 'pdf' | 'docx') =>
  defineRoute({
    method: 'get',
    path: `/v1/documents/:id/draft.${format}`,
    summary:
      format === 'pdf'
        ? 'The draft as PDF: exactly the bytes the signer signs'
        : 'The draft as DOCX, for editing',
    access: 'token',
    params: documentParams,
    query: draftQuery,
    answers: {
      200: { description: `The draft version as ${format.toUpperCase()}` },
      400: { description: 'The version is not a number' },
      404: { description: 'No such reply or version' },
    },
  });

export const draftPdfRoute = draftRoute('pdf');
export const draftDocxRoute = draftRoute('docx');

export const approvalRoute = defineRoute({
  method: 'post',
  path: '/v1/documents/:id/approvals',
  summary: 'An approver\u2019s decision (visa): approve, or return to the executor with a comment',
  access: 'token',
  roles: ['clerk', 'signer'],
  params: documentParams,
  body: approvalRequestSchema,
  answers: {
    200: { description: 'The card after the decision', schema: outgoingCardSchema },
    400: { description: 'Malformed body, or a return without a comment' },
    404: { description: 'No such reply' },
    409: { description: 'The reply is not awaiting approval, or changed meanwhile' },
    422: {
      description: 'It is another approver\u2019s turn, or the caller may not decide for this approver',
    },
  },
});

export const signatureRoute = defineRoute({
  method: 'post',
  path: '/v1/documents/:id/signature',
  summary:
    'Submit the signer\u2019s signature over the draft: checked in full, then the reply takes its outgoing number, its registered copy and its archive',
  access: 'token',
  roles: ['signer', 'clerk'],
  params: documentParams,
  body: signatureRequestSchema,
  answers: {
    201: {
      description: 'Signed, registered and archived: the card with its number',
      schema: signedReplySchema,
    },
    200: {
      description: 'This signature registered the reply before: the same card again',
      schema: signedReplySchema,
    },
    400: { description: 'Malformed body' },
    403: { description: 'A signer submitting for another signer\u2019s reply' },
    404: { description: 'No such reply' },
    409: {
      description:
        'The reply is not awaiting a signature: signed already, or another signature is being finalized',
    },
    422: {
      description:
        'The signature is not accepted (not valid over the draft, or not the designated signer\u2019s): the reasons; nothing numbered or archived',
    },
  },
});

const archivedRoute = (what: 'letter.pdf' | 'archive') =>
  defineRoute({
    method: 'get',
    path: `/v1/documents/:id/${what}`,
    summary:
      what === 'letter.pdf'
        ? 'The registered copy (visualisation) of a signed reply'
        : 'The archive manifest of a signed reply: each object with its SHA-256, the verdicts, number and dates',
    access: 'token',
    params: documentParams,
    answers: {
      200: { description: what === 'letter.pdf' ? 'The PDF' : 'The manifest' },
      404: { description: 'No such reply, or it is not registered yet' },
    },
  });

export const letterPdfRoute = archivedRoute('letter.pdf');
export const archiveRoute = archivedRoute('archive');

const bytesResponse = (bytes: Uint8Array, contentType: string, filename: string) =>
  new Response(Buffer.from(bytes), {
    status: 200,
    headers: { 'Content-Type': contentType, 'Content-Disposition': `inline; filename="${filename}"` },
  });

/** Replies: drafts and their versions, approvals, the signature that registers them, the archive. */
export function outgoingRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  const replyOf = async (id: string): Promise<OutgoingCard | null> => {
    if (!isDocumentId(id)) return null;
    const card = await deps.documents.get(id);
    return card !== null && isOutgoing(card) ? card : null;
  };

  app.post(prepareReplyRoute.path, allow(...(prepareReplyRoute.roles ?? [])), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    return idempotent(c, deps, body.text, () =>
      runWorkflow(
        deps,
        prepareReplyRoute,
        'prepare-reply',
        { request: body.value, actor: c.get('actor'), documentId: null },
        (output) => ({
          status: 201,
          body: (output as { document: OutgoingCard }).document,
        }),
      ),
    );
  });

  app.put(reviseReplyRoute.path, allow(...(reviseReplyRoute.roles ?? [])), async (c) => {
    const id = c.req.param('id');
    if ((await replyOf(id)) === null)
      return reviseReplyRoute.fail(404, 'NotFoundError', `no reply ${id.slice(0, 100)}`, 'id');
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const answer = await runWorkflow(
      deps,
      reviseReplyRoute,
      'prepare-reply',
      { request: body.value, actor: c.get('actor'), documentId: id },
      (output) => ({ status: 200, body: (output as { document: OutgoingCard }).document }),
    );
    return json(answer.status, answer.body);
  });

  for (const [route, format] of [
    [draftPdfRoute, 'pdf'],
    [draftDocxRoute, 'docx'],
  ] as const) {
    app.get(route.path, async (c) => {
      const id = c.req.param('id');
      const card = await replyOf(id);
      if (card === null) return route.fail(404, 'NotFoundError', `no reply ${id.slice(0, 100)}`, 'id');
      const asked = c.req.query('version');
      if (asked !== undefined && !draftQuery.shape.version.safeParse(asked).success)
        return route.fail(400, 'ValidationError', 'must be a version number', 'version');
      const draft =
        asked === undefined ? currentDraft(card) : card.drafts.find((d) => d.version === Number(asked));
      if (draft === undefined)
        return route.fail(404, 'NotFoundError', `reply ${id} has no version ${asked}`, 'version');
      const blob = await deps.blobs.get(format === 'pdf' ? draft.pdfKey : draft.docxKey);
      if (blob === null)
        return route.fail(404, 'NotFoundError', `version ${draft.version} is not in the store`, 'version');
      return bytesResponse(blob.bytes, blob.contentType, `draft-v${draft.version}.${format}`);
    });
  }

  app.post(approvalRoute.path, allow(...(approvalRoute.roles ?? [])), async (c) => {
    const id = c.req.param('id');
    if ((await replyOf(id)) === null)
      return approvalRoute.fail(404, 'NotFoundError', `no reply ${id.slice(0, 100)}`, 'id');
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = approvalRequestSchema.safeParse(body.value, { reportInput: true });
    if (!parsed.success)
      return json(400, errorBody('ValidationError', 'the request is malformed', problemsOf(parsed.error)));
    const actor = c.get('actor');
    const { after } = await changeCard(deps, id, (card) => {
      if (!isOutgoing(card)) throw new ConflictError(`${id} is not a reply`);
      return decideApproval(card, parsed.data, actor, deps.clock.now());
    });
    return c.json(after);
  });

  app.post(signatureRoute.path, allow(...(signatureRoute.roles ?? [])), async (c) => {
    const route = signatureRoute;
    const id = c.req.param('id');
    const card = await replyOf(id);
    if (card === null) return route.fail(404, 'NotFoundError', `no reply ${id.slice(0, 100)}`, 'id');
    const actor = c.get('actor');
    // The signer submits their own signature; a clerk may upload it for them, recorded as such.
    if (actor.role === 'signer' && actor.sub !== card.signer)
      return route.fail(
        403,
        'Forbidden',
        `this reply is for ${card.signer} to sign, not ${actor.sub}`,
        'signature',
      );
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = signatureRequestSchema.safeParse(body.value, { reportInput: true });
    if (!parsed.success)
      return json(400, errorBody('ValidationError', 'the request is malformed', problemsOf(parsed.error)));
    const answer = await runWorkflow(
      deps,
      route,
      'finalize-reply',
      {
        documentId: id,
        signature: parsed.data.signature.replace(/\s+/g, ''),
        attempt: randomUUID(),
        uploadedAt: deps.clock.now().toISOString(),
        actor,
        onBehalfOf: actor.sub === card.signer ? null : card.signer,
      },
      (output) => {
        const { document, repeated } = output as { document: OutgoingCard; repeated: boolean };
        return { status: repeated ? 200 : 201, body: { ...document, repeated } };
      },
    );
    return json(answer.status, answer.body);
  });

  app.get(letterPdfRoute.path, async (c) => {
    const id = c.req.param('id');
    const card = await replyOf(id);
    if (card?.archive === undefined)
      return letterPdfRoute.fail(404, 'NotFoundError', `no registered reply ${id.slice(0, 100)}`, 'id');
    const blob = await deps.blobs.get(card.archive.letterKey);
    if (blob === null)
      return letterPdfRoute.fail(404, 'NotFoundError', `${card.archive.letterKey} is missing`, 'id');
    return bytesResponse(
      blob.bytes,
      archiveObjects.visualisation.contentType,
      `${(card.regNumber ?? id).replaceAll('/', '-')}.pdf`,
    );
  });

  app.get(archiveRoute.path, async (c) => {
    const id = c.req.param('id');
    const card = await replyOf(id);
    if (card?.archive === undefined)
      return archiveRoute.fail(404, 'NotFoundError', `no registered reply ${id.slice(0, 100)}`, 'id');
    const blob = await deps.blobs.get(card.archive.manifestKey);
    if (blob === null)
      return archiveRoute.fail(404, 'NotFoundError', `${card.archive.manifestKey} is missing`, 'id');
    return new Response(Buffer.from(blob.bytes), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  });
}
