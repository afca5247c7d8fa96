/**
 * A registration journal as the paper journal has it: one row per number, from the first number to
 * the counter's last, with its document's card fields or what became of the number. Pure: the rows
 * are made page by page from entries and cards the caller reads, so a year of any size is exported
 * with the memory of one page.
 */

import { formatRussianDate } from './calendar-date.ts';
import type { Config } from './config.ts';
import type { DocumentKind } from './document-kinds.ts';
import { type DocumentCard, isIncoming } from './documents.ts';
import type { deliveryChannels } from './incoming.ts';
import {
  isVoided,
  type JournalEntry,
  latestTakingTimes,
  leaseRunning,
  missingNumberState,
  type NumberState,
} from './numbering.ts';

export const journalExportFormats = ['csv', 'xlsx'] as const;
export type JournalExportFormat = (typeof journalExportFormats)[number];

export type Cell = string | number;
export type JournalRow = readonly Cell[];

/** A journal's direction, as the configuration gives it. */
export type JournalDirection = 'incoming' | 'outgoing' | 'internal';

/**
 * The columns of the paper journal; an outgoing (or internal) journal names the addressee, the
 * letter it answers and the signer.
 */
export function journalColumns(direction: JournalDirection): readonly string[] {
  const incoming = direction === 'incoming';
  return [
    '№ п/п',
    'Рег. номер',
    'Дата регистрации',
    incoming ? 'Корреспондент' : 'Адресат',
    incoming ? 'Исх. номер и дата корреспондента' : 'На №',
    'Вид документа',
    'Краткое содержание',
    // An outgoing letter is not received through a channel; its journal records who signed it.
    incoming ? 'Канал поступления' : 'Подписал',
    'Исполнитель',
    'Срок исполнения',
    'Отметка об исполнении',
    'Состояние номера',
  ];
}

const kindNames: Record<DocumentKind, string> = {
  request: 'Запрос',
  citizen_appeal: 'Обращение гражданина',
  appeal: 'Обращение',
  letter: 'Письмо',
  order: 'Распоряжение',
  notice: 'Уведомление',
  other: 'Иное',
};

const channelNames: Record<(typeof deliveryChannels)[number], string> = {
  post: 'Почта',
  email: 'Электронная почта',
  medo: 'МЭДО',
  courier: 'Курьер',
  reception: 'Личный приём',
  hotline: 'Телефон доверия',
  fax: 'Факс',
};

const stateNames: Record<Exclude<NumberState, 'voided'>, string> = {
  registered: 'зарегистрирован',
  in_progress: 'в работе',
  interrupted: 'прерван',
};

const outgoingStatusNames: Record<string, string> = {
  awaiting_approval: 'на согласовании',
  returned: 'возвращён на доработку',
  awaiting_signature: 'на подписи',
  signing: 'подписывается',
  registered: 'зарегистрирован',
};

/** What the rows are made with: the journal, its counter as read when the export began, and the clock. */
export interface JournalExportContext {
  readonly direction: JournalDirection;
  readonly year: number;
  /** A journal that never resets lists only the numbers registered in `year` (as the JSON listing does). */
  readonly resetsYearly: boolean;
  readonly firstNumber: number;
  /** The counter's last number; null when the journal and year never handed out one. */
  readonly lastNumber: number | null;
  readonly lastTakenAt: string | null;
  readonly now: Date;
  readonly leaseMs: number;
  readonly executors: Config['executors'];
  readonly signers: Config['signers'];
}

/** One page of entries, in seq order, with the cards they name (null: no such card). */
export interface JournalPage {
  readonly entries: readonly JournalEntry[];
  readonly cards: ReadonlyMap<string, DocumentCard | null>;
}

const date = (calendarDate: string | undefined) =>
  calendarDate === undefined ? '' : formatRussianDate(calendarDate);

/**
 * Every row from the first number to the counter's last, as the pages arrive: a number with no
 * entry is in progress or interrupted by the latest time it can have been taken. That bound is
 * computed within the page the gap falls in (and the counter's last take), which is exact while
 * numbers more than a page apart were not taken in the opposite order of their clocks.
 */
