import { archiveObjects, certificateObjectName } from '../domain/archive.ts';
import { formatRussianDate } from '../domain/calendar-date.ts';
import { isIncoming, isOutgoing } from '../domain/documents.ts';
import { type OutgoingCard, systemActor } from '../domain/outgoing.ts';
import type { MailAttachment } from '../ports/mailer.ts';
import { appendEvents } from './append-event.ts';
import { blobs } from './lambda/blobs.ts';
import { clock, newId, registrationLeaseMs } from './lambda/clock.ts';
import { config } from './lambda/config.ts';
import { documents, events, notifications } from './lambda/dynamodb.ts';
import { mailer } from './lambda/mailer.ts';
import { lambdaHandler } from './lambda.ts';
import { mailFromOf } from './send-reminder.ts';
import { type DepName, defineTask, type TaskDeps } from './task.ts';

export interface DispatchReplyInput {
  readonly reply: OutgoingCard;
}

export interface DispatchOutcome {
  readonly key: string;
  /** False when an earlier run dispatched it already (or is dispatching it now). */
  readonly dispatched: boolean;
  readonly status?: string;
}

/**
 * Sends a registered reply to its addressee (the reply's address, else the correspondent's of the
 * request it answers) with the registered copy, the signed original, its signature and the
 * signer's certificate attached: once, through the outbox; sent, delivered to the server or failed,
 * in the reply's history.
 */
/** What sending a reply takes; settling sends one its finalization left unsent, so it uses these too. */
export const dispatchUses = [
  'documents',
  'events',
  'notifications',
  'mailer',
  'blobs',
  'config',
  'clock',
  'newId',
  'registrationLeaseMs',
] as const satisfies readonly DepName[];
export type DispatchDeps = Pick<TaskDeps, (typeof dispatchUses)[number]>;

export const dispatchReply = defineTask(
  'dispatch-reply',
  dispatchUses,
  async ({ reply }: DispatchReplyInput, deps): Promise<DispatchOutcome> => dispatch(deps, reply),
);

export async function dispatch(deps: DispatchDeps, reply: OutgoingCard): Promise<DispatchOutcome> {
  const { notifications, mailer, events, config, clock, newId, registrationLeaseMs } = deps;
  const key = `dispatch#${reply.id}`;
  if (
    !isOutgoing(reply) ||
    reply.archive === undefined ||
    reply.regNumber === undefined ||
    reply.regDate === undefined
  )
    return { key, dispatched: false };
  const to = reply.addressee.email ?? (await correspondentEmail(deps, reply));
  const number = `№ ${reply.regNumber} от ${formatRussianDate(reply.regDate)}`;
  const subject = `${number}: ${reply.titleLines.join(' ')}`.slice(0, 250);
  const certificate = reply.signature?.certificate;
  const text = [
    `${config.organization.shortName} направляет письмо ${number} «${reply.titleLines.join(' ')}».`,
    ...(reply.references[0]
      ? [`На № ${reply.references[0].number} от ${formatRussianDate(reply.references[0].date)}.`]
      : []),
    '',
    `Документ подписан электронной подписью: сертификат ${certificate?.serial ?? ''}, владелец ${certificate?.owner ?? ''}.`,
    'Вложения: визуализация письма (letter.pdf), подписанный документ (original.pdf), файл подписи (signature.p7s), сертификат подписавшего (certificate.cer).',
    '',
    `Исполнитель: ${config.executors[reply.executor]?.fullName ?? reply.executor}, ${config.executors[reply.executor]?.phone ?? ''}`,
  ].join('\n');
  const now = clock.now();
  const attempt = newId();
  const claimed = await notifications.claim(
    {
      key,
      kind: 'dispatch',
      documentId: reply.id,
      recipient: reply.addressee.lines
        .filter((l) => l !== '')
        .join(' ')
        .slice(0, 300),
      to: to === null ? [] : [to],
      subject,
      text,
      status: 'pending',
      createdAt: now.toISOString(),
      attempt,
      until: new Date(now.getTime() + registrationLeaseMs).toISOString(),
    },
    now.toISOString(),
  );
  if (!claimed) return { key, dispatched: false };
  const outcome =
    to === null
      ? {
          status: 'failed' as const,
          detail: 'neither the reply nor the request it answers names an e-mail address',
        }
      : await mailer.send({
          messageId: `<dispatch.${reply.id}@docroute>`,
          from: mailFromOf(config),
          to: [to],
          subject,
          text,
          attachments: await attachmentsOf(deps, reply),
          date: new Date(reply.registeredAt ?? now.toISOString()),
        });
  const sentAt = clock.now().toISOString();
  await notifications.settle(key, attempt, { ...outcome, sentAt });
  await appendEvents(events, reply.id, () => [
    {
      type: 'dispatched',
      at: sentAt,
      actor: systemActor,
      data: { key, to, status: outcome.status, detail: outcome.detail },
    },
  ]);
  return { key, dispatched: true, status: outcome.status };
}

async function correspondentEmail(
  deps: Pick<TaskDeps, 'documents'>,
  reply: OutgoingCard,
): Promise<string | null> {
  for (const answered of reply.inReplyTo) {
    const card = await deps.documents.get(answered.id);
    if (card !== null && isIncoming(card) && card.correspondent.email !== undefined)
      return card.correspondent.email;
  }
  return null;
}

async function attachmentsOf(deps: Pick<TaskDeps, 'blobs'>, reply: OutgoingCard): Promise<MailAttachment[]> {
  const prefix = reply.archive?.prefix ?? '';
  const files = [
    { key: reply.archive?.letterKey ?? '', filename: 'letter.pdf' },
    { key: `${prefix}${archiveObjects.original.name}`, filename: 'original.pdf' },
    { key: `${prefix}${archiveObjects.signature.name}`, filename: 'signature.p7s' },
    { key: `${prefix}${certificateObjectName(0)}`, filename: 'certificate.cer' },
  ];
  const attachments: MailAttachment[] = [];
  for (const file of files) {
    const blob = await deps.blobs.get(file.key);
    if (blob === null) throw new Error(`${file.key} is missing from the archive`);
    attachments.push({ filename: file.filename, contentType: blob.contentType, content: blob.bytes });
  }
  return attachments;
}

export const handler = lambdaHandler(dispatchReply, {
  config,
  clock,
  newId,
  registrationLeaseMs,
  documents,
  events,
  notifications,
  blobs,
  mailer,
});
