import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/io.ts';
import { main } from '../../../cli/main.ts';
import { buildCertificate, buildSignedData, gostSpki, text, toPem } from './build.ts';

const content = text('Об оказании содействия. Исх. № 07-04/11180 от 23.12.2021');
const signingTime = new Date('2021-12-23T07:15:00Z');
const certificate = buildCertificate();
let directory = '';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
    env: {},
    cwd: directory,
  };
  const code = await main(argv, io);
  return { code, out, err };
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'docroute-verify-'));
  const files: Record<string, Uint8Array | string> = {
    'letter.txt': content,
    'changed.txt': text('Об оказании содействия. Исх. № 07-04/11181 от 23.12.2021'),
    'letter.sig': buildSignedData({ content, certificate, signingTime }),
    'letter.pem.sig': toPem(buildSignedData({ content, certificate, signingTime }), 'CMS'),
    'late.sig': buildSignedData({ content, certificate, signingTime: new Date('2022-04-20T21:31:00Z') }),
    'bare.sig': buildSignedData({ content, certificate, signingTime, includeCertificate: false }),
    'signer.cer': toPem(certificate.der, 'CERTIFICATE', '\r\n'),
    'gost.cer': buildCertificate({ spkiOverride: gostSpki() }).der,
    'truncated.sig': buildSignedData({ content, certificate, signingTime }).subarray(0, 50),
    'key.pem': '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
    'empty.cer': '',
  };
  for (const [file, data] of Object.entries(files)) writeFileSync(join(directory, file), data);
  mkdirSync(join(directory, 'folder'));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('docroute verify', () => {
  it('exit 0 and «Подпись действительна» when every check passes, still naming what was not checked', async () => {
    const result = await run('verify', '--sig', 'letter.sig', '--data', 'letter.txt');
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    expect(result.out).toMatch(/^Подпись действительна \(цепочка сертификатов и отзыв не проверялись\)\./);
    expect(result.out).toContain('Владелец: Куликов Василий Иванович');
    expect(result.out).toContain('Сертификат: 0118EC5A8BAE6CF293EB11EE5A2E22B808');
    expect(result.out).toContain(
      'Срок действия сертификата: с 20.01.2021 09:00:00 по 21.04.2022 00:30:00 (Europe/Moscow)',
    );
    expect(result.out).toContain('Проверено на: время подписания, указанное подписавшим (signingTime)');
    expect(result.out).toContain('Документ: не изменён после подписания');
    expect(result.out).toContain('  Действителен с 20.01.2021 по 21.04.2022');
  });

  it('--json prints the one report object', async () => {
    const result = await run('verify', '--sig', 'letter.pem.sig', '--data', 'letter.txt', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(report).toMatchObject({
      window: 'valid',
      digest: 'match',
      signature: 'valid',
      timeSource: 'signingTime',
    });
    expect(report.stamp).toHaveLength(5);
  });

  it('exit 0 without --data, saying the document was not compared', async () => {
    const result = await run('verify', '--sig', 'letter.sig');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Нарушений не найдено, но проверка неполная/);
    expect(result.out).toContain('Документ: не сверялся');
  });

  it('exit 1 «Подпись не подтверждена» for a changed document', async () => {
    const result = await run('verify', '--sig', 'letter.sig', '--data', 'changed.txt');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^Подпись не подтверждена\./);
    expect(result.out).toContain('Документ: ИЗМЕНЁН после подписания');
    expect(result.out).toMatch(/- Документ изменён после подписания/);
  });

  it('exit 1 for a signature made after the certificate expired', async () => {
    const result = await run('verify', '--sig', 'late.sig', '--data', 'letter.txt', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out).window).toBe('expired');
  });

  it('--at asks about a moment; a date-only question on a boundary day is exit 1', async () => {
    expect(
      (await run('verify', '--sig', 'letter.sig', '--data', 'letter.txt', '--at', '2022-04-20')).code,
    ).toBe(0);
    const boundary = await run(
      'verify',
      '--sig',
      'letter.sig',
      '--data',
      'letter.txt',
      '--at',
      '2022-04-21',
      '--json',
    );
    expect(boundary.code).toBe(1);
    expect(JSON.parse(boundary.out)).toMatchObject({ window: 'indeterminate', timeSource: 'asserted' });
  });

  it('--cert supplies the signer certificate a signature lacks', async () => {
    expect((await run('verify', '--sig', 'bare.sig', '--data', 'letter.txt')).code).toBe(1);
    const result = await run(
      'verify',
      '--sig',
      'bare.sig',
      '--data',
      'letter.txt',
      '--cert',
      'signer.cer',
      '--json',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).signature).toBe('valid');
  });

  it.each([
    [
      ['--sig', 'truncated.sig'],
      'truncated.sig: подпись: данные обрываются раньше конца структуры ASN.1 (файл обрезан?)',
    ],
    [['--sig', 'missing.sig'], 'missing.sig: нет такого файла'],
    [['--sig', 'folder'], 'folder: это каталог, а не файл'],
    [
      ['--sig', 'letter.sig', '--cert', 'key.pem'],
      'key.pem: PEM: метка «PUBLIC KEY» не означает ни сертификат, ни подпись',
    ],
    [['--sig', 'letter.sig', '--cert', 'empty.cer'], 'empty.cer: файл пуст'],
    [['--sig', 'letter.sig', '--data', 'missing.txt'], 'missing.txt: нет такого файла'],
    [
      ['--sig', 'signer.cer'],
      'signer.cer: PEM с меткой «CERTIFICATE» содержит сертификат, а ожидался подпись',
    ],
  ])('exit 2 with one line naming the file: %j', async (args, message) => {
    const result = await run('verify', ...args);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toBe(`docroute verify: ${message}\n`);
  });

  it('exit 2 for bad arguments', async () => {
    expect((await run('verify')).err).toBe('docroute verify: укажите файл подписи: --sig FILE\n');
    expect((await run('verify', '--sig', 'letter.sig', '--at', 'вчера')).err).toMatch(
      /^docroute verify: --at: ожидалась дата/,
    );
    expect((await run('verify', '--sig', 'letter.sig', '--bogus')).code).toBe(2);
    expect((await run('verify', '--sig', 'letter.sig', 'extra')).code).toBe(2);
  });
});

