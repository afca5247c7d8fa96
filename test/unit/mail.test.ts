import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeMime } from '../../functions/adapters/mail/compose.ts';
import { emlOutboxMailer } from '../../functions/adapters/mail/eml-outbox-mailer.ts';
import { sesMailer } from '../../functions/adapters/mail/ses-mailer.ts';
import { smtpMailer } from '../../functions/adapters/mail/smtp-mailer.ts';
import type { Mailer, OutgoingMail } from '../../functions/ports/mailer.ts';

const pdfBytes = new Uint8Array([
  0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x2e, 0x0d, 0x0a,
]);
const sigBytes = new Uint8Array(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));

const mail: OutgoingMail = {
  messageId: '<dispatch-2025-12-OG@docroute>',
  from: 'Администрация Красногвардейского муниципального округа <krasnogvardadmin@mail.ru>',
  to: ['ivanov@example.ru', 'Пётр Петров <petrov@example.ru>'],
  subject: 'Ответ на обращение № 12-ОГ «О ремонте дороги по ул. Ленина»',
  text: 'Уважаемый Иван Иванович!\n\nНаправляем ответ на Ваше обращение № 12-ОГ.\nСрок — 15.03.2025.\n.\nС уважением, администрация.\n',
  date: new Date('2025-03-10T09:30:00Z'),
  attachments: [
    { filename: 'Ответ №12-ОГ «дорога».pdf', contentType: 'application/pdf', content: pdfBytes },
    {
      filename: 'Ответ №12-ОГ «дорога».pdf.sig',
      contentType: 'application/pkcs7-signature',
      content: sigBytes,
    },
  ],
};

const reminder: OutgoingMail = {
  messageId: '<reminder-7@docroute>',
  from: 'Администрация <krasnogvardadmin@mail.ru>',
  to: ['clerk@example.ru'],
  subject: 'Срок исполнения истекает завтра',
  text: 'Документ № 7 — срок 11.03.2025.',
  date: new Date('2025-03-10T06:00:00Z'),
};

// --- a small MIME reader, enough for what composeMime produces ---

interface Part {
  readonly headers: Map<string, string>;
  readonly body: string;
}

function parsePart(source: string): Part {
  const split = source.indexOf('\r\n\r\n');
  const head = split < 0 ? source : source.slice(0, split);
  const body = split < 0 ? '' : source.slice(split + 4);
  const headers = new Map<string, string>();
  // Unfold: a line starting with white space continues the previous header.
  for (const line of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function childrenOf(part: Part): Part[] {
  const boundary = /boundary="([^"]+)"/.exec(part.headers.get('content-type') ?? '')?.[1];
  if (boundary === undefined) throw new Error('not multipart');
  const sections = part.body.split(`--${boundary}`);
  // [preamble, part, part, ..., '--\r\n' epilogue]
  return sections.slice(1, -1).map((section) => parsePart(section.replace(/^\r\n/, '').replace(/\r\n$/, '')));
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const char = soft[i]!;
    if (char === '=') {
      bytes.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(char, 'latin1'));
  }
  return Buffer.from(bytes);
}

function decodeBody(part: Part): Buffer {
  const encoding = part.headers.get('content-transfer-encoding')?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return Buffer.from(part.body, 'utf8');
}

/** RFC 2047 words, each decoded on its own (a word must never split a character). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toLowerCase() === 'b'
        ? strictUtf8(Buffer.from(data, 'base64'))
        : strictUtf8(decodeQuotedPrintable(data.replace(/_/g, ' '))),
    );
}

function strictUtf8(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** RFC 2231 filename*0*=utf-8''..; filename*1*=..; or a plain filename="..". */
function filenameOf(part: Part): string {
  const disposition = part.headers.get('content-disposition') ?? '';
  const pieces = [...disposition.matchAll(/filename\*(\d+)?\*?=([^;]+)/g)].map((match) => match[2]!.trim());
  if (pieces.length > 0) return decodeURIComponent(pieces.join('').replace(/^utf-8''/i, ''));
  return decodeWords(/filename="([^"]*)"/.exec(disposition)?.[1] ?? '');
}

