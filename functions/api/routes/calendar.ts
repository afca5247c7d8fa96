import type { Hono } from 'hono';
import { z } from 'zod';
import { calendarOfYear } from '../../domain/production-calendar-report.ts';
import type { AuthEnv } from '../auth.ts';
import { defineRoute } from '../contract.ts';
import type { ApiDeps } from '../http.ts';

export const calendarRoute = defineRoute({
  method: 'get',
  path: '/v1/calendar/:year',
  summary: 'The production calendar of a year: each day with its kind, the decree, the count of working days',
  access: 'token',
  params: z.object({
    year: z
      .string()
      .regex(/^\d{4}$/)
      .describe('A four-digit year'),
  }),
  answers: {
    200: {
      description: 'The year',
      schema: z.object({
        year: z.int(),
        decree: z.looseObject({ number: z.string(), date: z.string(), title: z.string() }).nullable(),
        workingDays: z
          .int()
          .describe('The production calendar\u2019s count (the 2020\u20132021 Covid days count as working)'),
        covidNonWorkingDays: z.int(),
        days: z.array(z.looseObject({ date: z.string(), kind: z.string(), shortened: z.boolean() })),
      }),
    },
    400: { description: 'Not a four-digit year' },
    404: { description: 'The calendar has no such year' },
  },
});

/** GET /v1/calendar/{year}. */
export function calendarRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
  app.get(calendarRoute.path, (c) => {
    const year = c.req.param('year');
    if (!/^\d{4}$/.test(year))
      return calendarRoute.fail(400, 'ValidationError', 'must be a four-digit year', 'year');
    if (!deps.calendar.covers(Number(year)))
      return calendarRoute.fail(
        404,
        'NotFoundError',
        `the production calendar has no ${year}; it has ${deps.calendar.years().join(', ')}`,
        'year',
      );
    return c.json(calendarOfYear(deps.calendar, Number(year)));
  });
}