export async function* journalRows(
  context: JournalExportContext,
  pages: AsyncIterable<JournalPage>,
): AsyncGenerator<JournalRow> {
  const last = context.lastNumber ?? context.firstNumber - 1;
  let next = context.firstNumber;
  let ordinal = 0;
  const missing = (seq: number, bound: number | undefined): JournalRow =>
    gapRow(++ordinal, seq, missingNumberState(bound, context.now, context.leaseMs));

  for await (const page of pages) {
    const inRange = page.entries.filter((e) => e.seq >= next && e.seq <= last);
    if (inRange.length === 0) continue;
    const pageLast = inRange[inRange.length - 1]?.seq ?? next;
    const bySeq = new Map(inRange.map((e) => [e.seq, e]));
    // Times only for this page's span, bounded above by the counter's last take.
    const takenBy = latestTakingTimes(bySeq, next, pageLast, context.lastTakenAt);
    const from = next;
    for (let seq = from; seq <= pageLast; seq++) {
      const entry = bySeq.get(seq);
      if (entry === undefined) {
        yield missing(seq, takenBy[seq - from]);
        continue;
      }
      // A journal that never resets keeps other years' numbers; the listing leaves them out.
      if (
        !context.resetsYearly &&
        entry.regDate !== undefined &&
        !entry.regDate.startsWith(String(context.year))
      )
        continue;
      const card = isVoided(entry) ? null : (page.cards.get(entry.documentId) ?? null);
      yield entryRow(context, ++ordinal, entry, card);
    }
    next = pageLast + 1;
  }
  // Numbers after the last entry: taken, never recorded.
  const rest = latestTakingTimes(new Map(), next, last, context.lastTakenAt);
  for (let seq = next; seq <= last; seq++) yield missing(seq, rest[seq - next]);
}

function gapRow(ordinal: number, seq: number, state: 'in_progress' | 'interrupted'): JournalRow {
  // Its registration number is unknown: it was never recorded, only taken.
  return [ordinal, `(№ ${seq})`, '', '', '', '', '', '', '', '', '', stateNames[state]];
}

function entryRow(
  context: JournalExportContext,
  ordinal: number,
  entry: JournalEntry,
  card: DocumentCard | null,
): JournalRow {
  const head = [ordinal, entry.regNumber, date(entry.regDate)];
  if (isVoided(entry)) {
    return [...head, '', '', '', '', '', '', '', '', `аннулирован: ${entry.voided.reason}`];
  }
  const state =
    entry.inProgress === undefined
      ? stateNames.registered
      : leaseRunning(entry.inProgress.until, context.now)
        ? stateNames.in_progress
        : stateNames.interrupted;
  if (card === null) return [...head, '', '', '', '', '', '', '', '', state];
  const executor = context.executors[card.executor]?.fullName ?? card.executor;
  if (isIncoming(card)) {
    const correspondent = [card.correspondent.organization, card.correspondent.person]
      .filter((part) => part !== undefined && part !== '')
      .join(', ');
    const answered =
      card.answeredBy !== undefined && card.answeredBy.length > 0
        ? card.answeredBy.map((r) => `ответ № ${r.regNumber} от ${date(r.regDate)}`).join('; ')
        : card.control?.state === 'done'
          ? 'исполнено'
          : card.control?.state === 'removed'
            ? 'снято с контроля'
            : card.status === 'answered'
              ? 'отвечено'
              : 'на исполнении';
    return [
      ...head,
      correspondent,
      `№ ${card.theirRef.number} от ${date(card.theirRef.date)}`,
      kindNames[card.kind],
      card.subject,
      channelNames[card.channel],
      executor,
      date(card.control?.dueDate ?? card.dueDate),
      answered,
      state,
    ];
  }
  const signer = context.signers[card.signer]?.fullName ?? card.signer;
  const signature =
    card.signature === undefined
      ? (outgoingStatusNames[card.status] ?? card.status)
      : `подписан ЭП: ${card.signature.certificate.owner}, ${card.signature.signedAt.slice(0, 10).split('-').reverse().join('.')}`;
  return [
    ...head,
    card.addressee.lines.filter((l) => l !== '').join(' '),
    card.references.map((r) => `№ ${r.number} от ${date(r.date)}`).join('; '),
    'Письмо',
    card.titleLines.join(' '),
    signer,
    executor,
    '',
    signature,
    state,
  ];
}

/** A cell as Russian Excel reads CSV: quoted when it holds a semicolon, a quote or a line break. */
export function csvCell(value: Cell): string {
  const text = String(value);
  return /[";\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, semicolon-separated and ended with CRLF. */
export const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvCell).join(';')}\r\n`;

/** The byte order mark that tells Excel the file is UTF-8. */
export const csvBom = '\uFEFF';

/** The context of a journal's export for a year, from its configuration and its counter as read now. */
export function journalExportContext(
  config: Pick<Config, 'journals' | 'executors' | 'signers'>,
  journal: string,
  year: number,
  counter: { readonly last: number | null; readonly lastTakenAt: string | null } | null,
  now: Date,
  leaseMs: number,
): JournalExportContext {
  const rules = config.journals[journal];
  if (rules === undefined) throw new Error(`no journal '${journal}'`);
  return {
    direction: rules.direction,
    year,
    resetsYearly: rules.resetsYearly,
    firstNumber: rules.resetsYearly ? (rules.startingNumbers[String(year)] ?? 1) : 1,
    lastNumber: counter?.last ?? null,
    lastTakenAt: counter?.lastTakenAt ?? null,
    now,
    leaseMs,
    executors: config.executors,
    signers: config.signers,
  };
}
