import { systemActor } from '../domain/outgoing.ts';
import type { Reminder } from '../domain/reminders.ts';
import { appendEvents } from './append-event.ts';
import { clock, newId, registrationLeaseMs } from './lambda/clock.ts';
import { config } from './lambda/config.ts';
import { events, notifications } from './lambda/dynamodb.ts';
import { mailer } from './lambda/mailer.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask, type TaskDeps } from './task.ts';

export interface SendReminderInput {
  readonly reminder: Reminder;
  readonly at: string;
}

export interface SendReminderOutput {
  readonly key: string;
  /** False when another sweep sent it, or is sending it now. */
  readonly sent: boolean;
  readonly status?: string;
}

/** The From of the office's notifications. */
export const mailFromOf = (config: TaskDeps['config']) =>
  config.mail.from ?? `${config.organization.shortName} <${config.organization.email}>`;

/**
 * Sends one reminder exactly once: its key is claimed in the outbox first (a second sweep, or a retry,
 * finds it and stops), then mailed, then what the mailer said is recorded in the outbox and in the
 * document's history. A sender that died holding a key is taken over once its hold runs out.
 */
export const sendReminder = defineTask(
  'send-reminder',
  ['notifications', 'mailer', 'config', 'clock', 'newId', 'registrationLeaseMs', 'events'],
  async ({ reminder, at }: SendReminderInput, deps): Promise<SendReminderOutput> => {
    const { notifications, mailer, config, clock, newId, registrationLeaseMs, events } = deps;
    const now = clock.now();
    const attempt = newId();
    const claimed = await notifications.claim(
      {
        key: reminder.key,
        kind: 'reminder',
        documentId: reminder.documentId,
        recipient: reminder.recipient,
        to: reminder.email === null ? [] : [reminder.email],
        subject: reminder.subject,
        text: reminder.text,
        threshold: reminder.threshold,
        day: reminder.day,
        status: 'pending',
        createdAt: now.toISOString(),
        attempt,
        until: new Date(now.getTime() + registrationLeaseMs).toISOString(),
      },
      now.toISOString(),
    );
    if (!claimed) return { key: reminder.key, sent: false };
    const outcome =
      reminder.email === null
        ? { status: 'failed' as const, detail: `no e-mail address is configured for ${reminder.recipient}` }
        : await mailer.send({
            messageId: `<${reminder.key.replaceAll('#', '.')}@docroute>`,
            from: mailFromOf(config),
            to: [reminder.email],
            subject: reminder.subject,
            text: reminder.text,
            date: new Date(at),
          });
    const sentAt = clock.now().toISOString();
    await notifications.settle(reminder.key, attempt, { ...outcome, sentAt });
    await appendEvents(events, reminder.documentId, () => [
      {
        type: 'reminder_sent',
        at: sentAt,
        actor: systemActor,
        data: {
          key: reminder.key,
          threshold: reminder.threshold,
          recipient: reminder.recipient,
          status: outcome.status,
          detail: outcome.detail,
        },
      },
    ]);
    return { key: reminder.key, sent: true, status: outcome.status };
  },
);

export const handler = lambdaHandler(sendReminder, {
  config,
  clock,
  newId,
  registrationLeaseMs,
  events,
  notifications,
  mailer,
});
