/**
 * The office's summary for a period, as offices report it («поступило 129 обращений, из них на
 * «Телефон доверия Главы» - 10»): documents and citizens' appeals received, by kind and by channel,
 * and of them how many are answered, answered on time, overdue and still open.
 */

import type { IncomingCard } from './documents.ts';

export interface SummaryCounts {
  readonly received: number;
  readonly answered: number;
  /** Answered by a reply registered on or before the legal deadline. */
  readonly answeredOnTime: number;
  /** Past the control date unanswered, or answered after the deadline. */
  readonly overdue: number;
  /** On control and not yet answered or closed. */
  readonly open: number;
}

export interface SummaryReport {
  readonly from: string;
  readonly to: string;
  /** The day the open and overdue counts are taken on. */
  readonly asOf: string;
  readonly total: SummaryCounts;
  readonly citizenAppeals: SummaryCounts & { readonly byChannel: Readonly<Record<string, SummaryCounts>> };
  readonly byKind: Readonly<Record<string, SummaryCounts>>;
  readonly byChannel: Readonly<Record<string, SummaryCounts>>;
}

const zero: SummaryCounts = { received: 0, answered: 0, answeredOnTime: 0, overdue: 0, open: 0 };

function countsOf(card: IncomingCard, asOf: string): SummaryCounts {
  const firstReply = card.answeredBy?.[0];
  const control = card.control;
  const answered = firstReply !== undefined || control?.closed?.how === 'report_accepted';
  const answeredOn = firstReply?.regDate ?? control?.closed?.at.slice(0, 10);
  const onTime = answered && (control == null || (answeredOn !== undefined && answeredOn <= control.dueDate));
  const open = !answered && control?.state === 'open';
  const overdue = control != null && ((open && asOf > control.controlDate) || (answered && !onTime));
  return {
    received: 1,
    answered: answered ? 1 : 0,
    answeredOnTime: onTime ? 1 : 0,
    overdue: overdue ? 1 : 0,
    open: open ? 1 : 0,
  };
}

const add = (a: SummaryCounts, b: SummaryCounts): SummaryCounts => ({
  received: a.received + b.received,
  answered: a.answered + b.answered,
  answeredOnTime: a.answeredOnTime + b.answeredOnTime,
  overdue: a.overdue + b.overdue,
  open: a.open + b.open,
});

function addTo(groups: Record<string, SummaryCounts>, key: string, counts: SummaryCounts) {
  groups[key] = add(groups[key] ?? zero, counts);
}

/** Folds the incoming documents registered from `from` to `to` (inclusive) into the report. */
export function summaryReport(
  cards: Iterable<IncomingCard>,
  period: { readonly from: string; readonly to: string; readonly asOf: string },
): SummaryReport {
  let total = zero;
  let appeals = zero;
  const byKind: Record<string, SummaryCounts> = {};
  const byChannel: Record<string, SummaryCounts> = {};
  const appealsByChannel: Record<string, SummaryCounts> = {};
  for (const card of cards) {
    if (card.regDate < period.from || card.regDate > period.to) continue;
    const counts = countsOf(card, period.asOf);
    total = add(total, counts);
    addTo(byKind, card.kind, counts);
    addTo(byChannel, card.channel, counts);
    if (card.kind === 'citizen_appeal') {
      appeals = add(appeals, counts);
      addTo(appealsByChannel, card.channel, counts);
    }
  }
  return { ...period, total, citizenAppeals: { ...appeals, byChannel: appealsByChannel }, byKind, byChannel };
}

export const kindNames: Readonly<Record<string, string>> = {
  request: 'Запросы',
  citizen_appeal: 'Обращения граждан',
  appeal: 'Обращения организаций',
  letter: 'Письма',
  order: 'Распорядительные документы',
  notice: 'Уведомления',
  other: 'Прочие',
};

export const channelNames: Readonly<Record<string, string>> = {
  post: 'Почта',
  email: 'Электронная почта',
  medo: 'МЭДО',
  courier: 'Курьер',
  reception: 'Личный приём',
  hotline: '«Телефон доверия»',
  fax: 'Факс',
};

/** The report as rows of a table: a group, then its five counts. */
export function summaryRows(report: SummaryReport): (string | number)[][] {
  const row = (label: string, c: SummaryCounts) => [
    label,
    c.received,
    c.answered,
    c.answeredOnTime,
    c.overdue,
    c.open,
  ];
  return [
    ['', 'Поступило', 'Рассмотрено', 'В срок', 'Просрочено', 'На контроле'],
    row('Всего документов', report.total),
    ...Object.entries(report.byKind).map(([kind, c]) => row(`Вид: ${kindNames[kind] ?? kind}`, c)),
    ...Object.entries(report.byChannel).map(([channel, c]) =>
      row(`Канал: ${channelNames[channel] ?? channel}`, c),
    ),
    row('Обращения граждан', report.citizenAppeals),
    ...Object.entries(report.citizenAppeals.byChannel).map(([channel, c]) =>
      row(`  из них: ${channelNames[channel] ?? channel}`, c),
    ),
  ];
}