async function parsedMime(input: OutgoingMail): Promise<{ raw: string; root: Part }> {
  const raw = Buffer.from(await composeMime(input)).toString('latin1');
  return { raw, root: parsePart(raw) };
}

describe('composeMime', () => {
  it('carries the given Message-ID and Date', async () => {
    const { root } = await parsedMime(mail);
    expect(root.headers.get('message-id')).toBe('<dispatch-2025-12-OG@docroute>');
    expect(root.headers.get('date')).toBe('Mon, 10 Mar 2025 09:30:00 +0000');
    expect(new Date(root.headers.get('date')!).getTime()).toBe(mail.date.getTime());
    expect(root.headers.get('mime-version')).toBe('1.0');
  });

  it('encodes the subject and the names as UTF-8 words, and the headers are ASCII', async () => {
    const { raw, root } = await parsedMime(mail);
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(head).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(root.headers.get('subject')).toMatch(/^=\?UTF-8\?[BQ]\?/);
    expect(decodeWords(root.headers.get('subject')!)).toBe(mail.subject);
    expect(decodeWords(root.headers.get('from')!)).toBe(mail.from);
    expect(decodeWords(root.headers.get('to')!)).toBe('ivanov@example.ru, Пётр Петров <petrov@example.ru>');
  });

  it('uses CRLF line ends only', async () => {
    const { raw } = await parsedMime(mail);
    expect(raw).not.toMatch(/[^\r]\n/);
    expect(raw).not.toMatch(/\r[^\n]/);
  });

  it('gives the text as text/plain; charset=utf-8 and each attachment with its name and bytes', async () => {
    const { root } = await parsedMime(mail);
    expect(root.headers.get('content-type')).toMatch(/^multipart\/mixed;/);
    const [text, pdf, sig, ...rest] = childrenOf(root);
    expect(rest).toEqual([]);
    expect(text!.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(strictUtf8(decodeBody(text!))).toBe(mail.text.replace(/\n/g, '\r\n'));

    for (const [part, attachment] of [
      [pdf!, mail.attachments![0]!],
      [sig!, mail.attachments![1]!],
    ] as const) {
      expect(part.headers.get('content-type')).toMatch(new RegExp(`^${attachment.contentType};`));
      expect(part.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(filenameOf(part)).toBe(attachment.filename);
      expect(new Uint8Array(decodeBody(part))).toEqual(attachment.content);
    }
  });

  it('gives a single text/plain message when there are no attachments', async () => {
    const { root } = await parsedMime(reminder);
    expect(root.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(strictUtf8(decodeBody(root))).toBe(reminder.text);
  });

  it('is deterministic: the same mail gives the same bytes, boundary included', async () => {
    const first = await composeMime(mail);
    const second = await composeMime({ ...mail, attachments: mail.attachments!.map((a) => ({ ...a })) });
    expect(Buffer.compare(first, second)).toBe(0);
    const other = await composeMime({ ...mail, text: `${mail.text}P.S.\n` });
    const boundary = (bytes: Uint8Array) => /boundary="([^"]+)"/.exec(Buffer.from(bytes).toString())?.[1];
    expect(boundary(other)).not.toBe(boundary(first));
  });

  it('takes an attachment that is a view into a larger buffer as just that view', async () => {
    const backing = new Uint8Array([9, 9, 9, 1, 2, 3, 9, 9]);
    const { root } = await parsedMime({
      ...reminder,
      attachments: [
        { filename: 'a.bin', contentType: 'application/octet-stream', content: backing.subarray(3, 6) },
      ],
    });
    const [, part] = childrenOf(root);
    expect([...decodeBody(part!)]).toEqual([1, 2, 3]);
  });
});

describe('emlOutboxMailer', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'docroute-outbox-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes one file per Message-ID, once, and leaves no temp files', async () => {
    const outbox = emlOutboxMailer({ folder: join(folder, 'outbox') });
    const first = await outbox.send(mail);
    const path = join(folder, 'outbox', 'dispatch-2025-12-OG@docroute.eml');
    expect(first).toEqual({ status: 'sent', detail: `written to ${path}` });
    expect(await readFile(path)).toEqual(Buffer.from(await composeMime(mail)));

    // A resend with the same Message-ID is the same notification: the file is left as is.
    const again = await outbox.send({ ...mail, text: 'changed' });
    expect(again.status).toBe('sent');
    expect(await readFile(path)).toEqual(Buffer.from(await composeMime(mail)));

    await outbox.send(reminder);
    expect((await readdir(join(folder, 'outbox'))).sort()).toEqual([
      'dispatch-2025-12-OG@docroute.eml',
      'reminder-7@docroute.eml',
    ]);
  });

  it('writes the same notification once when sent twice at the same time', async () => {
    const outbox = emlOutboxMailer({ folder });
    const results = await Promise.all([outbox.send(mail), outbox.send(mail), outbox.send(mail)]);
    expect(results.every((result) => result.status === 'sent')).toBe(true);
    expect(results.filter((result) => result.detail.startsWith('written to'))).toHaveLength(1);
    expect(await readdir(folder)).toEqual(['dispatch-2025-12-OG@docroute.eml']);
  });

  it('keeps a Message-ID from naming a path outside the folder', async () => {
    const outbox = emlOutboxMailer({ folder });
    await outbox.send({ ...reminder, messageId: '<../../etc/x@docroute>' });
    expect(await readdir(folder)).toEqual(['__.._etc_x@docroute.eml']);
  });

  it('passes the mail on to next and returns its answer', async () => {
    const seen: OutgoingMail[] = [];
    const next: Mailer = {
      async send(sent) {
        seen.push(sent);
        return { status: 'delivered_to_server', detail: '250 queued' };
      },
    };
    const outbox = emlOutboxMailer({ folder, next });
    expect(await outbox.send(reminder)).toEqual({ status: 'delivered_to_server', detail: '250 queued' });
    // Also on a resend: a failed delivery downstream must be retryable.
    expect(await outbox.send(reminder)).toEqual({ status: 'delivered_to_server', detail: '250 queued' });
    expect(seen).toEqual([reminder, reminder]);
    expect(await readdir(folder)).toEqual(['reminder-7@docroute.eml']);
  });

  it('returns failed, not a rejection, when the folder cannot be written', async () => {
    // A file where the folder should be: mkdir fails.
    await emlOutboxMailer({ folder }).send(reminder);
    const result = await emlOutboxMailer({ folder: join(folder, 'reminder-7@docroute.eml', 'sub') }).send(
      reminder,
    );
    expect(result.status).toBe('failed');
    expect(result.detail).toMatch(/ENOTDIR|EEXIST/);
  });
});

