import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMail } from '../../ports/mailer.ts';

/**
 * The multipart boundary nodemailer would otherwise draw from crypto.randomBytes: taken from a
 * hash of the mail instead, so the same mail gives the same bytes (an .eml written twice, a raw
 * SES message retried). Hashing the content too keeps it from being guessable text inside it.
 */
function baseBoundaryOf(mail: OutgoingMail): string {
  const hash = createHash('sha256');
  for (const part of [mail.messageId, mail.from, mail.to.join(','), mail.subject, mail.text]) {
    hash.update(part).update('\0');
  }
  hash.update(mail.date.toISOString());
  for (const attachment of mail.attachments ?? []) {
    hash.update(attachment.filename).update('\0').update(attachment.contentType).update('\0');
    hash.update(attachment.content);
  }
  return hash.digest('hex').slice(0, 24);
}

function bufferOf(bytes: Uint8Array): Buffer {
  // A view, not a copy: the attachment may be a signed PDF of some megabytes.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The RFC 5322 message (CRLF line ends) for the mail: the given Message-ID and Date, the subject
 * and names as UTF-8 encoded words, the text as text/plain; charset=utf-8, attachments as parts
 * with RFC 2231 filenames. Deterministic: the same mail gives the same bytes.
 */
export async function composeMime(mail: OutgoingMail): Promise<Uint8Array> {
  const composer = new MailComposer({
    messageId: mail.messageId,
    date: mail.date,
    from: mail.from,
    to: [...mail.to],
    subject: mail.subject,
    // Canonical text/plain has CRLF line ends (RFC 2045); base64 would keep bare LFs as they are.
    text: mail.text.replace(/\r?\n/g, '\r\n'),
    attachments: (mail.attachments ?? []).map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: bufferOf(attachment.content),
    })),
    baseBoundary: baseBoundaryOf(mail),
    // Nothing here should make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const message = await composer.compile().build();
  return new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
}
