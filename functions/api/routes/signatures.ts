import type { Hono } from 'hono';
import { z } from 'zod';
import { verifySignature } from '../../domain/signatures/index.ts';
import { problemsOf } from '../../domain/validation.ts';
import type { AuthEnv } from '../auth.ts';
import { errorBody } from '../errors.ts';
import { type ApiDeps, json, readJson } from '../http.ts';

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

/** POST /v1/signatures/verify: the verdicts on a detached signature, for any role. */
export function signatureRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
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
}
