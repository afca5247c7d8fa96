import ExcelJS from 'exceljs';
import type { Hono } from 'hono';
import { z } from 'zod';
import { calendarDateIn, calendarDateProblem } from '../../domain/calendar-date.ts';
import { type IncomingCard, isIncoming } from '../../domain/documents.ts';
import { summaryReport, summaryRows } from '../../domain/summary-report.ts';
import { problemsOf } from '../../domain/validation.ts';
import { type AuthEnv, allow } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import { errorBody } from '../errors.ts';
import { type ApiDeps, json } from '../http.ts';

const date = z.string().refine((d) => calendarDateProblem(d) === null, 'must be a date YYYY-MM-DD');
const summaryQuery = z.object({
  from: date.describe('The first registration date counted'),
  to: date.describe('The last registration date counted'),
  format: z.enum(['json', 'csv', 'xlsx']).optional().describe('json when absent'),
});

const counts = z.object({
  received: z.int(),
  answered: z.int(),
  answeredOnTime: z.int(),
  overdue: z.int(),
  open: z.int(),
});

export const summaryReportRoute = defineRoute({
  method: 'get',
  path: '/v1/reports/summary',
  summary:
    'Documents and citizens\u2019 appeals received in a period, by kind and channel (the hotline among them): answered, on time, overdue, open',
  access: 'token',
  roles: ['clerk', 'auditor', 'admin'],
  query: summaryQuery,
  answers: {
    200: {
      description: 'The report as JSON, or as CSV or XLSX',
      schema: z.looseObject({ from: z.string(), to: z.string(), asOf: z.string(), total: counts }),
    },
    400: {
      description: 'A missing or malformed date, a period that ends before it begins, or another format',
    },
  },
});

/** GET /v1/reports/summary. */
export function reportRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  app.get(summaryReportRoute.path, allow(...(summaryReportRoute.roles ?? [])), async (c) => {
    const parsed = summaryQuery.safeParse(c.req.query(), { reportInput: true });
    if (!parsed.success)
      return json(400, errorBody('ValidationError', 'the query is malformed', problemsOf(parsed.error)));
    const { from, to, format = 'json' } = parsed.data;
    if (to < from)
      return summaryReportRoute.fail(400, 'ValidationError', `ends before it begins (${from})`, 'to');
    const cards: IncomingCard[] = [];
    for await (const card of deps.documents.registeredBetween(from, to))
      if (isIncoming(card)) cards.push(card);
    const report = summaryReport(cards, {
      from,
      to,
      asOf: calendarDateIn(deps.clock.now(), deps.config.timeZone),
    });
    if (format === 'json') return c.json(report);
    const rows = summaryRows(report);
    const name = `summary-${from}-${to}`;
    if (format === 'csv') {
      const cell = (v: string | number) =>
        /[";\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v);
      const text = `\uFEFF${rows.map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
      return new Response(text, {
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${name}.csv"`,
        },
      });
    }
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Сводка');
    sheet.addRow([`Сводка за период с ${from} по ${to} (на ${report.asOf})`]);
    for (const row of rows) sheet.addRow(row);
    const bytes = await workbook.xlsx.writeBuffer();
    return new Response(new Uint8Array(bytes as ArrayBuffer), {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="${name}.xlsx"`,
      },
    });
  });
}
