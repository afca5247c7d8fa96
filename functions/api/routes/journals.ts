import type { Hono } from 'hono';
import { calendarDateProblem } from '../../domain/calendar-date.ts';
import { journalKeyOf, journalListing } from '../../domain/numbering.ts';
import type { AuthEnv } from '../auth.ts';
import { type ApiDeps, fail } from '../http.ts';

/** GET /v1/journals/{journal}/{year}: every number from the first to the counter, and what became of it. */
export function journalRoutes(app: Hono<AuthEnv>, deps: ApiDeps): void {
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
}
