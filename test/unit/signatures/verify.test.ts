import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/domain/errors.ts';
import { readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import {
  type Check,
  failed,
  judge,
  notChecked,
  passed,
  summaryOf,
} from '../../../functions/domain/signatures/report.ts';
import { describeCertificate, verifySignature } from '../../../functions/domain/signatures/verify.ts';
import {
  buildCertificate,
  buildSignedData,
  caName,
  explicit,
  gostSpki,
  keyPair,
  name,
  Oids,
  oid,
  printable,
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
const issuerNotGiven =
  'Сертификата издателя нет ни в подписи, ни среди переданных: подпись издателя под сертификатом не проверена, сертификат мог быть изменён.';
const chainNotChecked =
  'Цепочка сертификатов не построена: издатель «Тестовый УЦ docroute» не найден среди доверенных: список доверенных удостоверяющих центров не задан (--trust или «trust» в конфигурации).';
const revocationNotChecked =
  'Отзыв сертификата не проверен: списки отозванных сертификатов (CRL) не переданы (--crl или «crl» в конфигурации).';

/** The status and sub-indication of each check, in order. */
const statusesOf = (checks: readonly Check[]) =>
  Object.fromEntries(
    checks.map((c) => [c.check, c.subIndication === null ? c.status : `${c.status} ${c.subIndication}`]),
  );

describe('verifySignature: the report without a trust list', () => {
  const report = verifySignature({ signature, content, now, timeZone });

  it('has exactly the shape the CLI and the API print', () => {
    expect(Object.keys(report)).toEqual([
      'verdict',
      'indication',
      'subIndications',
      'summary',
      'certificate',
      'signingTime',
      'timeSource',
      'window',
      'digest',
      'signature',
      'stamp',
      'reasons',
      'checks',
    ]);
    expect(Object.keys(report.checks[0] ?? {})).toEqual(['check', 'status', 'subIndication', 'reason']);
    expect(Object.keys(report.certificate ?? {})).toEqual([
      'serial',
      'owner',
      'subject',
      'issuer',
      'notBefore',
      'notAfter',
      'privateKeyUsagePeriod',
      'algorithm',
      'chain',
    ]);
    expect(Object.keys(report.certificate?.chain[0] ?? {})).toEqual([
      'subject',
      'serial',
      'issuer',
      'validity',
      'signature',
      'revocation',
      'isTrustAnchor',
      'status',
      'reason',
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

  it('says what was not checked, then that signingTime is the signer’s claim', () => {
    expect(report.reasons).toEqual([
      issuerNotGiven,
      chainNotChecked,
      revocationNotChecked,
      'Срок действия проверен на время подписания 23.12.2021 10:15:00 (Europe/Moscow).',
      'Время подписания 23.12.2021 10:15:00 указал сам подписавший (signingTime); это заявление, а не доверенная метка времени.',
    ]);
  });

  it('is indeterminate, not valid: the issuer, the chain and revocation were not checked', () => {
    expect(report).toMatchObject({
      verdict: 'indeterminate',
      indication: 'INDETERMINATE',
      subIndications: ['NO_CERTIFICATE_CHAIN_FOUND', 'TRY_LATER'],
      summary:
        'Статус подписи не определён: подпись издателя под сертификатом не проверена; цепочка сертификатов не проверена; отзыв сертификата не проверен.',
    });
    expect(statusesOf(report.checks)).toEqual({
      window: 'passed',
      digest: 'passed',
      signature: 'passed',
      certificate_signature: 'not_checked NO_CERTIFICATE_CHAIN_FOUND',
      chain: 'not_checked NO_CERTIFICATE_CHAIN_FOUND',
      revocation: 'not_checked TRY_LATER',
    });
  });
});

describe('verifySignature: what goes wrong', () => {
  it('a changed document', () => {
    const changed = text('Об оказании содействия. Исх. № 07-04/11181 от 23.12.2021');
    const report = verifySignature({ signature, content: changed, now, timeZone });
    expect(report.digest).toBe('mismatch');
    expect(report.signature).toBe('valid');
    expect(report.reasons[0]).toMatch(/Документ изменён/);
    expect(report).toMatchObject({
      verdict: 'invalid',
      indication: 'TOTAL-FAILED',
      subIndications: ['HASH_FAILURE'],
      summary: 'Подпись не подтверждена: документ изменён после подписания.',
    });
  });

  it('no document given', () => {
    const report = verifySignature({ signature, now, timeZone });
    expect(report.digest).toBe('not_checked');
    expect(report.signature).toBe('valid');
    expect(report.reasons[0]).toMatch(/Документ не передан/);
    expect(report.verdict).toBe('indeterminate');
    expect(report.subIndications).toContain('SIGNED_DATA_NOT_FOUND');
    expect(report.summary).toMatch(/^Статус подписи не определён: документ не передан; /);
  });

  it('a signature made after the certificate expired', () => {
    const late = buildSignedData({ content, certificate, signingTime: new Date('2022-04-20T21:31:00Z') });
    const report = verifySignature({ signature: late, content, now, timeZone });
    expect(report.window).toBe('expired');
    expect(report.reasons[0]).toMatch(/истёк/);
    expect(report).toMatchObject({ verdict: 'invalid', subIndications: ['EXPIRED'] });
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
    expect(report).toMatchObject({ verdict: 'invalid', subIndications: ['KEY_USAGE_PERIOD_EXCEEDED'] });
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
    expect(report).toMatchObject({ verdict: 'invalid', subIndications: ['SIG_CRYPTO_FAILURE'] });
    expect(report.summary).toBe('Подпись не подтверждена: подпись не соответствует ключу сертификата.');
  });

  it('unreadable signature bytes: unparseable with the reason', () => {
    const report = verifySignature({ signature: signature.subarray(0, 100), content, now, timeZone });
    const reason =
      'Подпись не читается: подпись: данные обрываются раньше конца структуры ASN.1 (файл обрезан?).';
    expect(report).toEqual({
      verdict: 'invalid',
      indication: 'TOTAL-FAILED',
      subIndications: ['FORMAT_FAILURE'],
      summary: 'Подпись не подтверждена: файл не читается.',
      certificate: null,
      signingTime: null,
      timeSource: null,
      window: 'unparseable',
      digest: 'not_checked',
      signature: 'not_checked',
      stamp: null,
      reasons: [reason],
      checks: [{ check: 'format', status: 'failed', subIndication: 'FORMAT_FAILURE', reason }],
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
      verdict: 'indeterminate',
    });
    expect(report.reasons[0]).toMatch(/Сертификат подписанта не найден/);
    expect(report.subIndications).toContain('NO_SIGNING_CERTIFICATE_FOUND');
    expect(report.summary).toBe('Статус подписи не определён: сертификат подписанта не найден.');
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
    // It may have been signed in time; nothing shows when: indeterminate, not invalid.
    expect(report.verdict).toBe('indeterminate');
    expect(report.checks[0]).toMatchObject({
      check: 'window',
      status: 'not_checked',
      subIndication: 'OUT_OF_BOUNDS_NO_POE',
    });
    expect(report.reasons).toContain(
      'Время подписания в подписи не указано: срок действия проверен на момент проверки 01.06.2025 12:00:00 (Europe/Moscow).',
    );
  });

  it('answers a date-only question as indeterminate on a boundary day', () => {
    const report = verifySignature({ signature, content, at: '2022-04-21', now, timeZone });
    expect(report.window).toBe('indeterminate');
    expect(report.timeSource).toBe('asserted');
    expect(report.checks[0]).toMatchObject({ status: 'not_checked', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
  });

  it('without signingTime, a certificate not yet valid at the check is a failure: the signature already exists', () => {
    const future = buildCertificate({
      notBefore: new Date('2030-01-01T00:00:00Z'),
      notAfter: new Date('2031-01-01T00:00:00Z'),
    });
    const report = verifySignature({
      signature: buildSignedData({ content, certificate: future }),
      content,
      now,
      timeZone,
    });
    expect(report).toMatchObject({
      window: 'not_yet_valid',
      verdict: 'invalid',
      subIndications: ['NOT_YET_VALID'],
    });
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
    expect(report.reasons).toContain(chainNotChecked);
    expect(report.reasons).toContain(revocationNotChecked);
    expect(report).toMatchObject({
      verdict: 'indeterminate',
      summary:
        'Статус сертификата не определён: подпись издателя под сертификатом не проверена; цепочка сертификатов не проверена; отзыв сертификата не проверен.',
    });
  });

  it('checks a self-signed certificate’s own signature, and finds one edited after issue (notAfter moved)', () => {
    const selfSigned = buildCertificate({ subject: caName, issuer: caName, key: keyPair('p256') });
    const report = describeCertificate(readCertificate(selfSigned.der), '2021-06-01', timeZone);
    expect(statusesOf(report.checks)).toMatchObject({ window: 'passed', certificate_signature: 'passed' });
    expect(report.verdict).toBe('indeterminate');
    const edited = describeCertificate(
      readCertificate(editName(selfSigned.der, '220420213000Z', '320420213000Z')),
      '2021-06-01',
      timeZone,
    );
    expect(edited).toMatchObject({ verdict: 'invalid', subIndications: ['SIG_CRYPTO_FAILURE'] });
  });

  it('an expired certificate is invalid at the moment asked', () => {
    const report = describeCertificate(keyLimited, '2023-06-01', timeZone);
    expect(report).toMatchObject({ window: 'expired', verdict: 'invalid', subIndications: ['EXPIRED'] });
  });

  it('judges at the asserted moment when given a string', () => {
    const report = describeCertificate(keyLimited, '2022-03-01T12:00:00+03:00', timeZone);
    expect(report.timeSource).toBe('asserted');
    expect(report.window).toBe('key_usage_period_exceeded');
    expect(report.reasons[0]).toMatch(/закрытого ключа/);
  });
});

/** The certificate with the last `from` (the subject comes after the issuer) replaced by `to`, as long in UTF-8. */
function editName(der: Uint8Array, from: string, to: string): Uint8Array {
  const before = Buffer.from(from, 'utf8');
  const after = Buffer.from(to, 'utf8');
  const at = Buffer.from(der).lastIndexOf(before);
  if (at < 0 || before.length !== after.length) throw new Error(`no ${from} in the certificate`);
  const edited = Uint8Array.from(der);
  edited.set(after, at);
  return edited;
}

describe('verifySignature: a certificate edited after issue', () => {
  // The CA's certificate travels in the CMS, so the signer certificate's own signature can be checked.
  const caKey = keyPair('p256');
  const ca = buildCertificate({ serialHex: '01', subject: caName, issuer: caName, key: caKey });
  const owner = name([Oids.C, printable('RU')], [Oids.CN, utf8('Куликов Василий Иванович')]);
  const issued = buildCertificate({ subject: owner, issuerKey: caKey });
  // One byte of the owner's CN: «Иванович» becomes «Иванавич»; the CMS is signed afresh over it.
  const edited = { ...issued, der: editName(issued.der, 'Иванович', 'Иванавич') };
  const check = (signed: Uint8Array) => verifySignature({ signature: signed, content, now, timeZone });

  it('the issued certificate: its issuer’s signature verifies; chain and revocation stay unchecked', () => {
    const report = check(
      buildSignedData({ content, certificate: issued, signingTime, extraCertificates: [ca.der] }),
    );
    expect(statusesOf(report.checks)).toMatchObject({ signature: 'passed', certificate_signature: 'passed' });
    expect(report).toMatchObject({
      verdict: 'indeterminate',
      subIndications: ['NO_CERTIFICATE_CHAIN_FOUND', 'TRY_LATER'],
    });
  });

  it('the edited one: the CMS signature verifies, the certificate’s does not, so the signature is invalid', () => {
    const report = check(
      buildSignedData({ content, certificate: edited, signingTime, extraCertificates: [ca.der] }),
    );
    expect(report.certificate?.owner).toBe('Куликов Василий Иванавич');
    expect(report.signature).toBe('valid');
    expect(report.digest).toBe('match');
    expect(statusesOf(report.checks)).toMatchObject({ certificate_signature: 'failed SIG_CRYPTO_FAILURE' });
    expect(report).toMatchObject({
      verdict: 'invalid',
      indication: 'TOTAL-FAILED',
      subIndications: ['SIG_CRYPTO_FAILURE'],
      summary: 'Подпись не подтверждена: сертификат подписанта изменён или выпущен не его издателем.',
    });
    expect(report.reasons[0]).toMatch(/^Подпись издателя под сертификатом неверна/);
  });

  it('the edited one without its issuer: not caught, so never called valid — indeterminate', () => {
    const report = check(buildSignedData({ content, certificate: edited, signingTime }));
    expect(statusesOf(report.checks)).toMatchObject({
      signature: 'passed',
      certificate_signature: 'not_checked NO_CERTIFICATE_CHAIN_FOUND',
    });
    expect(report.verdict).toBe('indeterminate');
  });
});

describe('verifySignature: GOST', () => {
  it('a GOST certificate whose key is not a point of its curve: the signature is invalid, never valid', () => {
    const gost = buildCertificate({ spkiOverride: gostSpki() });
    const report = verifySignature({
      signature: buildSignedData({ content, certificate: gost, signingTime }),
      content,
      now,
      timeZone,
    });
    expect(report.signature).toBe('invalid');
    expect(statusesOf(report.checks)).toMatchObject({ signature: 'failed SIG_CRYPTO_FAILURE' });
    expect(report.verdict).toBe('invalid');
  });
});

describe('judge: the fold of the checks', () => {
  const ok = passed('digest', 'Документ не изменён после подписания.');
  const open = notChecked('chain', 'NO_CERTIFICATE_CHAIN_FOUND', 'Цепочка сертификатов не проверена.');
  const bad = failed('signature', 'SIG_CRYPTO_FAILURE', 'Подпись неверна.');

  it('valid (TOTAL-PASSED) only when every check was done and passed', () => {
    expect(judge([ok])).toEqual({ verdict: 'valid', indication: 'TOTAL-PASSED', subIndications: [] });
    expect(summaryOf('signature', judge([ok]), [ok])).toBe('Подпись действительна.');
    expect(summaryOf('certificate', judge([ok]), [ok])).toBe('Сертификат действителен.');
  });

  it('indeterminate when something was not checked and nothing failed', () => {
    expect(judge([ok, open])).toEqual({
      verdict: 'indeterminate',
      indication: 'INDETERMINATE',
      subIndications: ['NO_CERTIFICATE_CHAIN_FOUND'],
    });
    expect(summaryOf('signature', judge([ok, open]), [ok, open])).toBe(
      'Статус подписи не определён: цепочка сертификатов не проверена.',
    );
  });

  it('invalid when a check failed, whatever else was not checked; the failures are the sub-indications', () => {
    expect(judge([open, bad, ok])).toEqual({
      verdict: 'invalid',
      indication: 'TOTAL-FAILED',
      subIndications: ['SIG_CRYPTO_FAILURE'],
    });
    expect(summaryOf('signature', judge([open, bad]), [open, bad])).toBe(
      'Подпись не подтверждена: подпись не соответствует ключу сертификата.',
    );
  });

  it('no checks at all is no pass', () => {
    expect(judge([]).verdict).toBe('indeterminate');
  });
});