describe('docroute cert', () => {
  it('describes a certificate and its stamp; exit 0 when valid at --at', async () => {
    const result = await run('cert', 'signer.cer', '--at', '2021-12-23T10:15:00+03:00');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Сертификат действует\./);
    expect(result.out).toContain('Отпечаток (SHA-1): ');
    expect(result.out).toContain('  Сертификат 0118EC5A8BAE6CF293EB11EE5A2E22B808');
  });

  it('exit 1 when expired (judged now) and --json prints the report', async () => {
    const result = await run('cert', 'signer.cer', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toMatchObject({ window: 'expired', timeSource: 'check' });
  });

  it('reads GOST certificates', async () => {
    const result = await run('cert', 'gost.cer', '--at', '2021-12-23', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).certificate.algorithm).toBe('GOST R 34.10-2012 256');
  });

  it('exit 2 for unreadable or missing input and bad arguments', async () => {
    expect(await run('cert', 'key.pem')).toMatchObject({
      code: 2,
      err: 'docroute cert: key.pem: PEM: метка «PUBLIC KEY» не означает ни сертификат, ни подпись\n',
    });
    expect((await run('cert', 'letter.sig')).err).toMatch(/^docroute cert: letter.sig: сертификат: /);
    expect((await run('cert')).code).toBe(2);
    expect((await run('cert', 'a.cer', 'b.cer')).code).toBe(2);
    expect((await run('cert', 'signer.cer', '--at', '2022-02-30')).err).toBe(
      'docroute cert: --at: нет такой даты: 2022-02-30\n',
    );
  });
});
