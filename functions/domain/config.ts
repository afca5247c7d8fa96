import { z } from 'zod';
import { isKnownTimeZone } from './calendar-date.ts';
import { documentKinds } from './document-kinds.ts';
import { type FieldProblem, ValidationError } from './errors.ts';
import { maxRegNumberLength, renderRegNumberTemplate } from './numbering.ts';
import { defaultReminderRules } from './reminders.ts';
import { problemsOf } from './validation.ts';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const digits = (length: number) =>
  z.string().regex(new RegExp(`^\\d{${length}}$`), `must be ${length} digits`);

const journalSchema = z.strictObject({
  title: text(200),
  direction: z.enum(['incoming', 'outgoing', 'internal']),
  /** Department or case index printed before the running number (07-04 in 07-04/11180). */
  index: z.string().max(20).default(''),
  /** Placeholders: {index}, {seq}, {year}. */
  template: text(60).superRefine((template, ctx) => {
    for (const problem of templateProblems(template)) ctx.addIssue({ code: 'custom', message: problem });
  }),
  resetsYearly: z.boolean().default(true),
  /** First number to take in a year, when continuing another system's numbering: {"2021": 11000}. */
  startingNumbers: z.record(z.string().regex(/^\d{4}$/, 'keys must be years'), z.int().min(1)).default({}),
});

const knownPlaceholders = ['{index}', '{seq}', '{year}'];

/**
 * What is wrong with a number template. An unknown placeholder would be printed as it is into
 * every number ({bogus} in 01-05/{bogus}), so it is refused rather than left to be noticed later.
 */
function templateProblems(template: string): string[] {
  const problems: string[] = [];
  if (!template.includes('{seq}')) problems.push('must contain {seq}');
  for (const placeholder of new Set(template.match(/\{[^{}]*\}/g) ?? [])) {
    if (!knownPlaceholders.includes(placeholder)) {
      problems.push(`unknown placeholder ${placeholder}; the known ones are ${knownPlaceholders.join(', ')}`);
    }
  }
  if (/[{}]/.test(template.replace(/\{[^{}]*\}/g, '')))
    problems.push('has a { or } that opens or closes no placeholder');
  return problems;
}

/**
 * A journal's numbers with its index written in: two journals with the same form hand out the
 * same number for the same seq and year (`{index}/{seq}` with index 07-04 and `07-04/{seq}`).
 */
function numberForm(journal: { index: string; template: string }): string {
  return journal.template.replaceAll('{index}', journal.index);
}

const signerSchema = z.strictObject({
  fullName: text(200),
  shortName: text(100),
  position: text(500),
  positionLines: z.array(text(200)).min(1).max(8),
  email: z.email('must be an e-mail address').optional(),
  /**
   * SHA-1 thumbprints (40 hex digits, as Windows shows them) of the certificates this signer signs
   * with; when given, a signature by any other certificate is refused even if the name matches.
   */
  certificateThumbprints: z
    .array(z.string().regex(/^[0-9A-Fa-f]{40}$/, 'must be 40 hex digits (a SHA-1 thumbprint)'))
    .max(20)
    .optional(),
});

const approverSchema = z.strictObject({
  fullName: text(200),
  position: text(500),
  email: z.email('must be an e-mail address').optional(),
});

const deadlinesSchema = z.strictObject({
  /** Calendar days to the deadline per document kind, counted from the day after registration. */
  byKind: z.record(z.string(), z.int().min(1).max(365)).default({}),
  /** The office's control date: the deadline itself, or the last working day on or before the last day. */
  controlDate: z.enum(['same', 'previous_working_day']).default('same'),
  /** A document is due soon this many working days before its control date. */
  dueSoonWorkingDays: z.int().min(0).max(30).default(3),
});

const executorSchema = z.strictObject({
  fullName: text(200),
  phone: text(50),
  email: z.email('must be an e-mail address').optional(),
  /** The department, for the overdue report by department. */
  department: text(200).optional(),
  /** Who is told when this executor's documents are overdue: a signer or an executor id. */
  supervisor: z.string().optional(),
});

