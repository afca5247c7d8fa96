import type { Hono } from 'hono';
import { z } from 'zod';
import { calendarDateProblem } from '../../domain/calendar-date.ts';
import { documentKinds } from '../../domain/document-kinds.ts';
import {
  type DocumentSearch,
  decodeCursor,
  defaultSearchLimit,
  encodeCursor,
  maxSearchLimit,
  searchControlStates,
  searchDirections,
  searchStatuses,
} from '../../domain/document-search.ts';
import type { FieldProblem } from '../../domain/errors.ts';
import { deliveryChannels } from '../../domain/incoming.ts';
import { freeText, problemsOf } from '../../domain/validation.ts';
import type { AuthEnv } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import { errorBody } from '../errors.ts';
import { type ApiDeps, json } from '../http.ts';
import { documentSearchSchema } from '../schemas.ts';

const date = (what: string) =>
  z
    .string()
    .refine((d) => calendarDateProblem(d) === null, 'must be a date YYYY-MM-DD')
    .describe(what);

const documentSearchQuery = z.strictObject({
  regNumber: freeText(100).optional().describe('Our registration number, exactly'),
  theirRef: freeText(100).optional().describe('The correspondent\u2019s number, exactly'),
  correspondent: freeText(500)
    .optional()
    .describe(
      'The correspondent\u2019s organization (a citizen\u2019s name for an appeal), whole: compared case-folded, NFC, with runs of spaces as one, \u0451 as \u0435 and any quotation marks alike',
    ),
  executor: freeText(60).optional().describe('The executor\u2019s id'),
  kind: z.enum(documentKinds).optional().describe('The kind of an incoming document'),
  status: z
    .enum(searchStatuses)
    .optional()
    .describe('The status of a document or a reply (`registered` is either: add `direction` to tell)'),
  channel: z.enum(deliveryChannels).optional().describe('How an incoming document arrived'),
  control: z
    .enum(searchControlStates)
    .optional()
    .describe('Incoming documents on control (open), or taken off it (done, removed)'),
  direction: z.enum(searchDirections).optional().describe('Incoming documents, or replies'),
  from: date('The first registration date, inclusive').optional(),
  to: date('The last registration date, inclusive').optional(),
  limit: z
    .string()
    .refine(
      (v) => /^[0-9]{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= maxSearchLimit,
      `must be a whole number from 1 to ${maxSearchLimit}`,
    )
    .optional()
    .describe(`Documents per page, 1 to ${maxSearchLimit}; ${defaultSearchLimit} when absent`),
  cursor: z.string().max(2000).optional().describe('The `next` of the previous page, with the same filters'),
});

export const findDocumentsRoute = defineRoute({
  method: 'get',
  path: '/v1/documents',
  summary:
    'Search incoming documents and replies by any combination of filters, page by page: ordered by registration date, then time of registration, then id, oldest first (unregistered replies last)',
  access: 'token',
  query: documentSearchQuery,
  answers: {
    200: {
      description:
        'One page of matching cards; `next` is the cursor of the following page, null after the last. A page may hold fewer than `limit` cards and still have a `next`',
      schema: documentSearchSchema,
    },
    400: {
      description:
        'An unknown or repeated parameter, a malformed value, `to` before `from`, or a cursor that is not one this search returned',
    },
  },
});

const knownParameters = new Set(Object.keys(documentSearchQuery.shape));

/** GET /v1/documents: every role may search. */
export function documentSearchRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  app.get(findDocumentsRoute.path, async (c) => {
    const route = findDocumentsRoute;
    const given = c.req.queries();
    // Named here rather than by zod, which reports unknown keys against the whole object.
    const problems: FieldProblem[] = [];
    for (const [name, values] of Object.entries(given)) {
      const field = name.slice(0, 100);
      if (!knownParameters.has(name)) problems.push({ field, problem: 'is not a search parameter' });
      else if (values.length > 1) problems.push({ field, problem: 'is given more than once' });
    }
    if (problems.length > 0)
      return json(400, errorBody('ValidationError', 'the query is malformed', problems));
    const raw = Object.fromEntries(Object.entries(given).map(([name, values]) => [name, values[0]]));
    const parsed = documentSearchQuery.safeParse(raw, { reportInput: true });
    if (!parsed.success)
      return json(400, errorBody('ValidationError', 'the query is malformed', problemsOf(parsed.error)));
    const { limit, cursor, ...filters } = parsed.data;
    if (filters.from !== undefined && filters.to !== undefined && filters.to < filters.from)
      return route.fail(400, 'ValidationError', `ends before it begins (${filters.from})`, 'to');
    const search = Object.fromEntries(
      Object.entries(filters).filter(([, value]) => value !== undefined),
    ) as DocumentSearch;
    let after = null;
    if (cursor !== undefined) {
      const decoded = decodeCursor(search, cursor);
      if ('problem' in decoded) return route.fail(400, 'ValidationError', decoded.problem, 'cursor');
      after = decoded.position;
    }
    const page = await deps.documents.search(search, {
      limit: limit === undefined ? defaultSearchLimit : Number(limit),
      after,
    });
    return c.json({
      items: page.items,
      next: page.next === null ? null : encodeCursor(search, page.next),
    });
  });
}
