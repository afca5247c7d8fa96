import { z } from 'zod';
import { documentStatuses } from '../domain/documents.ts';
import { incomingRequestSchema } from '../domain/incoming.ts';
import { outgoingStatuses } from '../domain/outgoing.ts';

/**
 * Schemas of what the API answers, for its OpenAPI document. Requests are described by the schemas
 * that validate them (the domain's and the routes'); these describe the answers.
 */

export const actorSchema = z.object({ sub: z.string(), role: z.string() });

/** A registration card: the request's fields (as stored: receivedAt in UTC) and its registration. */
export const documentSchema = z.looseObject({
  ...incomingRequestSchema.shape,
  id: z.uuid(),
  direction: z.literal('incoming'),
  journal: z.string(),
  regNumber: z.string().meta({ examples: ['01-05/1'] }),
  regDate: z.iso.date(),
  regSeq: z.int(),
  status: z.enum(documentStatuses),
  registeredAt: z.string(),
  registeredBy: actorSchema,
});

/** A reply's card: its text, draft versions, approvals, who must act, and once signed its number and archive. */
export const outgoingCardSchema = z.looseObject({
  id: z.uuid(),
  direction: z.literal('outgoing'),
  journal: z.string(),
  status: z.enum(outgoingStatuses),
  revision: z.int(),
  drafts: z.array(z.looseObject({ version: z.int(), sha256: z.string(), pages: z.int() })),
  awaiting: z.looseObject({ role: z.string(), who: z.string(), since: z.string() }).nullable(),
  regNumber: z.string().optional(),
  regDate: z.iso.date().optional(),
});

export const signedReplySchema = outgoingCardSchema.extend({
  repeated: z.boolean().describe('True when this same signature had registered the reply before'),
});

export const registeredDocumentSchema = documentSchema.extend({
  duplicate: z
    .boolean()
    .describe('True when the same letter (correspondent, their number and date) was registered before'),
});

/** A page of a document search: the cards, and the cursor of the next page (null after the last). */
export const documentSearchSchema = z.object({
  items: z.array(z.union([documentSchema, outgoingCardSchema])),
  next: z.string().nullable().describe('Pass as `cursor`, with the same filters, for the next page'),
});

export const historySchema = z.object({
  documentId: z.string(),
  chain: z.looseObject({ intact: z.boolean() }).describe('Whether each event hashes the one before'),
  events: z.array(
    z.looseObject({
      seq: z.int(),
      type: z.string(),
      at: z.string(),
      actor: actorSchema,
      data: z.unknown(),
      prevHash: z.string(),
      hash: z.string(),
    }),
  ),
});

export const journalListingSchema = z.object({
  journal: z.string(),
  year: z.int(),
  title: z.string(),
  firstNumber: z.int(),
  lastNumber: z.int().nullable(),
  entries: z
    .array(
      z.looseObject({
        seq: z.int(),
        regNumber: z.string().optional(),
        state: z.enum(['registered', 'voided', 'in_progress', 'interrupted']),
      }),
    )
    .describe('Each number with its document, or the reason it was voided'),
});

export const verificationReportSchema = z.looseObject({
  certificate: z.looseObject({}).nullable(),
  signingTime: z.string().nullable(),
  timeSource: z.enum(['timestamp', 'signingTime', 'asserted', 'check']).nullable(),
  window: z.enum([
    'valid',
    'not_yet_valid',
    'expired',
    'key_usage_period_exceeded',
    'indeterminate',
    'unparseable',
  ]),
  digest: z.enum(['match', 'mismatch', 'not_checked']),
  signature: z.enum(['valid', 'invalid', 'unsupported', 'not_checked']),
  stamp: z.array(z.string()).nullable(),
  reasons: z.array(z.string()),
});
