import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingMail, SentMail } from '../../ports/mailer.ts';
import { composeMime } from './compose.ts';

export interface SesMailerOptions {
  readonly client: SESv2Client;
  /** The verified identity to send as, when it is not the From address's own (cross-account). */
  readonly fromArn?: string;
}

/**
 * Sends the composed message as raw content: SES takes sender and recipients from its headers,
 * and the attachments and the Message-ID go through as built.
 */
export function sesMailer(options: SesMailerOptions): Mailer {
  const { client, fromArn } = options;
  return {
    async send(mail: OutgoingMail): Promise<SentMail> {
      try {
        const output = await client.send(
          new SendEmailCommand({
            Content: { Raw: { Data: await composeMime(mail) } },
            ...(fromArn !== undefined ? { FromEmailAddressIdentityArn: fromArn } : {}),
          }),
        );
        return { status: 'delivered_to_server', detail: output.MessageId ?? '(no MessageId returned)' };
      } catch (error) {
        const { name, message } = error as Error;
        return { status: 'failed', detail: `${name}: ${message}` };
      }
    },
  };
}
