import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import { runDocroute } from '../../support/cli.ts';

/** A test CA, a signer and a signed letter made with the docroute command alone, as an office would try it. */

const folder = mkdtempSync(join(tmpdir(), 'docroute-cli-issuing-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const docroute = (...argv: string[]) => runDocroute(argv, folder);

const caSubject = ['--name', 'CN=Тестовый УЦ docroute', '--name', 'O=docroute', '--name', 'C=RU'];
const signerSubject = [
  ...['--name', 'CN=Куликов Василий Иванович', '--name', 'SN=Куликов', '--name', 'G=Василий Иванович'],
  ...['--name', 'T=Глава', '--name', 'INN=002635000000', '--name', 'SNILS=01234567890'],
];

describe('docroute keygen, issue, crl, sign', () => {
  it('GIVEN a GOST test CA, its CRL and a signer made by the command THEN the signature it makes is valid: «Подпись действительна», exit 0', async () => {
    expect((await docroute('keygen', '--alg', 'gost2012-256', '--out', 'ca.key')).code).toBe(0);
    expect(statSync(join(folder, 'ca.key')).mode & 0o077).toBe(0);
    expect(
      (
        await docroute(
          'issue',
          '--key',
          'ca.key',
          ...caSubject,
          '--serial',
          '01',
          '--not-before',
          '2020-01-01',
          '--not-after',
          '2030-01-01',
          '--ca',
          '--self-signed',
          '--out',
          'ca.pem',
        )
      ).code,
    ).toBe(0);
    expect(
      (await docroute('keygen', '--alg', 'gost2012-256', '--paramset', 'A', '--out', 'kulikov.key')).code,
    ).toBe(0);
    const issued = await docroute(
      'issue',
      '--key',
      'kulikov.key',
      ...signerSubject,
      '--serial',
      '0118EC5A8BAE6CF293EB11EE5A2E22B808',
      '--not-before',
      '2021-01-20T10:00:00Z',
      '--not-after',
      '2022-04-20T18:00:00Z',
      '--key-not-after',
      '2022-04-20T17:00:00Z',
      '--ca-key',
      'ca.key',
      '--ca-cert',
      'ca.pem',
      '--out',
      'kulikov.pem',
    );
    expect(issued).toMatchObject({ code: 0, err: '' });
    const certificate = readCertificate(readFileSync(join(folder, 'kulikov.pem')));
    expect(certificate.subject).toMatchObject({ SN: 'Куликов', G: 'Василий Иванович', SNILS: '01234567890' });
    expect(certificate.privateKeyUsagePeriod?.notAfter?.toISOString()).toBe('2022-04-20T17:00:00.000Z');

    writeFileSync(join(folder, 'letter.txt'), 'Об оказании содействия. Исх. № 07-04/11180 от 23.12.2021\n');
    const signed = await docroute(
      'sign',
      '--key',
      'kulikov.key',
      '--cert',
      'kulikov.pem',
      '--in',
      'letter.txt',
      '--out',
      'letter.sig',
      '--at',
      '2021-12-23T12:00:00+03:00',
    );
    expect(signed.code).toBe(0);
    expect((await docroute('crl', '--ca-key', 'ca.key', '--ca-cert', 'ca.pem', '--out', 'ca.crl')).code).toBe(
      0,
    );

    const report = await docroute(
      'verify',
      '--sig',
      'letter.sig',
      '--data',
      'letter.txt',
      '--trust',
      'ca.pem',
      '--crl',
      'ca.crl',
      '--json',
    );
    const json = JSON.parse(report.out);
    expect(report.code).toBe(0);
    expect(json).toMatchObject({ verdict: 'valid', indication: 'TOTAL-PASSED', signature: 'valid' });
    expect(json.summary).toMatch(/^Подпись действительна/);
    expect(json.digest).toBe('match');
    expect(json.signingTime).toBe('2021-12-23T09:00:00.000Z');
    expect(json.certificate.serial).toBe('0118EC5A8BAE6CF293EB11EE5A2E22B808');
  });

  it('GIVEN the wrong key for the certificate THEN sign refuses, naming both files, and writes nothing', async () => {
    await docroute('keygen', '--alg', 'rsa', '--out', 'other.key');
    const result = await docroute(
      'sign',
      '--key',
      'other.key',
      '--cert',
      'kulikov.pem',
      '--in',
      'letter.txt',
      '--out',
      'wrong.sig',
    );
    expect(result.code).toBe(2);
    expect(result.err).toContain('other.key: this key does not match the certificate kulikov.pem');
    expect(() => statSync(join(folder, 'wrong.sig'))).toThrow();
  });

  it('GIVEN an existing key file THEN keygen never writes over it', async () => {
    const before = readFileSync(join(folder, 'ca.key'), 'utf8');
    const result = await docroute('keygen', '--alg', 'ecdsa-p256', '--out', 'ca.key');
    expect(result.code).toBe(2);
    expect(result.err).toContain('already exists');
    expect(readFileSync(join(folder, 'ca.key'), 'utf8')).toBe(before);
  });

  it.each([
    [['keygen', '--alg', 'dsa', '--out', 'x.key'], '--alg must be one of'],
    [
      ['keygen', '--alg', 'gost2012-512', '--paramset', 'TCA', '--out', 'x.key'],
      '--paramset for gost2012-512',
    ],
    [
      [
        'issue',
        '--key',
        'ca.key',
        '--name',
        'XX=1',
        '--serial',
        '1',
        '--not-before',
        '2020-01-01',
        '--not-after',
        '2021-01-01',
        '--self-signed',
        '--out',
        'x.pem',
      ],
      '--name XX=1',
    ],
    [
      [
        'issue',
        '--key',
        'ca.key',
        ...caSubject,
        '--serial',
        'zz',
        '--not-before',
        '2020-01-01',
        '--not-after',
        '2021-01-01',
        '--self-signed',
        '--out',
        'x.pem',
      ],
      '--serial',
    ],
    [
      [
        'issue',
        '--key',
        'ca.key',
        ...caSubject,
        '--serial',
        '1',
        '--not-before',
        '2021-01-01',
        '--not-after',
        '2020-01-01',
        '--self-signed',
        '--out',
        'x.pem',
      ],
      '--not-after must come after',
    ],
    [
      [
        'issue',
        '--key',
        'ca.key',
        ...caSubject,
        '--serial',
        '1',
        '--not-before',
        'yesterday',
        '--not-after',
        '2021-01-01',
        '--self-signed',
        '--out',
        'x.pem',
      ],
      '--not-before: must be an ISO 8601 time',
    ],
    [
      [
        'issue',
        '--key',
        'ca.key',
        ...caSubject,
        '--serial',
        '1',
        '--not-before',
        '2020-01-01',
        '--not-after',
        '2021-01-01',
        '--out',
        'x.pem',
      ],
      'either --self-signed or --ca-key',
    ],
    [
      ['sign', '--key', 'letter.txt', '--cert', 'kulikov.pem', '--in', 'letter.txt', '--out', 'x.sig'],
      'letter.txt',
    ],
    [
      ['crl', '--ca-key', 'ca.key', '--ca-cert', 'ca.pem', '--revoke', '01', '--out', 'x.crl'],
      '--revoke 01: must be SERIAL@TIME',
    ],
  ])('GIVEN %j THEN exit 2 and the message names the problem', async (argv, message) => {
    const result = await docroute(...(argv as string[]));
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });
});
