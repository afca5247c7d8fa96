import type { Hono } from 'hono';
import { z } from 'zod';
import { calendarDateIn, calendarDateProblem } from '../../domain/calendar-date.ts';
import {
  addResolution,
  closeControl,
  closeControlRequestSchema,
  extendControl,
  extensionRequestSchema,
  resolutionRequestSchema,
} from '../../domain/control.ts';
import { type ControlState, controlStateOn } from '../../domain/deadlines.ts';
import { type IncomingCard, isIncoming } from '../../domain/documents.ts';
import { ConflictError } from '../../domain/errors.ts';
import { problemsOf } from '../../domain/validation.ts';
import { changeCard } from '../../handlers/card-changes.ts';
import { type AuthEnv, allow } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import { errorBody } from '../errors.ts';
import { type ApiDeps, json, readJson } from '../http.ts';

const documentParams = z.object({ id: z.uuid().describe('The document\u2019s id') });
const isDocumentId = (id: string) => documentParams.shape.id.safeParse(id).success;
const cardSchema = z.looseObject({ id: z.uuid(), control: z.looseObject({}).nullable().optional() });

const changeRoute = (path: string, summary: string, body: z.ZodType, roles: ('clerk' | 'signer')[]) =>
  defineRoute({
    method: 'post',
    path,
    summary,
    access: 'token',
    roles,
    params: documentParams,
    body,
    answers: {
      200: { description: 'The card after the change', schema: cardSchema },
      400: { description: 'Malformed body: each field and problem named' },
      404: { description: 'No such incoming document' },
      409: { description: 'The document is off control, or changed meanwhile' },
      422: {
        description: 'Breaks a rule: an unknown person, a second extension, a removal without a reason',
      },
    },
  });

export const resolutionRoute = changeRoute(
  '/v1/documents/:id/resolutions',
  'A resolution: the head routes the document to its executor and co-executors, with a due date and a controller',
  resolutionRequestSchema,
  ['clerk', 'signer'],
);
export const extensionRoute = changeRoute(
  '/v1/documents/:id/control/extension',
  'The one extension of a citizen\u2019s appeal (59-\u0424\u0417 art. 12): at most 30 days, with the reason and the notice to the citizen',
  extensionRequestSchema,
  ['clerk', 'signer'],
);
export const closeControlRoute = changeRoute(
  '/v1/documents/:id/control/close',
  'Lift control: the controller accepts the executor\u2019s report, or the document is removed from control with a reason',
  closeControlRequestSchema,
  ['clerk', 'signer'],
);

const controlStates = ['on_control', 'due_soon', 'overdue', 'done', 'removed'] as const;
const controlQuery = z.object({
  state: z.enum(controlStates).optional().describe('Documents in this control state today'),
  executor: z.string().max(60).optional(),
  department: z.string().max(200).optional(),
  due_before: z
    .string()
    .refine((d) => calendarDateProblem(d) === null, 'must be a date YYYY-MM-DD')
    .optional()
    .describe('Only those whose control date is on or before this date'),
});

export const controlListRoute = defineRoute({
  method: 'get',
  path: '/v1/control',
  summary: 'Documents on control, earliest control date first, each with its state today',
  access: 'token',
  query: controlQuery,
  answers: {
    200: {
      description: 'The documents',
      schema: z.object({ today: z.string(), items: z.array(z.looseObject({})) }),
    },
    400: { description: 'A malformed filter' },
  },
});

export const overdueReportRoute = defineRoute({
  method: 'get',
  path: '/v1/control/overdue',
  summary: 'Overdue documents by executor or by department, as JSON or CSV',
  access: 'token',
  query: z.object({
    by: z.enum(['executor', 'department']).optional().describe('executor when absent'),
    format: z.enum(['json', 'csv']).optional().describe('json when absent'),
  }),
  answers: {
    200: { description: 'The report (JSON, or text/csv)' },
    400: { description: 'A malformed parameter' },
  },
});

/** Documents on control: at most this many are read for one answer (an index read, earliest first). */
const controlPage = 5000;

interface ControlRow {
  readonly id: string;
  readonly regNumber: string;
  readonly regDate: string;
  readonly theirRef: { readonly number: string; readonly date: string };
  readonly correspondent: string;
  readonly subject: string;
  readonly kind: string;
  readonly executor: string;
  readonly department: string | null;
  readonly dueDate: string;
  readonly controlDate: string;
  readonly state: ControlState;
  readonly controller: string | null;
}

