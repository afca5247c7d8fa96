/**
 * The outgoing letter as its visualisation reads (ГОСТ Р 7.0.97-2025): every requisite as the
 * lines to print, built from a reply draft and the office's configuration. Pure: no fonts, no
 * PDF; a renderer decides only where the lines go.
 */

import { calendarDateProblem, formatRussianDate } from '../calendar-date.ts';
import type { Config } from '../config.ts';
import { type FieldProblem, RuleViolationError, ValidationError } from '../errors.ts';
import type { Stamp } from '../signatures/stamp.ts';

/** A document the letter answers or cites: «На № 25-24/6781 от 10.06.2014 г.». */
export interface LetterReference {
  readonly number: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
}

/** A reply before it is signed and registered: what its author wrote and chose. */
export interface OutgoingDraft {
  readonly references: readonly LetterReference[];
  /** The addressee in the dative case, line by line; an empty string is a blank line. */
  readonly addresseeLines: readonly string[];
  /** The title to the text, line by line («Информация», «о ходе выполнения …»). */
  readonly titleLines: readonly string[];
  readonly paragraphs: readonly string[];
  /** Requisite 19: each attachment as it is to be listed («Справка на 2 л. в 1 экз.»). */
  readonly attachments?: readonly string[];
  /** A key of `signers` in the configuration. */
  readonly signer: string;
  /** A key of `executors` in the configuration. */
  readonly executor: string;
}

/** What the letter gains when it is signed and registered. */
export interface LetterRegistration {
  readonly documentId: string;
  readonly regNumber: string;
  /** `YYYY-MM-DD`. */
  readonly regDate: string;
  /** The five lines of the electronic-signature mark ({@link signatureStamp}). */
  readonly stamp: Stamp;
  /** SHA-256 of the signed original, 64 hex digits. */
  readonly signedSha256: string;
}

export interface Letter {
  readonly kind: 'draft' | 'registered';
  readonly letterhead: {
    /** АДМИНИСТРАЦИЯ / КРАСНОГВАРДЕЙСКОГО / …, printed bold. */
    readonly nameLines: readonly string[];
    /** Address, phones, e-mail, website, codes: the reference data. */
    readonly detailLines: readonly string[];
  };
  /** «23.12.2021» and «07-04/11180»; null on a draft (the blanks stay empty). */
  readonly registration: { readonly date: string; readonly number: string } | null;
  /** «На № 25-24/6781 от 10.06.2014 г.», then «№ 239-р от 17.04.2013 г.» for each further one. */
  readonly referenceLines: readonly string[];
  readonly addresseeLines: readonly string[];
  readonly titleLines: readonly string[];
  readonly paragraphs: readonly string[];
  /** «Приложение: …», one line an attachment; empty when there are none. */
  readonly attachmentLines: readonly string[];
  readonly signer: { readonly positionLines: readonly string[]; readonly shortName: string };
  /** The framed five-line mark; null on a draft. */
  readonly mark: Stamp | null;
  readonly executor: { readonly name: string; readonly phone: string };
  /** Requisite 31: the document id and the SHA-256 of the signed original; null on a draft. */
  readonly qrPayload: string | null;
  /** The date the file carries as its creation date (`YYYY-MM-DD`): the registration date, or the draft's. */
  readonly fileDate: string;
  /** The document's title for the file's metadata. */
  readonly subject: string;
}

/** ГОСТ Р 7.0.97-2025 and the office's choices, in millimetres and points. */
export const letterLayout = {
  page: { widthMm: 210, heightMm: 297 },
  /** ГОСТ Р 7.0.97 (6.1): left 20 mm at least, right 10, top 20, bottom 20; the office's left is 30 mm. */
  marginsMm: { left: 30, right: 10, top: 20, bottom: 20 },
  bodySizePt: 14,
  /** 1.25 cm paragraph indent. */
  paragraphIndentMm: 12.5,
  letterheadNameSizePt: 12,
  letterheadDetailSizePt: 9,
  registrationSizePt: 12,
  markSizePt: 8,
  executorSizePt: 10,
  pageNumberSizePt: 12,
  /** The corner letterhead's column and the addressee's column start. */
  letterheadWidthMm: 80,
  addresseeLeftMm: 95,
  /** The QR code with its quiet zone, bottom right of page 1. */
  qrSizeMm: 22,
} as const;

/**
 * The letter's parts that are never hyphenated: everything but the body paragraphs. A hyphenated
 * requisite would read back broken («Ставропольско-» / «го») and would not be found by a search.
 */
export const neverHyphenated = [
  'letterhead',
  'registration',
  'referenceLines',
  'addresseeLines',
  'titleLines',
  'attachmentLines',
  'signer',
  'mark',
  'executor',
] as const satisfies readonly (keyof Letter)[];

/** Every requisite's text as it must read back from the visualisation, one string a line. */
export function requisiteLines(letter: Letter): string[] {
  return [
    ...letter.letterhead.nameLines,
    ...letter.letterhead.detailLines,
    ...(letter.registration ? [registrationLine(letter.registration)] : []),
    ...letter.referenceLines,
    ...letter.addresseeLines.filter((line) => line !== ''),
    ...letter.titleLines,
    ...letter.attachmentLines,
    ...letter.signer.positionLines,
    letter.signer.shortName,
    ...(letter.mark ?? []),
    letter.executor.name,
    letter.executor.phone,
  ];
}