// --- a fake SMTP server: just enough of RFC 5321 for one plain-text transaction ---

interface FakeSmtp {
  readonly port: number;
  readonly messages: string[];
  readonly commands: string[];
  close(): Promise<void>;
}

async function fakeSmtp(options: { rejectRcpt?: boolean } = {}): Promise<FakeSmtp> {
  const messages: string[] = [];
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  let queued = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('latin1');
    let buffer = '';
    let inData = false;
    socket.write('220 fake.local ESMTP ready\r\n');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          messages.push(buffer.slice(0, end + 2));
          buffer = buffer.slice(end + 5);
          inData = false;
          queued += 1;
          socket.write(`250 OK queued as FAKE${queued}\r\n`);
          continue;
        }
        const lineEnd = buffer.indexOf('\r\n');
        if (lineEnd < 0) return;
        const line = buffer.slice(0, lineEnd);
        buffer = buffer.slice(lineEnd + 2);
        commands.push(line);
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-fake.local\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') socket.write('250 sender ok\r\n');
        else if (verb === 'RCPT')
          socket.write(options.rejectRcpt ? '550 5.1.1 mailbox unavailable\r\n' : '250 recipient ok\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 end with <CRLF>.<CRLF>\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
          return;
        } else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    messages,
    commands,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('smtpMailer', () => {
  it('delivers to the server and reports its answer', async () => {
    const server = await fakeSmtp();
    try {
      const result = await smtpMailer(`smtp://127.0.0.1:${server.port}`).send(mail);
      expect(result.status).toBe('delivered_to_server');
      expect(result.detail).toContain('queued');
      expect(server.commands).toContain('MAIL FROM:<krasnogvardadmin@mail.ru>');
      expect(server.commands).toContain('RCPT TO:<ivanov@example.ru>');
      expect(server.commands).toContain('RCPT TO:<petrov@example.ru>');
      expect(server.messages).toHaveLength(1);
      const received = parsePart(server.messages[0]!.replace(/\r\n\.\./g, '\r\n.'));
      expect(decodeWords(received.headers.get('subject')!)).toBe(mail.subject);
      expect(received.headers.get('message-id')).toBe(mail.messageId);
      // The server gets the same bytes as the outbox and SES (dot-stuffing undone).
      expect(server.messages[0]!.replace(/\r\n\.\./g, '\r\n.')).toBe(
        Buffer.from(await composeMime(mail)).toString('latin1'),
      );
    } finally {
      await server.close();
    }
  });

  it('fails with the reason when the server refuses the recipient', async () => {
    const server = await fakeSmtp({ rejectRcpt: true });
    try {
      const result = await smtpMailer(`smtp://127.0.0.1:${server.port}`).send(reminder);
      expect(result.status).toBe('failed');
      expect(result.detail).toContain('550');
      expect(result.detail).toContain('mailbox unavailable');
      expect(server.messages).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('fails quickly when nothing listens', async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await smtpMailer(`smtp://user:secret@127.0.0.1:${port}`).send(reminder);
    expect(result.status).toBe('failed');
    expect(result.detail).toMatch(/ECONNREFUSED|refused/i);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('sesMailer', () => {
  it('sends the composed message raw and reports the SES MessageId', async () => {
    const commands: unknown[] = [];
    const client = {
      async send(command: unknown) {
        commands.push(command);
        return { MessageId: 'abc' };
      },
    } as unknown as SESv2Client;
    const result = await sesMailer({ client }).send(mail);
    expect(result).toEqual({ status: 'delivered_to_server', detail: 'abc' });
    expect(commands).toHaveLength(1);
    const command = commands[0];
    expect(command).toBeInstanceOf(SendEmailCommand);
    const input = (command as SendEmailCommand).input;
    expect(Buffer.from(input.Content!.Raw!.Data!)).toEqual(Buffer.from(await composeMime(mail)));
    expect(input.FromEmailAddressIdentityArn).toBeUndefined();
  });

  it('passes the identity ARN when given', async () => {
    let input: SendEmailCommand['input'] | undefined;
    const client = {
      async send(command: SendEmailCommand) {
        input = command.input;
        return { MessageId: 'x' };
      },
    } as unknown as SESv2Client;
    const fromArn = 'arn:aws:ses:eu-central-1:123456789012:identity/mail.ru';
    await sesMailer({ client, fromArn }).send(reminder);
    expect(input?.FromEmailAddressIdentityArn).toBe(fromArn);
  });

  it('fails with the error name and message when SES throws', async () => {
    const client = {
      async send() {
        const error = new Error('Email address is not verified.');
        error.name = 'MessageRejected';
        throw error;
      },
    } as unknown as SESv2Client;
    expect(await sesMailer({ client }).send(reminder)).toEqual({
      status: 'failed',
      detail: 'MessageRejected: Email address is not verified.',
    });
  });
});
