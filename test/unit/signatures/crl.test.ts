import { describe, expect, it } from 'vitest';
import { UnreadableInputError } from '../../../functions/domain/errors.ts';
import { readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import { readCrl } from '../../../functions/domain/signatures/crl.ts';
import type { Check } from '../../../functions/domain/signatures/report.ts';
import type { TrustList } from '../../../functions/domain/signatures/trust-list.ts';
import { describeCertificate, verifySignature } from '../../../functions/domain/signatures/verify.ts';
import {
  buildPki,
  buildSignedData,
  caName,
  crlOf,
  intermediateName,
  keyIdOf,
  rootName,
  text,
  toPem,
} from './build.ts';

const content = text('Об оказании содействия. Исх. № 07-04/11180 от 23.12.2021');
const signingTime = new Date('2021-12-23T07:15:00Z');
const now = new Date('2025-06-01T09:00:00Z');
const crlTime = new Date('2025-05-30T00:00:00Z');
const timeZone = 'Europe/Moscow';
const pki = buildPki('rsa', { label: 'crl' });
const serialHex = '0118EC5A8BAE6CF293EB11EE5A2E22B808';
const rootCrl = readCrl(crlOf(pki.root, rootName, crlTime), 'root.crl');

const revocationOf = (checks: readonly Check[]) => checks.find((c) => c.check === 'revocation');

/** Verifies the PKI's signer with the listed root, the root's CRL and `crls` for the intermediate. */
function verifyWith(crls: TrustList['crls'], timestamp?: Date) {
  const signature = buildSignedData({
    content,
    certificate: pki.signer,
    signingTime,
    extraCertificates: [pki.intermediate.der],
    ...(timestamp === undefined ? {} : { timestamp: { genTime: timestamp } }),
  });
  const trustList: TrustList = {
    anchors: [readCertificate(pki.root.der)],
    intermediates: [],
    crls: [rootCrl, ...crls],
  };
  return verifySignature({ signature, content, now, timeZone }, { trustList });
}

const intermediateCrl = (revoked: { serialHex: string; date: Date }[] = [], extra = {}) =>
  crlOf(pki.intermediate, intermediateName, crlTime, revoked, extra);

describe('readCrl', () => {
  const der = intermediateCrl([{ serialHex, date: new Date('2022-01-10T12:00:00Z') }]);

  it.each([
    ['DER', der],
    ['PEM', text(toPem(der, 'X509 CRL'))],
    ['PEM with CRLF', text(toPem(der, 'X509 CRL', '\r\n'))],
  ])('reads %s', (_form, bytes) => {
    const crl = readCrl(bytes, 'intermediate.crl');
    expect(crl).toMatchObject({
      source: 'intermediate.crl',
      issuer: { CN: 'Промежуточный УЦ docroute' },
      thisUpdate: crlTime,
      nextUpdate: new Date('2025-06-06T00:00:00Z'),
      revoked: [{ serial: serialHex, revocationDate: new Date('2022-01-10T12:00:00Z') }],
      authorityKeyIdentifier: Buffer.from(keyIdOf(pki.intermediate.key)).toString('hex').toUpperCase(),
      isDelta: false,
      signatureAlgorithm: { name: 'sha256WithRSAEncryption' },
    });
    // The signed part is the exact TBSCertList.
    expect(Buffer.from(der).includes(Buffer.from(crl.tbs))).toBe(true);
  });

  it.each([
    [
      'a certificate',
      text(toPem(pki.signer.der, 'CERTIFICATE')),
      /PEM с меткой «CERTIFICATE» — не список отозванных сертификатов/,
    ],
    ['a certificate in DER', pki.signer.der, /^список отозванных сертификатов \(CRL\): /],
    ['text', text('hello'), /ожидался DER или PEM с меткой «X509 CRL»/],
    ['nothing', new Uint8Array(0), /^файл пуст$/],
    ['a truncated CRL', der.subarray(0, 40), /обрываются/],
  ])('refuses %s with the reason', (_what, bytes, reason) => {
    expect(() => readCrl(bytes)).toThrow(UnreadableInputError);
    expect(() => readCrl(bytes)).toThrow(reason);
  });
});

describe('revocation at the signing time', () => {
  const timestamp = new Date('2021-12-23T07:16:00Z');

  it('a current CRL of the issuer without the serial: not revoked, and the verdict is valid', () => {
    const report = verifyWith([readCrl(intermediateCrl(), 'intermediate.crl')]);
    expect(revocationOf(report.checks)).toMatchObject({
      status: 'passed',
      reason:
        'Сертификат не отозван: в CRL издателя от 30.05.2025, действует до 06.06.2025 его нет. Сертификат УЦ «Промежуточный УЦ docroute» не отозван: в CRL издателя от 30.05.2025, действует до 06.06.2025 его нет.',
    });
    expect(report.verdict).toBe('valid');
    // No trusted signing time: the time of the check stood in, and the report says so.
    expect(report.reasons).toContain(
      'Доверенного времени подписания (метки времени CAdES-T) нет: отзыв проверен на момент проверки 01.06.2025 12:00:00 (Europe/Moscow).',
    );
  });

  it('revoked before the timestamp: invalid, REVOKED', () => {
    const crl = readCrl(
      intermediateCrl([{ serialHex, date: new Date('2021-12-01T09:00:00Z') }]),
      'intermediate.crl',
    );
    const report = verifyWith([crl], timestamp);
    expect(revocationOf(report.checks)).toMatchObject({
      status: 'failed',
      subIndication: 'REVOKED',
      reason: 'Сертификат отозван 01.12.2021, до подписания.',
    });
    expect(report).toMatchObject({
      verdict: 'invalid',
      subIndications: ['REVOKED'],
      summary: 'Подпись не подтверждена: сертификат отозван.',
    });
    expect(report.certificate?.chain[0]).toMatchObject({ revocation: 'revoked', status: 'failed' });
  });

  it('revoked after the timestamp: the signature stands, with a note', () => {
    const crl = readCrl(
      intermediateCrl([{ serialHex, date: new Date('2022-01-10T12:00:00Z') }]),
      'intermediate.crl',
    );
    const report = verifyWith([crl], timestamp);
    expect(revocationOf(report.checks)?.status).toBe('passed');
    expect(report.verdict).toBe('valid');
    expect(report.reasons).toContain(
      'Сертификат отозван после подписания (10.01.2022): на результат проверки это не влияет.',
    );
    expect(report.certificate?.chain[0]).toMatchObject({
      revocation: 'revoked_after_signing',
      status: 'passed',
      reason: 'Подпись издателя верна; действовал; отозван после подписания (10.01.2022).',
    });
  });

  it('revoked after signingTime but without a timestamp: the check time stands in, so REVOKED', () => {
    const crl = readCrl(
      intermediateCrl([{ serialHex, date: new Date('2022-01-10T12:00:00Z') }]),
      'intermediate.crl',
    );
    const report = verifyWith([crl]);
    expect(revocationOf(report.checks)).toMatchObject({
      status: 'failed',
      subIndication: 'REVOKED',
      reason:
        'Сертификат отозван 10.01.2022; доверенного времени подписания (метки времени CAdES-T) нет, поэтому подпись не может считаться сделанной до отзыва.',
    });
  });

  it('a revoked intermediate', () => {
    const revokedInRoot = readCrl(
      crlOf(pki.root, rootName, crlTime, [{ serialHex: '1001', date: new Date('2021-03-01T00:00:00Z') }]),
      'root-new.crl',
    );
    const report = verifyWith([readCrl(intermediateCrl(), 'intermediate.crl'), revokedInRoot], timestamp);
    expect(revocationOf(report.checks)).toMatchObject({
      status: 'failed',
      reason: 'Сертификат УЦ «Промежуточный УЦ docroute» отозван 01.03.2021, до подписания.',
    });
  });
});

describe('CRLs that cannot vouch', () => {
  it('no CRL at all for the issuer: TRY_LATER «Отзыв сертификата не проверен»', () => {
    const signature = buildSignedData({
      content,
      certificate: pki.signer,
      signingTime,
      extraCertificates: [pki.intermediate.der],
    });
    const report = verifySignature(
      { signature, content, now, timeZone },
      { trustList: { anchors: [readCertificate(pki.root.der)], intermediates: [], crls: [] } },
    );
    expect(revocationOf(report.checks)).toMatchObject({
      status: 'not_checked',
      subIndication: 'TRY_LATER',
      reason:
        'Отзыв сертификата не проверен: списки отозванных сертификатов (CRL) не переданы (--crl или «crl» в конфигурации); сертификат УЦ «Промежуточный УЦ docroute»: списки отозванных сертификатов (CRL) не переданы (--crl или «crl» в конфигурации).',
    });
    expect(report.verdict).toBe('indeterminate');
  });

  it('only a CRL of another issuer: ignored for this certificate, and named', () => {
    const other = buildPki('p256', { label: 'crl-other' });
    const foreignCrl = readCrl(crlOf(other.root, caName, crlTime), 'other.crl');
    const report = verifyWith([foreignCrl]);
    expect(revocationOf(report.checks)).toMatchObject({ status: 'not_checked', subIndication: 'TRY_LATER' });
    expect(revocationOf(report.checks)?.reason).toMatch(
      /^Отзыв сертификата не проверен: нет CRL от издателя «Промежуточный УЦ docroute» \(переданные выпущены другими: root\.crl — «Корневой УЦ docroute», other\.crl — «Тестовый УЦ docroute»\)/,
    );
  });

  it('an expired CRL (nextUpdate before the check) is not a pass', () => {
    const stale = readCrl(
      crlOf(pki.intermediate, intermediateName, new Date('2025-01-01T00:00:00Z')),
      'stale.crl',
    );
    const report = verifyWith([stale]);
    expect(revocationOf(report.checks)).toMatchObject({
      status: 'not_checked',
      subIndication: 'TRY_LATER',
      reason:
        'Отзыв сертификата не проверен: действующего CRL издателя «Промежуточный УЦ docroute» нет (stale.crl устарел: следующее обновление ожидалось 08.01.2025).',
    });
    expect(report.verdict).toBe('indeterminate');
  });

  it('an expired CRL that lists the serial still revokes: revocation is for good', () => {
    const stale = readCrl(
      crlOf(pki.intermediate, intermediateName, new Date('2025-01-01T00:00:00Z'), [
        { serialHex, date: new Date('2021-12-01T00:00:00Z') },
      ]),
      'stale.crl',
    );
    expect(revocationOf(verifyWith([stale], new Date('2021-12-23T07:16:00Z')).checks)?.subIndication).toBe(
      'REVOKED',
    );
  });

  it('a CRL with a bad signature is reported and never trusted, not even to revoke', () => {
    const forged = readCrl(
      intermediateCrl([{ serialHex, date: new Date('2021-12-01T00:00:00Z') }], { corruptSignature: true }),
      'forged.crl',
    );
    const report = verifyWith([forged]);
    expect(revocationOf(report.checks)).toMatchObject({
      status: 'not_checked',
      reason:
        'Отзыв сертификата не проверен: действующего CRL издателя «Промежуточный УЦ docroute» нет (forged.crl: подпись под списком неверна, список не учитывался).',
    });
  });

  it('a CRL signed by another key under the issuer’s name is not the issuer’s', () => {
    const impostor = buildPki('rsa', { label: 'impostor' });
    const crl = readCrl(
      crlOf(impostor.intermediate, intermediateName, crlTime, [], {
        authorityKeyIdentifier: keyIdOf(pki.intermediate.key),
      }),
      'impostor.crl',
    );
    expect(revocationOf(verifyWith([crl]).checks)?.reason).toMatch(
      /impostor\.crl: подпись под списком неверна/,
    );
  });

  it('a delta CRL alone proves nothing', () => {
    const delta = readCrl(intermediateCrl([], { delta: true }), 'delta.crl');
    expect(delta.isDelta).toBe(true);
    expect(revocationOf(verifyWith([delta]).checks)?.reason).toMatch(/delta\.crl — разностный CRL \(delta\)/);
  });
});

describe('describeCertificate: revocation at the moment asked', () => {
  const crl = readCrl(
    intermediateCrl([{ serialHex, date: new Date('2022-01-10T12:00:00Z') }]),
    'intermediate.crl',
  );
  const trustList: TrustList = {
    anchors: [readCertificate(pki.root.der)],
    intermediates: [readCertificate(pki.intermediate.der)],
    crls: [rootCrl, crl],
  };
  const signer = readCertificate(pki.signer.der);

  it('valid at a moment before the revocation, with a note', () => {
    const report = describeCertificate(signer, '2021-12-23T10:15:00+03:00', timeZone, { trustList, now });
    expect(report.verdict).toBe('valid');
    expect(report.summary).toBe('Сертификат действителен.');
    expect(report.reasons).toContain(
      'Сертификат отозван после проверяемого момента (10.01.2022): на результат проверки это не влияет.',
    );
  });

  it('invalid at a moment after it', () => {
    const report = describeCertificate(signer, '2022-02-01T10:00:00+03:00', timeZone, { trustList, now });
    expect(report).toMatchObject({ verdict: 'invalid', subIndications: ['REVOKED'] });
    expect(report.reasons[0]).toBe('Сертификат отозван 10.01.2022, до проверяемого момента.');
  });
});
