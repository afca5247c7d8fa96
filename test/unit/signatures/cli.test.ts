import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../../cli/commands/verify.ts';
import { runDocroute } from '../../support/cli.ts';
import {
  buildCertificate,
  buildPki,
  buildSignedData,
  caName,
  crlOf,
  gostSpki,
  intermediateName,
  keyPair,
  name,
  Oids,
  rootName,
  text,
  toPem,
  utf8,
} from './build.ts';

const content = text('Об оказании содействия. Исх. № 07-04/11180 от 23.12.2021');
const generated = (file: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/signatures/generated/${file}`, import.meta.url)));
const signingTime = new Date('2021-12-23T07:15:00Z');
const certificate = buildCertificate();
// A CA whose certificate travels in the CMS, and a certificate it issued whose owner was then edited.
const caKey = keyPair('p256');
const ca = buildCertificate({ serialHex: '01', subject: caName, issuer: caName, key: caKey });
const issued = buildCertificate({
  subject: name([Oids.CN, utf8('Куликов Василий Иванович')]),
  issuerKey: caKey,
});
const editedDer = Uint8Array.from(issued.der);
const cnAt = Buffer.from(issued.der).lastIndexOf(Buffer.from('Иванович', 'utf8'));
editedDer[cnAt + Buffer.from('Иван', 'utf8').length + 1] = 0xb0; // «Иванович» -> «Иванавич»
const edited = { ...issued, der: editedDer };
let directory = '';

const run = (...argv: string[]) => runDocroute(argv, directory);

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
    'fake-gost.sig': buildSignedData({
      content,
      certificate: buildCertificate({ spkiOverride: gostSpki() }),
      signingTime,
    }),
    'gost.sig': generated('gost256-valid.sig'),
    'gost-content.txt': generated('content.txt'),
    'issued.sig': buildSignedData({ content, certificate: issued, signingTime, extraCertificates: [ca.der] }),
    'edited.sig': buildSignedData({ content, certificate: edited, signingTime, extraCertificates: [ca.der] }),
    'truncated.sig': buildSignedData({ content, certificate, signingTime }).subarray(0, 50),
    'key.pem': '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
    'empty.cer': '',
  };
  for (const [file, data] of Object.entries(files)) writeFileSync(join(directory, file), data);
  mkdirSync(join(directory, 'folder'));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('docroute verify', () => {
  it('exit codes: 0 valid, 1 invalid, 3 indeterminate (2 is unreadable input)', () => {
    expect([exitCodeOf('valid'), exitCodeOf('invalid'), exitCodeOf('indeterminate')]).toEqual([0, 1, 3]);
  });

  it('exit 3 «Статус подписи не определён» without a trust list: every check done passes, the chain and revocation cannot be', async () => {
    const result = await run('verify', '--sig', 'letter.sig', '--data', 'letter.txt');
    expect(result.code).toBe(3);
    expect(result.err).toBe('');
    expect(result.out).toMatch(
      /^Статус подписи не определён: подпись издателя под сертификатом не проверена; цепочка сертификатов не проверена; отзыв сертификата не проверен\.\n/,
    );
    expect(result.out).not.toContain('Подпись действительна');
    expect(result.out).toContain('Владелец: Куликов Василий Иванович');
    expect(result.out).toContain('Сертификат: 0118EC5A8BAE6CF293EB11EE5A2E22B808');
    expect(result.out).toContain(
      'Срок действия сертификата: с 20.01.2021 09:00:00 по 21.04.2022 00:30:00 (Europe/Moscow)',
    );
    expect(result.out).toContain('Проверено на: время подписания, указанное подписавшим (signingTime)');
    expect(result.out).toContain(
      [
        'Проверки:',
        '  Сертификат действовал в момент подписания: да',
        '  Документ не изменён после подписания: да',
        '  Подпись математически верна: да',
        '  Сертификат подписан издателем и не изменён: не проверено',
        '  Сертификат выдан доверенным удостоверяющим центром: не проверено',
        '  Сертификат не отозван: не проверено',
      ].join('\n'),
    );
    expect(result.out).toContain('  - Цепочка сертификатов не построена: ');
    expect(result.out).toContain('  - Отзыв сертификата не проверен: ');
  });

  it('puts the verdict above the five lines of the mark, which stay as they are', async () => {
    const result = await run('verify', '--sig', 'letter.sig', '--data', 'letter.txt');
    expect(result.out).toContain(
      [
        'Отметка об электронной подписи. Статус подписи не определён: подпись издателя под сертификатом не проверена; цепочка сертификатов не проверена; отзыв сертификата не проверен.',
        '  ДОКУМЕНТ ПОДПИСАН',
        '  ЭЛЕКТРОННОЙ ПОДПИСЬЮ',
        '  Сертификат 0118EC5A8BAE6CF293EB11EE5A2E22B808',
        '  Владелец Куликов Василий Иванович',
        '  Действителен с 20.01.2021 по 21.04.2022',
      ].join('\n'),
    );
  });

  it('--json prints the one report object, with the verdict and the checks', async () => {
    const result = await run('verify', '--sig', 'letter.pem.sig', '--data', 'letter.txt', '--json');
    expect(result.code).toBe(3);
    const report = JSON.parse(result.out);
    expect(report).toMatchObject({
      verdict: 'indeterminate',
      indication: 'INDETERMINATE',
      subIndications: ['NO_CERTIFICATE_CHAIN_FOUND', 'TRY_LATER'],
      window: 'valid',
      digest: 'match',
      signature: 'valid',
      timeSource: 'signingTime',
    });
    expect(report.checks.map((c: { check: string }) => c.check)).toEqual([
      'window',
      'digest',
      'signature',
      'certificate_signature',
      'chain',
      'revocation',
    ]);
    expect(report.stamp).toHaveLength(5);
  });

  it('exit 1 «Подпись не подтверждена» for a certificate whose owner was edited, though the CMS signature verifies', async () => {
    expect((await run('verify', '--sig', 'issued.sig', '--data', 'letter.txt')).code).toBe(3);
    const result = await run('verify', '--sig', 'edited.sig', '--data', 'letter.txt');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /^Подпись не подтверждена: сертификат подписанта изменён или выпущен не его издателем\.\n/,
    );
    expect(result.out).toContain('  Подпись математически верна: да');
    expect(result.out).toContain('  Сертификат подписан издателем и не изменён: НЕТ');
    expect(result.out).toContain('Отметка об электронной подписи. Подпись не подтверждена: ');
  });

  it('exit 3 for a GOST signature whose mathematics checks out but whose chain and revocation are not known', async () => {
    const result = await run('verify', '--sig', 'gost.sig', '--data', 'gost-content.txt', '--json');
    expect(result.code).toBe(3);
    expect(JSON.parse(result.out)).toMatchObject({
      signature: 'valid',
      verdict: 'indeterminate',
      subIndications: ['NO_CERTIFICATE_CHAIN_FOUND', 'TRY_LATER'],
    });
  });

  it('exit 1 for a GOST certificate whose key is not a point of its curve', async () => {
    const result = await run('verify', '--sig', 'fake-gost.sig', '--data', 'letter.txt', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toMatchObject({ signature: 'invalid', verdict: 'invalid' });
  });

  it('exit 3 without --data, saying the document was not given', async () => {
    const result = await run('verify', '--sig', 'letter.sig');
    expect(result.code).toBe(3);
    expect(result.out).toMatch(/^Статус подписи не определён: документ не передан; /);
    expect(result.out).toContain('  Документ не изменён после подписания: не проверено');
  });

  it('exit 1 «Подпись не подтверждена» for a changed document', async () => {
    const result = await run('verify', '--sig', 'letter.sig', '--data', 'changed.txt');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^Подпись не подтверждена: документ изменён после подписания\./);
    expect(result.out).toContain('  Документ не изменён после подписания: НЕТ');
    expect(result.out).toMatch(/- Документ изменён после подписания/);
  });

  it('exit 1 for a signature made after the certificate expired', async () => {
    const result = await run('verify', '--sig', 'late.sig', '--data', 'letter.txt', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toMatchObject({
      window: 'expired',
      verdict: 'invalid',
      subIndications: ['EXPIRED'],
    });
  });

  it('--at asks about a moment; a date-only question on a boundary day is exit 3', async () => {
    expect(
      (await run('verify', '--sig', 'letter.sig', '--data', 'letter.txt', '--at', '2022-04-22')).code,
    ).toBe(1);
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
    expect(boundary.code).toBe(3);
    expect(JSON.parse(boundary.out)).toMatchObject({
      window: 'indeterminate',
      timeSource: 'asserted',
      subIndications: ['OUT_OF_BOUNDS_NO_POE', 'NO_CERTIFICATE_CHAIN_FOUND', 'TRY_LATER'],
    });
  });

  it('--cert supplies the signer certificate a signature lacks', async () => {
    const bare = await run('verify', '--sig', 'bare.sig', '--data', 'letter.txt');
    expect(bare.code).toBe(3);
    expect(bare.out).toMatch(/^Статус подписи не определён: сертификат подписанта не найден\./);
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
    expect(result.code).toBe(3);
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
  it('describes a certificate and its stamp; exit 3 when valid at --at (chain and revocation not checked)', async () => {
    const result = await run('cert', 'signer.cer', '--at', '2021-12-23T10:15:00+03:00');
    expect(result.code).toBe(3);
    expect(result.out).toMatch(/^Статус сертификата не определён: /);
    expect(result.out).toContain('Срок действия на этот момент: действует');
    expect(result.out).toContain('  Сертификат действует на этот момент: да');
    expect(result.out).toContain('Отпечаток (SHA-1): ');
    expect(result.out).toContain('Отметка об электронной подписи. Статус сертификата не определён: ');
    expect(result.out).toContain('  Сертификат 0118EC5A8BAE6CF293EB11EE5A2E22B808');
  });

  it('exit 1 when expired (judged now) and --json prints the report', async () => {
    const result = await run('cert', 'signer.cer', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toMatchObject({
      window: 'expired',
      timeSource: 'check',
      verdict: 'invalid',
      indication: 'TOTAL-FAILED',
      subIndications: ['EXPIRED'],
    });
    expect(result.out).not.toContain('Сертификат действителен');
  });

  it('reads GOST certificates', async () => {
    const result = await run('cert', 'gost.cer', '--at', '2021-12-23', '--json');
    expect(result.code).toBe(3);
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

describe('docroute verify and cert with a trust list and CRLs', () => {
  // The CLI judges CRLs at the real time of the check: this PKI's dates are around it.
  const day = 86_400_000;
  const today = Date.now();
  const signedAt = new Date(today - day);
  const pki = buildPki('rsa', {
    label: 'cli',
    signerNotBefore: new Date(today - 30 * day),
    signerNotAfter: new Date(today + 365 * day),
  });
  const serialHex = '0118EC5A8BAE6CF293EB11EE5A2E22B808';
  const fresh = new Date(today - day);
  const sign = (certificate = pki.signer) =>
    buildSignedData({
      content,
      certificate,
      signingTime: signedAt,
      extraCertificates: [pki.intermediate.der],
    });

  beforeAll(() => {
    for (const folder of ['trust', 'crl', 'trust-bad', 'cfg']) mkdirSync(join(directory, folder));
    const files: Record<string, Uint8Array | string> = {
      'trust/root.cer': pki.root.der,
      'trust/README.txt': 'пропускается: не сертификат по расширению',
      'crl/root.crl': toPem(crlOf(pki.root, rootName, fresh), 'X509 CRL'),
      'crl/intermediate.crl': crlOf(pki.intermediate, intermediateName, fresh),
      'trusted.sig': sign(),
      'trusted-signer.cer': pki.signer.der,
      'intermediate.pem': toPem(pki.intermediate.der, 'CERTIFICATE'),
      'revoked.crl': crlOf(pki.intermediate, intermediateName, fresh, [
        { serialHex, date: new Date(today - 2 * day) },
      ]),
      'other-issuer.crl': crlOf(buildPki('p256', { label: 'cli-other' }).root, caName, fresh),
      'trust-bad/junk.cer': 'это не сертификат',
      'not-a-crl.crl': pki.signer.der,
      'cfg/docroute.config.json': JSON.stringify({
        ...JSON.parse(readFileSync(new URL('../../../docroute.config.json', import.meta.url), 'utf8')),
        trust: '../trust',
        crl: '../crl',
      }),
    };
    for (const [file, data] of Object.entries(files)) writeFileSync(join(directory, file), data);
  });

  it('exit 0 «Подпись действительна» with the chain to a listed CA and current CRLs', async () => {
    const result = await run(
      'verify',
      '--sig',
      'trusted.sig',
      '--data',
      'letter.txt',
      '--trust',
      'trust',
      '--crl',
      'crl',
    );
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Подпись действительна\.\n/);
    expect(result.out).toContain(
      [
        'Цепочка сертификатов:',
        '  1. Куликов Василий Иванович (0118EC5A8BAE6CF293EB11EE5A2E22B808): да. Подпись издателя верна; действовал; не отозван.',
        '  2. Промежуточный УЦ docroute (1001): да. Подпись издателя верна; действовал; не отозван.',
        '  3. Корневой УЦ docroute (01), доверенный: да. В списке доверенных; действовал.',
      ].join('\n'),
    );
    expect(result.out).toContain('Отметка об электронной подписи. Подпись действительна.');
  });

  it('--json carries certificate.chain', async () => {
    const result = await run(
      'verify',
      '--sig',
      'trusted.sig',
      '--data',
      'letter.txt',
      '--trust',
      'trust/root.cer',
      '--crl',
      'crl',
      '--json',
    );
    const report = JSON.parse(result.out);
    expect(report.verdict).toBe('valid');
    expect(report.certificate.chain.map((link: { isTrustAnchor: boolean }) => link.isTrustAnchor)).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('reads trust and crl from --config, relative to the configuration file', async () => {
    const result = await run(
      'verify',
      '--sig',
      'trusted.sig',
      '--data',
      'letter.txt',
      '--config',
      'cfg/docroute.config.json',
    );
    expect(result.code).toBe(0);
  });

  it('exit 1 for a certificate revoked before the check (no trusted signing time)', async () => {
    const result = await run(
      'verify',
      '--sig',
      'trusted.sig',
      '--data',
      'letter.txt',
      '--trust',
      'trust',
      '--crl',
      'revoked.crl',
      '--crl',
      'crl/root.crl',
    );
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^Подпись не подтверждена: сертификат отозван\./);
    expect(result.out).toContain('  Сертификат не отозван: НЕТ');
  });

  it('exit 3 with only a CRL of another issuer, naming it', async () => {
    const result = await run(
      'verify',
      '--sig',
      'trusted.sig',
      '--data',
      'letter.txt',
      '--trust',
      'trust',
      '--crl',
      'other-issuer.crl',
    );
    expect(result.code).toBe(3);
    expect(result.out).toContain('other-issuer.crl — «Тестовый УЦ docroute»');
  });

  it.each([
    [['--trust', 'trust-bad'], /^docroute verify: \/.*\/trust-bad\/junk\.cer: ожидался сертификат: /],
    [
      ['--crl', 'not-a-crl.crl'],
      /^docroute verify: \/.*\/not-a-crl\.crl: ожидался список отозванных сертификатов: /,
    ],
    [['--trust', 'missing'], /^docroute verify: \/.*\/missing: нет такого файла или каталога\n$/],
    [['--config', 'missing.json'], /^docroute verify: \/.*\/missing\.json: cannot be read \(ENOENT\)\n$/],
  ])('exit 2 naming the trust or CRL file that cannot be used: %j', async (args, message) => {
    const result = await run('verify', '--sig', 'trusted.sig', '--data', 'letter.txt', ...args);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(message);
  });

  it('cert: exit 0 «Сертификат действителен» with --trust, --intermediate and --crl', async () => {
    const result = await run(
      'cert',
      'trusted-signer.cer',
      '--trust',
      'trust',
      '--intermediate',
      'intermediate.pem',
      '--crl',
      'crl',
    );
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Сертификат действителен\.\n/);
    expect((await run('cert', 'trusted-signer.cer', '--trust', 'trust-bad')).code).toBe(2);
  });
});
