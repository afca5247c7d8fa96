/**
 * Outgoing letters, from the first draft to the registered reply (RECORDS-RULES.md): what a clerk
 * sends, the card (РКК) of the reply as it moves from draft to approval to signature to its number,
 * and every change as one step with the history event it leaves. Pure: the stores and the renderer
 * are the workflow tasks' business.
 */

import { z } from 'zod';
import { calendarDateProblem } from './calendar-date.ts';
import type { Config } from './config.ts';
import type { Actor } from './documents.ts';
import { ConflictError, type FieldProblem, RuleViolationError, ValidationError } from './errors.ts';
import type { LetterReference, OutgoingDraft } from './letter/letter.ts';
import { freeText, problemsOf } from './validation.ts';

const line = (max: number) => freeText(max);
const calendarDate = z.string().superRefine((value, ctx) => {
  const problem = calendarDateProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const personId = line(60);

/** What a clerk sends to prepare a reply, or a new version of it. */
export const outgoingRequestSchema = z.strictObject({
  inReplyTo: z
    .array(z.uuid())
    .max(20)
    .optional()
    .describe('Registered incoming documents this letter answers; their numbers and dates are printed'),
  references: z
    .array(z.strictObject({ number: line(100), date: calendarDate }))
    .max(20)
    .optional()
    .describe('Further documents to cite after the answered ones, such as an order'),
  addressee: z.strictObject({
    lines: z
      .array(z.union([z.literal(''), line(200)]))
      .min(1)
      .max(12)
      .describe('The addressee in the dative, line by line; an empty string is a blank line'),
    email: z.email('must be an e-mail address').optional(),
  }),
  title: z.union([line(1000), z.array(line(1000)).min(1).max(6)]).describe('The title to the text'),
  paragraphs: z.array(freeText(20_000)).min(1).max(300),
  attachments: z.array(line(500)).max(50).optional(),
  signer: personId.describe('A signer of the configuration'),
  executor: personId.describe('An executor of the configuration'),
  approvers: z
    .array(personId)
    .max(20)
    .optional()
    .describe('Who approves it before the signature, in order; the configuration’s route when absent'),
  journal: line(40)
    .optional()
    .describe('The journal the signed reply is registered in; outgoing when absent'),
});

export type OutgoingRequest = z.infer<typeof outgoingRequestSchema>;

export const outgoingStatuses = [
  'awaiting_approval',
  'returned',
  'awaiting_signature',
  'signing',
  'registered',
] as const;
export type OutgoingStatus = (typeof outgoingStatuses)[number];

/** An incoming document the reply answers, as the reply's card keeps it. */
export interface AnsweredDocument {
  readonly id: string;
  readonly regNumber: string;
  readonly regDate: string;
  readonly theirRef: LetterReference;
}

/** One version of the draft: exactly the bytes the signer signs. */
export interface DraftVersion {
  readonly version: number;
  readonly pdfKey: string;
  readonly docxKey: string;
  /** SHA-256 of the PDF, hex. */
  readonly sha256: string;
  readonly size: number;
  readonly pages: number;
  readonly createdAt: string;
  readonly createdBy: Actor;
}

export interface ApprovalDecision {
  readonly approver: string;
  readonly decision: 'approved' | 'returned';
  readonly comment?: string;
  readonly at: string;
  /** Who recorded it: the approver, or a clerk on the approver's behalf. */
  readonly recordedBy: Actor;
  /** The draft version the decision was about. */
  readonly version: number;
}

/** Who must act next, and since when: what a reminder and a clerk's worklist read. */
export interface Awaiting {
  readonly role: 'approver' | 'signer' | 'executor';
  readonly who: string;
  readonly since: string;
}

/** A finalization in progress: it holds the card until `until`; settling may release it after. */
export interface SigningClaim {
  readonly attempt: string;
  readonly signatureSha256: string;
  readonly until: string;
}

/** The change that produced a card's revision: it becomes that revision's history event. */
export interface CardChange {
  readonly revision: number;
  readonly type: string;
  readonly at: string;
  readonly actor: Actor;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The signer's certificate as the card and the archive's manifest name it. */
export interface SignerCertificate {
  readonly serial: string;
  readonly owner: string;
  /** SHA-1 of the DER, as Windows shows it. */
  readonly thumbprint: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly issuer: string;
}

/** The accepted signature, as the registered reply's card keeps it. */
export interface AcceptedSignature {
  readonly sha256: string;
  readonly verdict: 'valid';
  readonly summary: string;
  /** The moment the signature was judged at, ISO. */
  readonly signedAt: string;
  /** Where the registration date came from: a CAdES-T timestamp, the signer's signingTime, or the upload. */
  readonly dateSource: 'timestamp' | 'signingTime' | 'upload';
  readonly certificate: SignerCertificate;
  readonly stamp: readonly string[];
  readonly uploadedAt: string;
  readonly uploadedBy: Actor;
  /** Set when a clerk uploaded the signature for the signer. */
  readonly onBehalfOf?: string;
}

export interface ArchiveRecord {
  readonly prefix: string;
  readonly manifestKey: string;
  readonly letterKey: string;
  readonly manifestSha256: string;
}

/** A validated request with everything resolved: what rendering and saving a draft version need. */
export interface ReplyContent {
  readonly journal: string;
  readonly inReplyTo: readonly AnsweredDocument[];
  readonly furtherReferences: readonly LetterReference[];
  readonly addressee: { readonly lines: readonly string[]; readonly email?: string };
  readonly titleLines: readonly string[];
  readonly paragraphs: readonly string[];
  readonly attachments: readonly string[];
  readonly signer: string;
  readonly executor: string;
  readonly approvers: readonly string[];
}

/** The reply's card: its current text (as the last version has it) and where it stands. */
export interface OutgoingCard extends ReplyContent {
  readonly id: string;
  readonly direction: 'outgoing';
  readonly status: OutgoingStatus;
  /** Counts the card's changes; every write is conditional on the revision it read. */
  readonly revision: number;
  /** Every reference printed: the answered documents' numbers first, then the further ones. */
  readonly references: readonly LetterReference[];
  /** Decisions of the current round; a return starts a new round with the next version. */
  readonly approvals: readonly ApprovalDecision[];
  readonly drafts: readonly DraftVersion[];
  readonly awaiting: Awaiting | null;
  readonly signing: SigningClaim | null;
  readonly rejectedSignatures: number;
  readonly signature?: AcceptedSignature;
  readonly regNumber?: string;
  readonly regDate?: string;
  readonly regSeq?: number;
  readonly registeredAt?: string;
  readonly archive?: ArchiveRecord;
  readonly createdAt: string;
  readonly createdBy: Actor;
  readonly lastChange: CardChange;
}

/** The incoming cards a request names, as the store found them (null: no such document). */
export type AnsweredLookup = (id: string) => AnsweredDocument | null | 'not_incoming';

/**
 * Checks a reply request: its shape (ValidationError), then that what it names exists (the
 * answered documents: NotFound is a 422 here, since the request itself is what names them) and that
 * the signer, executor, approvers and journal are the office's.
 */
export function validateReply(raw: unknown, config: Config, lookup: AnsweredLookup): ReplyContent {
  const parsed = outgoingRequestSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ValidationError(problemsOf(parsed.error));
  const request = parsed.data;
  const problems: FieldProblem[] = [];
  if (request.addressee.lines.every((l) => l === ''))
    problems.push({ field: 'addressee.lines', problem: 'must name the addressee' });
  const ids = request.inReplyTo ?? [];
  if (new Set(ids).size !== ids.length)
    problems.push({ field: 'inReplyTo', problem: 'names the same document twice' });
  if (problems.length > 0) throw new ValidationError(problems);

  const journal = request.journal ?? 'outgoing';
  const rules = Object.hasOwn(config.journals, journal) ? config.journals[journal] : undefined;
  if (rules === undefined) problems.push({ field: 'journal', problem: `unknown journal '${journal}'` });
  else if (rules.direction !== 'outgoing')
    problems.push({ field: 'journal', problem: `'${journal}' is not a journal of outgoing documents` });
  if (!Object.hasOwn(config.signers, request.signer))
    problems.push({ field: 'signer', problem: `unknown signer '${request.signer}'` });
  if (!Object.hasOwn(config.executors, request.executor))
    problems.push({ field: 'executor', problem: `unknown executor '${request.executor}'` });
  const approvers = request.approvers ?? config.approvalRoute;
  approvers.forEach((approver, i) => {
    if (!Object.hasOwn(config.approvers, approver))
      problems.push({
        field: request.approvers ? `approvers.${i}` : 'approvalRoute',
        problem: `unknown approver '${approver}'`,
      });
  });
  if (new Set(approvers).size !== approvers.length)
    problems.push({ field: 'approvers', problem: 'names the same approver twice' });
  const answered: AnsweredDocument[] = [];
  ids.forEach((id, i) => {
    const found = lookup(id);
    if (found === null) problems.push({ field: `inReplyTo.${i}`, problem: `no document ${id}` });
    else if (found === 'not_incoming')
      problems.push({ field: `inReplyTo.${i}`, problem: `${id} is not a registered incoming document` });
    else answered.push(found);
  });
  if (problems.length > 0) throw new RuleViolationError(problems);

  return {
    journal,
    inReplyTo: answered,
    furtherReferences: request.references ?? [],
    addressee: {
      lines: request.addressee.lines,
      ...(request.addressee.email === undefined ? {} : { email: request.addressee.email }),
    },
    titleLines: typeof request.title === 'string' ? [request.title] : request.title,
    paragraphs: request.paragraphs,
    attachments: request.attachments ?? [],
    signer: request.signer,
    executor: request.executor,
    approvers,
  };
}

/** The references printed on the letter: «На № …» for the first answered one, then the rest. */
export function printedReferences(content: Pick<ReplyContent, 'inReplyTo' | 'furtherReferences'>) {
  return [...content.inReplyTo.map((doc) => doc.theirRef), ...content.furtherReferences];
}

/** The letter's text as the renderer takes it. */
export function letterDraftOf(content: ReplyContent | OutgoingCard): OutgoingDraft {
  return {
    references: 'references' in content ? content.references : printedReferences(content),
    addresseeLines: content.addressee.lines,
    titleLines: content.titleLines,
    paragraphs: content.paragraphs,
    attachments: content.attachments,
    signer: content.signer,
    executor: content.executor,
  };
}

/** Where draft versions are kept: each version under its own keys, never replaced. */
export function draftKeysOf(documentId: string, version: number) {
  return {
    pdfKey: `drafts/${documentId}/v${version}.pdf`,
    docxKey: `drafts/${documentId}/v${version}.docx`,
  };
}

/** Who acts first on a new version: the first approver, or the signer. */
function firstStep(content: ReplyContent, since: string): Pick<OutgoingCard, 'status' | 'awaiting'> {
  const first = content.approvers[0];
  return first === undefined
    ? { status: 'awaiting_signature', awaiting: { role: 'signer', who: content.signer, since } }
    : { status: 'awaiting_approval', awaiting: { role: 'approver', who: first, since } };
}

/** The reply's first card, with its first draft version. */
export function newReplyCard(
  id: string,
  content: ReplyContent,
  draft: DraftVersion,
  actor: Actor,
  now: Date,
): OutgoingCard {
  const at = now.toISOString();
  const step = firstStep(content, at);
  return {
    id,
    direction: 'outgoing',
    ...contentFields(content),
    ...step,
    revision: 1,
    approvals: [],
    drafts: [draft],
    signing: null,
    rejectedSignatures: 0,
    createdAt: at,
    createdBy: actor,
    lastChange: {
      revision: 1,
      type: 'drafted',
      at,
      actor,
      data: { version: draft.version, sha256: draft.sha256, status: step.status, awaiting: step.awaiting },
    },
  };
}

function contentFields(content: ReplyContent) {
  return {
    journal: content.journal,
    inReplyTo: content.inReplyTo,
    references: printedReferences(content),
    furtherReferences: content.furtherReferences,
    addressee: content.addressee,
    titleLines: content.titleLines,
    paragraphs: content.paragraphs,
    attachments: content.attachments,
    signer: content.signer,
    executor: content.executor,
    approvers: content.approvers,
  };
}

/** Statuses in which the text may still change. */
const revisable: readonly OutgoingStatus[] = ['awaiting_approval', 'returned', 'awaiting_signature'];

/** Refuses a revision of a reply that is being signed or is signed (409). */
export function assertRevisable(card: OutgoingCard): void {
  if (!revisable.includes(card.status))
    throw new ConflictError(
      `reply ${card.id} is ${card.status.replace('_', ' ')}: its text can no longer change`,
    );
}

/** The next version of the text: approval starts over, the earlier versions stay. */
export function reviseReply(
  card: OutgoingCard,
  content: ReplyContent,
  draft: DraftVersion,
  actor: Actor,
  now: Date,
): OutgoingCard {
  assertRevisable(card);
  const at = now.toISOString();
  const step = firstStep(content, at);
  const changed = changedFields(card, content);
  return {
    ...card,
    ...contentFields(content),
    ...step,
    revision: card.revision + 1,
    approvals: [],
    drafts: [...card.drafts, draft],
    lastChange: {
      revision: card.revision + 1,
      type: 'draft_revised',
      at,
      actor,
      data: { version: draft.version, sha256: draft.sha256, changed, status: step.status },
    },
  };
}

/** The fields a revision changed, with their values before and after. */
function changedFields(card: OutgoingCard, content: ReplyContent): Record<string, unknown> {
  const before = contentFields(card);
  const after = contentFields(content);
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof typeof after)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changed[key] = { before: before[key], after: after[key] };
  }
  return changed;
}

export const currentDraft = (card: OutgoingCard): DraftVersion => card.drafts.at(-1) as DraftVersion;

export interface ApprovalRequest {
  readonly approver: string;
  readonly decision: 'approve' | 'return';
  readonly comment?: string | undefined;
}

export const approvalRequestSchema = z.strictObject({
  approver: personId.describe('The approver whose decision this is'),
  decision: z.enum(['approve', 'return']),
  comment: freeText(2000, { multiline: true }).optional().describe('Required with a return'),
});

/**
 * One approver's decision. The approvers decide in order; a clerk may record a decision for the
 * approver (recorded as such). A return sends the reply back to its executor for a new version.
 */
export function decideApproval(
  card: OutgoingCard,
  request: ApprovalRequest,
  actor: Actor,
  now: Date,
): OutgoingCard {
  if (card.status !== 'awaiting_approval')
    throw new ConflictError(`reply ${card.id} is not awaiting approval (it is ${card.status})`);
  const turn = card.awaiting?.who;
  if (request.approver !== turn)
    throw new RuleViolationError([
      {
        field: 'approver',
        problem: `it is ${turn ?? 'nobody'}'s turn to approve, not ${request.approver}'s`,
      },
    ]);
  if (actor.sub !== request.approver && actor.role !== 'clerk')
    throw new RuleViolationError([
      { field: 'approver', problem: `${actor.sub} may not decide for ${request.approver}` },
    ]);
  if (request.decision === 'return' && request.comment === undefined)
    throw new ValidationError([{ field: 'comment', problem: 'is required when the reply is returned' }]);
  const at = now.toISOString();
  const decision: ApprovalDecision = {
    approver: request.approver,
    decision: request.decision === 'approve' ? 'approved' : 'returned',
    ...(request.comment === undefined ? {} : { comment: request.comment }),
    at,
    recordedBy: actor,
    version: currentDraft(card).version,
  };
  const approvals = [...card.approvals, decision];
  const next = card.approvers[approvals.length];
  const step: Pick<OutgoingCard, 'status' | 'awaiting'> =
    decision.decision === 'returned'
      ? { status: 'returned', awaiting: { role: 'executor', who: card.executor, since: at } }
      : next === undefined
        ? { status: 'awaiting_signature', awaiting: { role: 'signer', who: card.signer, since: at } }
        : { status: 'awaiting_approval', awaiting: { role: 'approver', who: next, since: at } };
  return {
    ...card,
    ...step,
    revision: card.revision + 1,
    approvals,
    lastChange: {
      revision: card.revision + 1,
      type: decision.decision === 'approved' ? 'approved' : 'returned_for_revision',
      at,
      actor,
      data: {
        ...decision,
        ...(actor.sub === request.approver ? {} : { onBehalfOf: request.approver }),
        status: step.status,
        awaiting: step.awaiting,
      },
    },
  };
}

/** What a submitted signature may do to the card now. */
export type SigningPlan =
  | { readonly kind: 'sign' }
  /** The same signature already registered this reply: answer the first result again. */
  | { readonly kind: 'already_registered' };

/**
 * Whether a signature may be taken now: the reply must await a signature (or hold a finalization
 * whose lease ran out); a reply registered with this very signature answers as before.
 */
export function planSigning(card: OutgoingCard, signatureSha256: string, now: Date): SigningPlan {
  if (card.status === 'registered') {
    if (card.signature?.sha256 === signatureSha256) return { kind: 'already_registered' };
    throw new ConflictError(`reply ${card.id} is already signed and registered as ${card.regNumber ?? ''}`);
  }
  if (card.status === 'signing' && card.signing !== null && Date.parse(card.signing.until) > now.getTime())
    throw new ConflictError(`a signature of reply ${card.id} is being finalized right now`);
  if (card.status !== 'awaiting_signature' && card.status !== 'signing')
    throw new ConflictError(`reply ${card.id} is not awaiting a signature (it is ${card.status})`);
  return { kind: 'sign' };
}

/** The card held by one finalization, with the submission recorded. */
export function claimSigning(
  card: OutgoingCard,
  claim: SigningClaim,
  submission: Readonly<Record<string, unknown>>,
  actor: Actor,
  now: Date,
): OutgoingCard {
  return {
    ...card,
    status: 'signing',
    signing: claim,
    revision: card.revision + 1,
    lastChange: {
      revision: card.revision + 1,
      type: 'signature_accepted',
      at: now.toISOString(),
      actor,
      data: { ...submission, attempt: claim.attempt, version: currentDraft(card).version },
    },
  };
}

/** A signature that did not pass: the reply still awaits one, and the history says why. */
export function rejectSignature(
  card: OutgoingCard,
  rejection: Readonly<Record<string, unknown>>,
  actor: Actor,
  now: Date,
): OutgoingCard {
  return {
    ...card,
    rejectedSignatures: card.rejectedSignatures + 1,
    revision: card.revision + 1,
    lastChange: {
      revision: card.revision + 1,
      type: 'signature_rejected',
      at: now.toISOString(),
      actor,
      data: { ...rejection, version: currentDraft(card).version },
    },
  };
}

/** A finalization that failed or died before its number was registered: the reply awaits a signature again. */
export function releaseSigning(card: OutgoingCard, attempt: string, reason: string, now: Date): OutgoingCard {
  if (card.status !== 'signing' || card.signing?.attempt !== attempt)
    throw new ConflictError(`finalization ${attempt} no longer holds reply ${card.id}`);
  const at = now.toISOString();
  return {
    ...card,
    status: 'awaiting_signature',
    signing: null,
    awaiting: { role: 'signer', who: card.signer, since: at },
    revision: card.revision + 1,
    lastChange: {
      revision: card.revision + 1,
      type: 'finalization_abandoned',
      at,
      actor: systemActor,
      data: { attempt, reason },
    },
  };
}

export interface ReplyRegistration {
  readonly attempt: string;
  readonly regNumber: string;
  readonly regDate: string;
  readonly regSeq: number;
  readonly signature: AcceptedSignature;
  readonly archive: ArchiveRecord;
}

/** The signed reply, numbered and archived. */
export function registerReply(
  card: OutgoingCard,
  registration: ReplyRegistration,
  actor: Actor,
  now: Date,
): OutgoingCard {
  if (card.status === 'registered' && card.regNumber === registration.regNumber) return card;
  if (card.status !== 'signing' || card.signing?.attempt !== registration.attempt)
    throw new ConflictError(`finalization ${registration.attempt} no longer holds reply ${card.id}`);
  const at = now.toISOString();
  const { attempt: _attempt, ...registered } = registration;
  return {
    ...card,
    ...registered,
    status: 'registered',
    signing: null,
    awaiting: null,
    registeredAt: at,
    revision: card.revision + 1,
    lastChange: {
      revision: card.revision + 1,
      type: 'registered',
      at,
      actor,
      data: {
        regNumber: registration.regNumber,
        regDate: registration.regDate,
        dateSource: registration.signature.dateSource,
        signatureSha256: registration.signature.sha256,
        certificate: registration.signature.certificate,
        archive: registration.archive,
      },
    },
  };
}

/** The claim key a finalization's number is recorded with: settling releases the reply by it. */
export const signingClaimKey = (attempt: string) => `signing#${attempt}`;
export const signingAttemptOf = (claimKey: string): string | null =>
  claimKey.startsWith('signing#') ? claimKey.slice('signing#'.length) : null;

export const systemActor: Actor = { sub: 'docroute', role: 'system' };