/** «23.12.2021 № 07-04/11180». */
export function registrationLine(registration: { readonly date: string; readonly number: string }): string {
  return `${registration.date} № ${registration.number}`;
}

/** The letterhead's reference data as the seed prints it, from `organization`. */
export function letterheadDetails(organization: Config['organization']): string[] {
  const phones = [`тел.: ${organization.phone}`, ...(organization.fax ? [`факс: ${organization.fax}`] : [])];
  return [
    organization.address,
    phones.join(', '),
    `e-mail: ${organization.email}`,
    ...(organization.website ? [organization.website] : []),
    `ОКПО ${organization.okpo}, ОГРН ${organization.ogrn},`,
    `ИНН ${organization.inn}`,
  ];
}

/** «На № 25-24/6781 от 10.06.2014 г.» for the first reference, «№ … от … г.» for the others. */
export function referenceLines(references: readonly LetterReference[]): string[] {
  return references.map(
    (reference, i) =>
      `${i === 0 ? 'На ' : ''}№ ${reference.number} от ${formatRussianDate(reference.date)} г.`,
  );
}

/** «Приложение: …» for one attachment; a numbered list after «Приложение:» for several. */
export function attachmentLines(attachments: readonly string[]): string[] {
  if (attachments.length === 0) return [];
  if (attachments.length === 1) return [`Приложение: ${attachments[0]}`];
  return attachments.map((a, i) => `${i === 0 ? 'Приложение: ' : ''}${i + 1}. ${a}`);
}

/** `docroute:<id>;sha256:<hex>`: what the QR code carries. */
export function qrPayloadOf(documentId: string, signedSha256: string): string {
  return `docroute:document/${documentId};sha256:${signedSha256.toLowerCase()}`;
}

function draftProblems(draft: OutgoingDraft): FieldProblem[] {
  const problems: FieldProblem[] = [];
  draft.references.forEach((reference, i) => {
    if (reference.number.trim() === '')
      problems.push({ field: `references.${i}.number`, problem: 'must not be empty' });
    const dateProblem = calendarDateProblem(reference.date);
    if (dateProblem) problems.push({ field: `references.${i}.date`, problem: dateProblem });
  });
  if (draft.addresseeLines.every((line) => line.trim() === ''))
    problems.push({ field: 'addresseeLines', problem: 'must name the addressee' });
  if (draft.paragraphs.length === 0 || draft.paragraphs.some((p) => p.trim() === ''))
    problems.push({ field: 'paragraphs', problem: 'must be at least one paragraph, none empty' });
  if (draft.titleLines.some((line) => line.trim() === ''))
    problems.push({ field: 'titleLines', problem: 'must not hold an empty line' });
  return problems;
}

function registrationProblems(registration: LetterRegistration): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (registration.documentId.trim() === '')
    problems.push({ field: 'documentId', problem: 'must not be empty' });
  if (registration.regNumber.trim() === '')
    problems.push({ field: 'regNumber', problem: 'must not be empty' });
  const dateProblem = calendarDateProblem(registration.regDate);
  if (dateProblem) problems.push({ field: 'regDate', problem: dateProblem });
  if (!/^[0-9a-fA-F]{64}$/.test(registration.signedSha256))
    problems.push({ field: 'signedSha256', problem: 'must be 64 hex digits' });
  return problems;
}

/**
 * The letter for a draft: without `registration` it is the draft's visualisation (no number, no
 * date, no mark, no QR code), dated `draftDate`; with it, the registered copy.
 */
export function buildLetter(
  draft: OutgoingDraft,
  config: Pick<Config, 'organization' | 'signers' | 'executors'>,
  options: { readonly registration: LetterRegistration } | { readonly draftDate: string },
): Letter {
  const problems = draftProblems(draft);
  const registration = 'registration' in options ? options.registration : null;
  if (registration) problems.push(...registrationProblems(registration));
  else {
    const dateProblem = calendarDateProblem((options as { draftDate: string }).draftDate);
    if (dateProblem) problems.push({ field: 'draftDate', problem: dateProblem });
  }
  if (problems.length > 0) throw new ValidationError(problems);

  const signer = config.signers[draft.signer];
  const executor = config.executors[draft.executor];
  const unknown: FieldProblem[] = [];
  if (!signer) unknown.push({ field: 'signer', problem: `${draft.signer} is not a configured signer` });
  if (!executor)
    unknown.push({ field: 'executor', problem: `${draft.executor} is not a configured executor` });
  if (!signer || !executor) throw new RuleViolationError(unknown);

  return {
    kind: registration ? 'registered' : 'draft',
    letterhead: {
      nameLines: config.organization.nameLines,
      detailLines: letterheadDetails(config.organization),
    },
    registration: registration
      ? { date: formatRussianDate(registration.regDate), number: registration.regNumber }
      : null,
    referenceLines: referenceLines(draft.references),
    addresseeLines: draft.addresseeLines,
    titleLines: draft.titleLines,
    paragraphs: draft.paragraphs,
    attachmentLines: attachmentLines(draft.attachments ?? []),
    signer: { positionLines: signer.positionLines, shortName: signer.shortName },
    mark: registration ? registration.stamp : null,
    executor: { name: executor.fullName, phone: executor.phone },
    qrPayload: registration ? qrPayloadOf(registration.documentId, registration.signedSha256) : null,
    fileDate: registration ? registration.regDate : (options as { draftDate: string }).draftDate,
    subject: draft.titleLines.join(' '),
  };
}
