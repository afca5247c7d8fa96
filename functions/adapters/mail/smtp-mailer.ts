import { createTransport } from 'nodemailer';
import type { Mailer, OutgoingMail, SentMail } from '../../ports/mailer.ts';
import { composeMime } from './compose.ts';

/**
 * Sends through an SMTP server given by URL: 'smtp://user:pass@host:587' (STARTTLS when the
 * server offers it), 'smtps://user:pass@host:465' (TLS from the start). Query parameters of the
 * URL (e.g. ?tls.rejectUnauthorized=false) override the defaults below.
 */
export function smtpMailer(url: string): Mailer {
  const transport = createTransport({
    url,
    // nodemailer's defaults (2 min to connect, 10 min idle) would hold a Lambda or a reminder
    // run far longer than a dead server deserves.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(mail: OutgoingMail): Promise<SentMail> {
      try {
        // The message composed once, as for the outbox and SES; from/to give the envelope.
        const info = await transport.sendMail({
          raw: Buffer.from(await composeMime(mail)),
          from: mail.from,
          to: [...mail.to],
          messageId: mail.messageId,
        });
        return { status: 'delivered_to_server', detail: info.response };
      } catch (error) {
        return { status: 'failed', detail: (error as Error).message };
      }
    },
  };
}
