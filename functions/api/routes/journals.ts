import type { Hono } from 'hono';
import { z } from 'zod';
import { journalExportContentTypes, journalExportStream } from '../../adapters/export/journal-stream.ts';
import { calendarDateProblem } from '../../domain/calendar-date.ts';
import { journalExportContext, journalExportFormats } from '../../domain/journal-export.ts';
import { journalKeyOf, journalListing } from '../../domain/numbering.ts';
import type { AuthEnv } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import type { ApiDeps } from '../http.ts';
import { journalListingSchema } from '../schemas.ts';

const journalParams = z.object({
  journal: z.string().describe('A journal of the configuration: incoming, outgoing, ...'),
  year: z
    .string()
    .regex(/^\d{4}$/)
    .refine((year) => calendarDateProblem(`${year}-01-01`) === null, 'must be a year from 1900 to 2999')
    .describe('A four-digit year'),
});

export const journalRoute = defineRoute({
  method: 'get',
  path: '/v1/journals/:journal/:year',
  summary:
    'A registration journal for a year: every number taken, with its document or the reason it was voided',
  access: 'token',
  params: journalParams,
  query: z.object({
    format: z
      .enum(journalExportFormats)
      .optional()
      .describe('csv or xlsx: the journal as a paper journal\u2019s columns, streamed; JSON when absent'),
  }),
  answers: {
    200: {
      description:
        'Entries from the first number to the counter (JSON), or with `format` one row per number as CSV or XLSX',
      schema: journalListingSchema,
    },
    400: { description: 'The year is not a four-digit year, or the format is not csv or xlsx' },
    404: { description: 'No such journal' },
  },
});

/** GET /v1/journals/{journal}/{year}: every number from the first to the counter, and what became of it. */
export function journalRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  app.get(journalRoute.path, async (c) => {
    const journalId = c.req.param('journal');
    const rules = Object.hasOwn(deps.config.journals, journalId)
      ? deps.config.journals[journalId]
      : undefined;
    if (rules === undefined) {
      return journalRoute.fail(404, 'NotFoundError', `no journal '${journalId.slice(0, 100)}'`, 'journal');
    }
    const year = c.req.param('year');
    if (!journalParams.shape.year.safeParse(year).success) {
      return journalRoute.fail(400, 'ValidationError', 'must be a four-digit year', 'year');
    }
    const format = c.req.query('format');
    if (format !== undefined && format !== 'csv' && format !== 'xlsx') {
      return journalRoute.fail(400, 'ValidationError', 'must be csv or xlsx', 'format');
    }
    const journalKey = journalKeyOf(journalId, rules, Number(year));
    const firstNumber = rules.resetsYearly ? (rules.startingNumbers[year] ?? 1) : 1;
    if (format !== undefined) {
      // The counter as it stands now bounds the export; numbers taken while it streams wait for the next one.
      const stream = journalExportStream(
        deps,
        {
          journalKey,
          sheetName: `${journalId} ${year}`,
          context: journalExportContext(
            deps.config,
            journalId,
            Number(year),
            await deps.journals.counter(journalKey),
            deps.clock.now(),
            deps.registrationLeaseMs,
          ),
        },
        format,
      );
      return new Response(stream, {
        status: 200,
        headers: {
          'Content-Type': journalExportContentTypes[format],
          'Content-Disposition': `attachment; filename="${journalId}-${year}.${format}"`,
        },
      });
    }
    const { counter, entries } = await deps.journals.list(journalKey);
    const listing = journalListing(
      entries,
      firstNumber,
      { last: counter?.last ?? null, lastTakenAt: counter?.lastTakenAt ?? null },
      deps.clock.now(),
      deps.registrationLeaseMs,
    );
    const inYear = rules.resetsYearly
      ? listing
      : listing.filter((e) => !('regDate' in e) || e.regDate.startsWith(year));
    return c.json({
      journal: journalId,
      year: Number(year),
      title: rules.title,
      firstNumber,
      lastNumber: counter?.last ?? null,
      entries: inYear,
    });
  });
}
