/**
 * Outgoing e-mail: reminders of deadlines and the dispatch of signed letters. The adapters build
 * an RFC 5322 message from this and hand it to an outbox folder, an SMTP server or SES.
 */

export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

export interface OutgoingMail {
  /** '<key@docroute>': deterministic per notification, so a resend is recognisable. */
  readonly messageId: string;
  /** 'Администрация ... <krasnogvardadmin@mail.ru>' */
  readonly from: string;
  readonly to: readonly string[];
  /** Russian, may contain «» and №. */
  readonly subject: string;
  /** Plain text, Russian. */
  readonly text: string;
  readonly attachments?: readonly MailAttachment[];
  /** The Date header: given, not taken from the clock, so the same mail gives the same bytes. */
  readonly date: Date;
}

export interface SentMail {
  /**
   * 'sent': handed to a local outbox; 'delivered_to_server': accepted by the SMTP server or SES
   * (not yet by the recipient's mailbox); 'failed': not accepted, `detail` says why.
   */
  readonly status: 'sent' | 'delivered_to_server' | 'failed';
  readonly detail: string;
}

export interface Mailer {
  /** Never rejects: a failure comes back as status 'failed' with the reason. */
  send(mail: OutgoingMail): Promise<SentMail>;
}
