import { describe, expect, it } from 'vitest';
import { readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import { readCrl } from '../../../functions/domain/signatures/crl.ts';
import { makeDemoIdentity } from '../../../functions/domain/signatures/demo-identity.ts';
import { signatureStamp } from '../../../functions/domain/signatures/stamp.ts';
import { emptyTrustList } from '../../../functions/domain/signatures/trust-list.ts';
import { verifySignature } from '../../../functions/domain/signatures/verify.ts';

/** The demo's signer, made in memory by docroute's own issuance tools, as the reference letter's mark shows him. */

const identity = makeDemoIdentity();
const timeZone = 'Europe/Moscow';
const content = new TextEncoder().encode('Об оказании содействия. Исх. № 07-04/11180 от 23.12.2021\n');
const signature = identity.sign(content, new Date('2021-12-23T10:00:00+03:00'));
const now = new Date('2021-12-23T10:05:00+03:00');

const referenceStamp = [
  'ДОКУМЕНТ ПОДПИСАН',
  'ЭЛЕКТРОННОЙ ПОДПИСЬЮ',
  'Сертификат 0118EC5A8BAE6CF293EB11EE5A2E22B808',
  'Владелец Куликов Василий Иванович',
  'Действителен с 20.01.2021 по 20.04.2022',
];

const subIndicationsOf = (report: ReturnType<typeof verifySignature>) =>
  Object.fromEntries(report.checks.map((check) => [check.check, check.subIndication]));

describe('makeDemoIdentity', () => {
  it('GIVEN the signer certificate THEN its mark is the reference letter’s, its subject the seed’s', () => {
    const certificate = readCertificate(identity.signerCertificate);
    expect(signatureStamp(certificate, timeZone)).toEqual(referenceStamp);
    expect(certificate.subject).toMatchObject({
      SN: 'Куликов',
      G: 'Василий Иванович',
      CN: 'Куликов Василий Иванович',
      T: 'Исполняющий обязанности Главы Красногвардейского муниципального округа Ставропольского края',
      O: 'Администрация Красногвардейского муниципального округа Ставропольского края',
      C: 'RU',
      L: 'с. Красногвардейское',
      ST: '26 Ставропольский край',
    });
    expect(certificate.issuer.CN).toBe('Тестовый УЦ docroute (демонстрация)');
    expect(certificate.crlDistributionPoints).toEqual([]);
  });

  it('GIVEN the CRL THEN the CA issued it, it revokes nothing and is current from 20.12.2021 to 20.01.2022', () => {
    const crl = readCrl(identity.crl);
    expect(crl.issuer.CN).toBe('Тестовый УЦ docroute (демонстрация)');
    expect(crl.revoked).toEqual([]);
    expect(crl.thisUpdate.toISOString()).toBe('2021-12-20T00:00:00.000Z');
    expect(crl.nextUpdate?.toISOString()).toBe('2022-01-20T00:00:00.000Z');
    expect(identity.trustList.anchors.map((anchor) => anchor.subject.CN)).toEqual([
      'Тестовый УЦ docroute (демонстрация)',
    ]);
  });

  it('GIVEN each call THEN the keys are fresh: two identities share the serial, not the key', () => {
    const other = makeDemoIdentity();
    expect(readCertificate(other.signerCertificate).serial).toBe('0118EC5A8BAE6CF293EB11EE5A2E22B808');
    expect(Buffer.from(other.signerCertificate).equals(Buffer.from(identity.signerCertificate))).toBe(false);
  });

  it('GIVEN its signature, the document and its trust list THEN the verdict is valid, with the reference mark', () => {
    const report = verifySignature({ signature, content, now, timeZone }, { trustList: identity.trustList });
    expect(report).toMatchObject({
      verdict: 'valid',
      indication: 'TOTAL-PASSED',
      subIndications: [],
      timeSource: 'signingTime',
      window: 'valid',
      digest: 'match',
      signature: 'valid',
      signingTime: '2021-12-23T07:00:00.000Z',
    });
    expect(report.stamp).toEqual(referenceStamp);
    expect(report.certificate?.owner).toBe('Куликов Василий Иванович');
    expect(report.certificate?.algorithm).toMatch(/34\.10-2012/);
    expect(report.checks.every((check) => check.status === 'passed')).toBe(true);
  });

  it('GIVEN the same signature over other bytes THEN it is invalid: HASH_FAILURE', () => {
    const report = verifySignature(
      { signature, content: new TextEncoder().encode('другой документ'), now, timeZone },
      { trustList: identity.trustList },
    );
    expect(report).toMatchObject({
      verdict: 'invalid',
      indication: 'TOTAL-FAILED',
      subIndications: ['HASH_FAILURE'],
      digest: 'mismatch',
    });
    expect(subIndicationsOf(report)).toMatchObject({ digest: 'HASH_FAILURE', chain: null, revocation: null });
  });

  it('GIVEN an empty trust list THEN it is indeterminate: no chain to a trusted CA, revocation not checked', () => {
    const report = verifySignature({ signature, content, now, timeZone }, { trustList: emptyTrustList });
    expect(report).toMatchObject({
      verdict: 'indeterminate',
      indication: 'INDETERMINATE',
      subIndications: ['NO_CERTIFICATE_CHAIN_FOUND', 'TRY_LATER'],
      digest: 'match',
      signature: 'valid',
    });
    expect(subIndicationsOf(report)).toEqual({
      window: null,
      digest: null,
      signature: null,
      certificate_signature: 'NO_CERTIFICATE_CHAIN_FOUND',
      chain: 'NO_CERTIFICATE_CHAIN_FOUND',
      revocation: 'TRY_LATER',
    });
  });

  it('GIVEN a signature claimed on 01.05.2022, after the certificate expired (and the CRL too) THEN it is invalid: EXPIRED', () => {
    const late = new Date('2022-05-01T10:00:00+03:00');
    const report = verifySignature(
      { signature: identity.sign(content, late), content, now: late, timeZone },
      { trustList: identity.trustList },
    );
    expect(report).toMatchObject({
      verdict: 'invalid',
      indication: 'TOTAL-FAILED',
      subIndications: ['EXPIRED'],
      timeSource: 'signingTime',
      window: 'expired',
    });
    // The stale CRL leaves revocation open (TRY_LATER); the expiry alone decides the verdict.
    expect(subIndicationsOf(report)).toMatchObject({ window: 'EXPIRED', revocation: 'TRY_LATER' });
    expect(report.reasons.join(' ')).toContain('следующее обновление ожидалось 20.01.2022');
  });
});