/** Resolutions, extensions and the end of control; the control list and the overdue report. */
export function controlRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  const context = { config: deps.config, calendar: deps.calendar, rules: deps.config.deadlines };

  const change = (
    route: typeof resolutionRoute,
    schema: z.ZodType,
    apply: (
      card: IncomingCard,
      request: never,
      actor: AuthEnv['Variables']['actor'],
      now: Date,
    ) => IncomingCard | null,
  ) =>
    app.post(route.path, allow(...(route.roles ?? [])), async (c) => {
      const id = c.req.param('id') ?? '';
      const card = isDocumentId(id) ? await deps.documents.get(id) : null;
      if (card === null || !isIncoming(card))
        return route.fail(404, 'NotFoundError', `no incoming document ${id.slice(0, 100)}`, 'id');
      const body = await readJson(c);
      if (!body.ok) return body.response;
      const parsed = schema.safeParse(body.value, { reportInput: true });
      if (!parsed.success)
        return json(400, errorBody('ValidationError', 'the request is malformed', problemsOf(parsed.error)));
      const actor = c.get('actor');
      const { after } = await changeCard(deps, id, (current) => {
        if (!isIncoming(current)) throw new ConflictError(`${id} is not an incoming document`);
        return apply(current, parsed.data as never, actor, deps.clock.now());
      });
      return c.json(after);
    });

  change(resolutionRoute, resolutionRequestSchema, (card, request, actor, now) =>
    addResolution(card, request, context, actor, now),
  );
  change(extensionRoute, extensionRequestSchema, (card, request, actor, now) =>
    extendControl(card, request, context, actor, now),
  );
  change(closeControlRoute, closeControlRequestSchema, (card, request, actor, now) =>
    closeControl(card, request, actor, now),
  );

  const rowsOnControl = async (
    until: string,
    closed?: 'done' | 'removed',
  ): Promise<{ today: string; rows: ControlRow[] }> => {
    const today = calendarDateIn(deps.clock.now(), deps.config.timeZone);
    const read =
      closed === undefined
        ? deps.documents.onControl(until, controlPage)
        : deps.documents.offControl(closed, controlPage);
    const cards = (await read)
      .filter(isIncoming)
      .filter((card) => (card.control?.controlDate ?? '') <= until);
    const rows = cards.flatMap((card): ControlRow[] => {
      const control = card.control;
      if (control == null) return [];
      return [
        {
          id: card.id,
          regNumber: card.regNumber,
          regDate: card.regDate,
          theirRef: card.theirRef,
          correspondent: card.correspondent.organization,
          subject: card.subject,
          kind: card.kind,
          executor: card.executor,
          department: deps.config.executors[card.executor]?.department ?? null,
          dueDate: control.dueDate,
          controlDate: control.controlDate,
          state: controlStateOn(control, today, deps.config.deadlines.dueSoonWorkingDays, deps.calendar),
          controller: control.controller ?? null,
        },
      ];
    });
    return { today, rows };
  };

  app.get(controlListRoute.path, async (c) => {
    const parsed = controlQuery.safeParse(c.req.query(), { reportInput: true });
    if (!parsed.success)
      return json(400, errorBody('ValidationError', 'the query is malformed', problemsOf(parsed.error)));
    const { state, executor, department, due_before } = parsed.data;
    const closed = state === 'done' || state === 'removed' ? state : undefined;
    const { today, rows } = await rowsOnControl(due_before ?? '9999-12-31', closed);
    const items = rows.filter(
      (row) =>
        (state === undefined || row.state === state) &&
        (executor === undefined || row.executor === executor) &&
        (department === undefined || row.department === department),
    );
    return c.json({ today, items });
  });

  app.get(overdueReportRoute.path, async (c) => {
    const by = c.req.query('by') ?? 'executor';
    const format = c.req.query('format') ?? 'json';
    if (by !== 'executor' && by !== 'department')
      return overdueReportRoute.fail(400, 'ValidationError', 'must be executor or department', 'by');
    if (format !== 'json' && format !== 'csv')
      return overdueReportRoute.fail(400, 'ValidationError', 'must be json or csv', 'format');
    const yesterday = calendarDateIn(new Date(deps.clock.now().getTime() - 86_400_000), deps.config.timeZone);
    const { today, rows } = await rowsOnControl(yesterday);
    const overdue = rows.filter((row) => row.state === 'overdue');
    const groupOf = (row: ControlRow) => (by === 'executor' ? row.executor : (row.department ?? '—'));
    const groups = new Map<string, ControlRow[]>();
    for (const row of overdue) groups.set(groupOf(row), [...(groups.get(groupOf(row)) ?? []), row]);
    const report = [...groups].map(([key, documents]) => ({
      [by]: key,
      name: by === 'executor' ? (deps.config.executors[key]?.fullName ?? key) : key,
      overdue: documents.length,
      documents,
    }));
    if (format === 'json') return c.json({ today, by, groups: report });
    return new Response(overdueCsv(by, overdue, groupOf, deps, today), {
      status: 200,
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="overdue-${today}.csv"`,
      },
    });
  });
}

const csvCell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[";\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** One row per overdue document; semicolons and a BOM, as Russian Excel opens CSV. */
function overdueCsv(
  by: string,
  rows: readonly ControlRow[],
  groupOf: (row: ControlRow) => string,
  deps: ApiDeps,
  today: string,
): string {
  const header = [
    by === 'executor' ? 'Исполнитель' : 'Подразделение',
    'Рег. номер',
    'Дата рег.',
    'Корреспондент',
    'Их номер',
    'Содержание',
    'Срок',
    'Контрольная дата',
    'Просрочено, раб. дней',
  ];
  const lines = [...rows]
    .sort((a, b) => groupOf(a).localeCompare(groupOf(b)) || a.controlDate.localeCompare(b.controlDate))
    .map((row) =>
      [
        by === 'executor' ? (deps.config.executors[row.executor]?.fullName ?? row.executor) : groupOf(row),
        row.regNumber,
        row.regDate,
        row.correspondent,
        row.theirRef.number,
        row.subject,
        row.dueDate,
        row.controlDate,
        -deps.calendar.workingDaysBetween(today, row.controlDate),
      ]
        .map(csvCell)
        .join(';'),
    );
  return `\uFEFF${[header.join(';'), ...lines].join('\r\n')}\r\n`;
}
