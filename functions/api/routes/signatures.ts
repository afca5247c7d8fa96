import type { Hono } from 'hono';
import { z } from 'zod';
import { verifySignatureFetchingCrls } from '../../domain/signatures/crl-fetch.ts';
import { verifySignature } from '../../domain/signatures/index.ts';
import { isBase64 } from '../../domain/signatures/input.ts';
import { freeText, problemsOf } from '../../domain/validation.ts';
import type { AuthEnv } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import { errorBody } from '../errors.ts';
import { type ApiDeps, json, readJson } from '../http.ts';
import { verificationReportSchema } from '../schemas.ts';

/** Base64 as it is pasted: line breaks allowed. Checked in one pass (see isBase64). */
const base64 = z
  .string()
  .min(1)
  .refine((text) => isBase64(text, { lineBreaks: true }), 'must be base64')
  .meta({ contentEncoding: 'base64' });

export const verifyRequestSchema = z.strictObject({
  signature: base64.describe('The .sig file (DER, BER or PEM)'),
  content: base64.optional().describe('The signed document'),
  certificate: base64.optional().describe('The signer\u2019s certificate, if the signature lacks it'),
  at: freeText(40).optional().describe('Judge at this instant (ISO 8601) or calendar date (YYYY-MM-DD)'),
});

export const verifySignatureRoute = defineRoute({
  method: 'post',
  path: '/v1/signatures/verify',
  summary:
    'Check a detached CMS signature against the office\u2019s trusted CAs and CRLs: the certificate window at the signing time, the digest, the signature, the chain, revocation',
  access: 'token',
  body: verifyRequestSchema,
  answers: {
    200: { description: 'The verdicts', schema: verificationReportSchema },
    400: { description: 'Malformed request: each field and problem named' },
    422: {
      description: 'The signature or certificate cannot be read; the report is included',
      schema: z.object({
        error: z.string(),
        message: z.string(),
        problems: z.array(z.unknown()),
        report: verificationReportSchema,
      }),
    },
  },
});

/** POST /v1/signatures/verify: the verdicts on a detached signature, for any role. */
export function signatureRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  app.post(verifySignatureRoute.path, async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = verifyRequestSchema.safeParse(body.value, { reportInput: true });
    if (!parsed.success)
      return json(400, errorBody('ValidationError', 'the request is malformed', problemsOf(parsed.error)));
    const { signature, content, certificate, at } = parsed.data;
    const input = {
      signature: Buffer.from(signature, 'base64'),
      content: content === undefined ? undefined : Buffer.from(content, 'base64'),
      certificate: certificate === undefined ? undefined : Buffer.from(certificate, 'base64'),
      at,
      now: deps.clock.now(),
      timeZone: deps.config.timeZone,
    };
    const trustList = await deps.trust();
    // CRLs are fetched from their distribution points only when the configuration asks for it.
    const crlSource = deps.config.crlFetch === true ? deps.crlSource : undefined;
    const report =
      crlSource === undefined
        ? verifySignature(input, { trustList })
        : await verifySignatureFetchingCrls(input, {
            trustList,
            fetchCrl: (url) => crlSource.fetchCrl(url),
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
}
