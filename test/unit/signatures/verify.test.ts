import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/domain/errors.ts';
import { readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import { describeCertificate, verifySignature } from '../../../functions/domain/signatures/verify.ts';
import {
  buildCertificate,
  buildSignedData,
  explicit,
  keyPair,
  name,
  Oids,
  oid,
  seq,
  set,
  smallInteger,
  text,
  toPem,
  utf8,
} from './build.ts';

const content = text('Об оказании содействия. Исх. № 07-04/11180 от 23.12.2021');
const signingTime = new Date('2021-12-23T07:15:00Z');
const now = new Date('2025-06-01T09:00:00Z');
const timeZone = 'Europe/Moscow';
const certificate = buildCertificate();
const signature = buildSignedData({ content, certificate, signingTime });
const chainNote =
  'Цепочка сертификатов до аккредитованного удостоверяющего центра и отзыв сертификата не проверялись.';

describe('verifySignature: the report', () => {
  const report = verifySignature({ signature, content, now, timeZone });

  it('has exactly the shape the CLI and the API print', () => {
    expect(Object.keys(report)).toEqual([
      'certificate',
      'signingTime',
      'timeSource',
      'window',
      'digest',
      'signature',
      'stamp',
      'reasons',
    ]);
    expect(Object.keys(report.certificate ?? {})).toEqual([
      'serial',
      'owner',
      'subject',
      'issuer',
      'notBefore',
      'notAfter',
      'privateKeyUsagePeriod',
      'algorithm',
    ]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('reports a good signature as valid on every count we check', () => {
    expect(report).toMatchObject({
      certificate: {
        serial: '0118EC5A8BAE6CF293EB11EE5A2E22B808',
        owner: 'Куликов Василий Иванович',
        subject: { SN: 'Куликов', G: 'Василий Иванович', INN: '771234567890' },
        issuer: { CN: 'Тестовый УЦ docroute' },
        notBefore: '2021-01-20T06:00:00.000Z',
        notAfter: '2022-04-20T21:30:00.000Z',
        privateKeyUsagePeriod: null,
        algorithm: 'rsaEncryption',
      },
      signingTime: '2021-12-23T07:15:00.000Z',
      timeSource: 'signingTime',
      window: 'valid',
      digest: 'match',
      signature: 'valid',
    });
    expect(report.stamp?.[4]).toBe('Действителен с 20.01.2021 по 21.04.2022');
    expect(report.certificate?.subject).not.toHaveProperty('attributes');
  });

  it('says that signingTime is the signer’s claim and that chain and revocation were not checked', () => {
    expect(report.reasons).toEqual([
      'Срок действия проверен на время подписания 23.12.2021 10:15:00 (Europe/Moscow).',
      'Время подписания 23.12.2021 10:15:00 указал сам подписавший (signingTime); это заявление, а не доверенная метка времени.',
      chainNote,
    ]);
  });
});

describe('verifySignature: what goes wrong', () => {
  it('a changed document', () => {
    const changed = text('Об оказании содействия. Исх. № 07-04/11181 от 23.12.2021');
    const report = verifySignature({ signature, content: changed, now, timeZone });
    expect(report.digest).toBe('mismatch');
    expect(report.signature).toBe('valid');
    expect(report.reasons[0]).toMatch(/Документ изменён/);
  });

  it('no document given', () => {
    const report = verifySignature({ signature, now, timeZone });
    expect(report.digest).toBe('not_checked');
    expect(report.signature).toBe('valid');
    expect(report.reasons[0]).toMatch(/Документ не передан/);
  });

  it('a signature made after the certificate expired', () => {
    const late = buildSignedData({ content, certificate, signingTime: new Date('2022-04-20T21:31:00Z') });
    const report = verifySignature({ signature: late, content, now, timeZone });
    expect(report.window).toBe('expired');
    expect(report.reasons[0]).toMatch(/истёк/);
  });

  it('a signature outside the private-key usage period', () => {
    const keyLimited = buildCertificate({
      privateKeyUsagePeriod: { notAfter: new Date('2021-06-01T00:00:00Z') },
    });
    const report = verifySignature({
      signature: buildSignedData({ content, certificate: keyLimited, signingTime }),
      content,
      now,
      timeZone,
    });
    expect(report.window).toBe('key_usage_period_exceeded');
    expect(report.certificate?.privateKeyUsagePeriod).toEqual({
      notBefore: null,
      notAfter: '2021-06-01T00:00:00.000Z',
    });
  });

  it('a broken signature value', () => {
    const report = verifySignature({
      signature: buildSignedData({ content, certificate, signingTime, corruptSignature: true }),
      content,
      now,
      timeZone,
    });
    expect(report.signature).toBe('invalid');
  });

  it('unreadable signature bytes: unparseable with the reason', () => {
    const report = verifySignature({ signature: signature.subarray(0, 100), content, now, timeZone });
    expect(report).toEqual({
      certificate: null,
      signingTime: null,
      timeSource: null,
      window: 'unparseable',
      digest: 'not_checked',
      signature: 'not_checked',
      stamp: null,
      reasons: [
        'Подпись не читается: подпись: данные обрываются раньше конца структуры ASN.1 (файл обрезан?).',
      ],
    });
  });

  it('unreadable certificate bytes: unparseable with the reason', () => {
    const report = verifySignature({
      signature,
      certificate: text('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'),
      now,
      timeZone,
    });
    expect(report.window).toBe('unparseable');
    expect(report.reasons[0]).toMatch(/^Сертификат не читается: PEM: метка «PUBLIC KEY»/);
  });

  it('a SignedData without signers (a certificate bag) is not a signature', () => {
    const bag = seq(
      oid(Oids.signedData),
      explicit(0, seq(smallInteger(1), set(), seq(oid(Oids.data)), explicit(0, certificate.der), set())),
    );
    const report = verifySignature({ signature: bag, now, timeZone });
    expect(report.window).toBe('unparseable');
    expect(report.reasons[0]).toMatch(/нет ни одной подписи/);
  });

  it('a passed document that differs from the attached one: the passed one is compared, and the report says so', () => {
    const attached = buildSignedData({ content, certificate, signingTime, attached: true });
    expect(verifySignature({ signature: attached, now, timeZone }).digest).toBe('match');
    const report = verifySignature({ signature: attached, content: text('другой документ'), now, timeZone });
    expect(report.digest).toBe('mismatch');
    expect(report.reasons).toContain(
      'Переданный документ отличается от вложенного в подпись; сверялся переданный.',
    );
  });

  it('a malformed --at or time zone is the caller’s mistake', () => {
    expect(() => verifySignature({ signature, at: '21.04.2022', now, timeZone })).toThrow(ValidationError);
    expect(() => verifySignature({ signature, now, timeZone: 'Mars/Olympus' })).toThrow(ValidationError);
  });
});

describe('verifySignature: which certificate', () => {
  const withoutCertificate = buildSignedData({
    content,
    certificate,
    signingTime,
    includeCertificate: false,
  });

  it('without any certificate: cannot judge the window, cannot check the signature', () => {
    const report = verifySignature({ signature: withoutCertificate, content, now, timeZone });
    expect(report).toMatchObject({
      certificate: null,
      stamp: null,
      window: 'indeterminate',
      digest: 'match',
      signature: 'not_checked',
    });
    expect(report.reasons[0]).toMatch(/Сертификат подписанта не найден/);
  });

  it('uses a certificate passed separately, in any form', () => {
    const report = verifySignature({
      signature: withoutCertificate,
      content,
      certificate: text(toPem(certificate.der, 'CERTIFICATE', '\r\n')),
      now,
      timeZone,
    });
    expect(report).toMatchObject({ window: 'valid', digest: 'match', signature: 'valid' });
  });

  it('prefers the certificate the signer identifier names and says the passed one does not match', () => {
    const stranger = buildCertificate({
      serialHex: '05',
      key: keyPair('p256'),
      subject: name([Oids.CN, utf8('Посторонний')]),
    });
    const report = verifySignature({ signature, content, certificate: stranger.der, now, timeZone });
    expect(report.certificate?.owner).toBe('Куликов Василий Иванович');
    expect(report.signature).toBe('valid');
    expect(report.reasons).toContain(
      'Переданный сертификат не соответствует подписанту; использован сертификат из подписи.',
    );
  });

  it('uses a non-matching passed certificate when there is no other, and the check fails', () => {
    const stranger = buildCertificate({
      serialHex: '05',
      key: keyPair('p256'),
      subject: name([Oids.CN, utf8('Посторонний')]),
    });
    const report = verifySignature({
      signature: withoutCertificate,
      content,
      certificate: stranger.der,
      now,
      timeZone,
    });
    expect(report.certificate?.owner).toBe('Посторонний');
    expect(report.signature).toBe('invalid');
    expect(report.reasons).toContain(
      'Переданный сертификат не соответствует идентификатору подписанта, указанному в подписи.',
    );
  });
});

describe('verifySignature: which time', () => {
  it('judges at a CAdES-T timestamp rather than at signingTime', () => {
    const genTime = new Date('2022-04-20T21:31:00Z'); // after notAfter; signingTime is inside
    const stamped = buildSignedData({ content, certificate, signingTime, timestamp: { genTime } });
    const report = verifySignature({ signature: stamped, content, now, timeZone });
    expect(report.timeSource).toBe('timestamp');
    expect(report.window).toBe('expired');
    expect(report.reasons.join(' ')).toMatch(/метки времени \(CAdES-T\) 21\.04\.2022 00:31:00/);
  });

  it('lets an explicit --at win over the timestamp, and reports what the timestamp would say', () => {
    const genTime = new Date('2022-04-20T21:31:00Z');
    const stamped = buildSignedData({ content, certificate, signingTime, timestamp: { genTime } });
    const report = verifySignature({ signature: stamped, content, at: '2021-12-24', now, timeZone });
    expect(report.timeSource).toBe('asserted');
    expect(report.window).toBe('valid');
    expect(report.reasons).toContain('В подписи есть метка времени: 21.04.2022 00:31:00 (Europe/Moscow).');
    expect(report.reasons.join(' ')).toMatch(
      /На 21\.04\.2022 00:31:00 \(Europe\/Moscow\) срок действия сертификата уже истёк/,
    );
  });

  it('ignores a timestamp over some other signature', () => {
    const stamped = buildSignedData({
      content,
      certificate,
      signingTime,
      timestamp: { genTime: new Date('2030-01-01T00:00:00Z'), imprint: new Uint8Array(32) },
    });
    const report = verifySignature({ signature: stamped, content, now, timeZone });
    expect(report.timeSource).toBe('signingTime');
    expect(report.reasons).toContain(
      'Метка времени относится не к этой подписи (хэш подписи не совпадает) и не учитывалась.',
    );
  });

  it('falls back to the time of the check without signingTime', () => {
    const undated = buildSignedData({ content, certificate });
    const report = verifySignature({ signature: undated, content, now, timeZone });
    expect(report.timeSource).toBe('check');
    expect(report.signingTime).toBeNull();
    expect(report.window).toBe('expired'); // the certificate ended in 2022; the check is in 2025
    expect(report.reasons).toContain(
      'Время подписания в подписи не указано: срок действия проверен на момент проверки 01.06.2025 12:00:00 (Europe/Moscow).',
    );
  });

  it('answers a date-only question as indeterminate on a boundary day', () => {
    const report = verifySignature({ signature, content, at: '2022-04-21', now, timeZone });
    expect(report.window).toBe('indeterminate');
    expect(report.timeSource).toBe('asserted');
  });
});

describe('describeCertificate', () => {
  const keyLimited = readCertificate(
    buildCertificate({
      privateKeyUsagePeriod: {
        notBefore: new Date('2021-01-20T06:00:00Z'),
        notAfter: new Date('2022-01-20T06:00:00Z'),
      },
    }).der,
  );

  it('judges at the time of the check when given a Date', () => {
    const report = describeCertificate(keyLimited, new Date('2021-06-01T00:00:00Z'), timeZone);
    expect(report.timeSource).toBe('check');
    expect(report.window).toBe('valid');
    expect(report.stamp[2]).toBe('Сертификат 0118EC5A8BAE6CF293EB11EE5A2E22B808');
    expect(report.certificate.privateKeyUsagePeriod).toEqual({
      notBefore: '2021-01-20T06:00:00.000Z',
      notAfter: '2022-01-20T06:00:00.000Z',
    });
    expect(report.reasons).toContain(chainNote);
  });

  it('judges at the asserted moment when given a string', () => {
    const report = describeCertificate(keyLimited, '2022-03-01T12:00:00+03:00', timeZone);
    expect(report.timeSource).toBe('asserted');
    expect(report.window).toBe('key_usage_period_exceeded');
    expect(report.reasons[0]).toMatch(/закрытого ключа/);
  });
});