export const configSchema = z.strictObject({
  organization: z.strictObject({
    nameLines: z.array(text(120)).min(1).max(8),
    shortName: text(300),
    address: text(300),
    phone: text(50),
    fax: text(50).optional(),
    email: z.email('must be an e-mail address'),
    website: text(200).optional(),
    okpo: z.string().regex(/^\d{8}(\d{2})?$/, 'must be 8 or 10 digits'),
    ogrn: digits(13),
    inn: digits(10),
  }),
  timeZone: z.string().refine(isKnownTimeZone, 'must be an IANA time zone such as Europe/Moscow'),
  journals: z
    .record(
      z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'journal ids are lowercase letters, digits and dashes'),
      journalSchema,
    )
    .refine((j) => Object.keys(j).length > 0, 'must define at least one journal'),
  signers: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,40}$/), signerSchema),
  executors: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,40}$/), executorSchema),
  /** Who may approve (visa) a reply before its signature. */
  approvers: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,40}$/), approverSchema).default({}),
  /** The approvers a reply goes through, in order, when its request names none. @default [] */
  approvalRoute: z.array(z.string()).max(20).default([]),
  reminders: z
    .strictObject({
      beforeWorkingDays: z.array(z.int().min(1).max(30)).max(10).default([3, 1]),
      onTheDay: z.boolean().default(true),
      overdueDaily: z.boolean().default(true),
      supervisorAfterWorkingDays: z.int().min(0).max(60).default(3),
      signerAfterWorkingHours: z.number().min(0).max(400).default(8),
      at: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM')
        .default('09:00'),
    })
    .default({ ...defaultReminderRules, beforeWorkingDays: [...defaultReminderRules.beforeWorkingDays] }),
  /** When the daily anchor fixes every history, on the office's wall clock (after the day's work). */
  anchors: z
    .strictObject({
      at: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM')
        .default('23:50'),
    })
    .default({ at: '23:50' }),
  mail: z
    .strictObject({
      /** The From of notifications; the organisation's e-mail when absent. */
      from: text(300).optional(),
      /** An SMTP server to send through (smtp://user:pass@host:587); DOCROUTE_SMTP_URL overrides it. */
      smtpUrl: text(1000).optional(),
    })
    .default({}),
  deadlines: deadlinesSchema.default({ byKind: {}, controlDate: 'same', dueSoonWorkingDays: 3 }),
  /** Years the archive keeps a signed original under Object Lock (compliance) in AWS. @default 5 */
  archiveRetentionYears: z.int().min(1).max(100).default(5),
  /** Folder (or file) of trusted CA certificates, relative to the configuration file. */
  trust: text(1000).optional(),
  /** Folder (or file) of CRLs, relative to the configuration file. */
  crl: text(1000).optional(),
  /**
   * Fetch a CRL from the distribution point a certificate names when no current CRL of its issuer
   * is at hand (cached in the blob store). Off unless set: verification then never goes to the
   * network. @default false
   */
  crlFetch: z.boolean().optional(),
});

export type Config = z.infer<typeof configSchema>;
export type JournalConfig = Config['journals'][string];

/** Validates a configuration object; every problem names its field, like `journals.outgoing.template`. */
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ValidationError(problemsOf(result.error));
  const config = result.data;
  const problems: FieldProblem[] = [];
  for (const [id, journal] of Object.entries(config.journals)) {
    const longest = renderRegNumberTemplate(journal, 9_999_999, 2999);
    if (longest.length > maxRegNumberLength) {
      problems.push({
        field: `journals.${id}.template`,
        problem: `numbers like ${longest} exceed ${maxRegNumberLength} characters (the МЭДО limit)`,
      });
    }
  }
  const journalsByForm = new Map<string, string>();
  for (const [id, journal] of Object.entries(config.journals)) {
    const form = numberForm(journal);
    const earlier = journalsByForm.get(form);
    if (earlier === undefined) {
      journalsByForm.set(form, id);
      continue;
    }
    const example = renderRegNumberTemplate(journal, 1, 2021);
    for (const [one, other] of [
      [earlier, id],
      [id, earlier],
    ]) {
      problems.push({
        field: `journals.${one}.template`,
        problem: `hands out the same numbers as journals.${other}.template (such as ${example} in 2021); numbers must not repeat across journals`,
      });
    }
  }
  for (const [id, executor] of Object.entries(config.executors)) {
    const supervisor = executor.supervisor;
    if (
      supervisor !== undefined &&
      !Object.hasOwn(config.signers, supervisor) &&
      !Object.hasOwn(config.executors, supervisor)
    )
      problems.push({
        field: `executors.${id}.supervisor`,
        problem: `unknown signer or executor '${supervisor}'`,
      });
  }
  for (const kind of Object.keys(config.deadlines.byKind))
    if (!(documentKinds as readonly string[]).includes(kind))
      problems.push({
        field: `deadlines.byKind.${kind}`,
        problem: `unknown document kind; the kinds are ${documentKinds.join(', ')}`,
      });
  config.approvalRoute.forEach((approver, i) => {
    if (!Object.hasOwn(config.approvers, approver))
      problems.push({ field: `approvalRoute.${i}`, problem: `unknown approver '${approver}'` });
  });
  if (!config.journals['incoming']) problems.push({ field: 'journals.incoming', problem: 'is required' });
  if (problems.length > 0) throw new ValidationError(problems);
  return config;
}
