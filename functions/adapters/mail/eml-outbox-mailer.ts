import { randomBytes } from 'node:crypto';
import { link, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailer, OutgoingMail, SentMail } from '../../ports/mailer.ts';
import { composeMime } from './compose.ts';

export interface EmlOutboxOptions {
  /** Where the .eml files go; made when missing. */
  readonly folder: string;
  /** The mailer that actually sends; without it the outbox is the end of the line (demo, tests). */
  readonly next?: Mailer;
}

/** '<reminder-42@docroute>' → 'reminder-42@docroute': no brackets, no path separators, no dots at the start. */
export function emlFileName(messageId: string): string {
  const bare = messageId.replace(/^<|>$/g, '');
  const safe = bare.replace(/[^A-Za-z0-9._@+=-]/g, '_').replace(/^\.+/, '_');
  return `${safe || 'message'}.eml`;
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return (
    typeof error === 'object' && error !== null && codes.includes(String((error as { code?: unknown }).code))
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: unknown) => {
      if (isCode(error, 'ENOENT')) return false;
      throw error;
    },
  );
}

/**
 * Puts the bytes at `path` unless something is there already. Written to a temp name first and
 * then linked into place: a crash leaves at most a stray temp file, never a half .eml, and link
 * (unlike rename) refuses to replace a file another send put there meanwhile.
 * @returns false when the file was already there
 */
async function writeOnce(folder: string, name: string, bytes: Uint8Array): Promise<boolean> {
  const path = join(folder, name);
  if (await exists(path)) return false;
  const temp = join(folder, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, bytes, { flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    // Some file systems (FAT, some network shares) have no hard links: rename, after a last check.
    if (!isCode(error, 'EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP')) throw error;
    if (await exists(path)) return false;
    await rename(temp, path);
    return true;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * Keeps a copy of every outgoing message as `<folder>/<message id>.eml`, the same bytes SES or an
 * SMTP server would get, then hands the mail to `next`. The same Message-ID is the same
 * notification: its file is written once and left as is; it is still passed on, so a send that
 * failed downstream can be retried.
 */
export function emlOutboxMailer(options: EmlOutboxOptions): Mailer {
  const { folder, next } = options;
  return {
    async send(mail: OutgoingMail): Promise<SentMail> {
      const name = emlFileName(mail.messageId);
      const path = join(folder, name);
      let written: boolean;
      try {
        await mkdir(folder, { recursive: true });
        written = await writeOnce(folder, name, await composeMime(mail));
      } catch (error) {
        return { status: 'failed', detail: `outbox ${path}: ${(error as Error).message}` };
      }
      if (next !== undefined) return next.send(mail);
      return { status: 'sent', detail: written ? `written to ${path}` : `already written to ${path}` };
    },
  };
}
