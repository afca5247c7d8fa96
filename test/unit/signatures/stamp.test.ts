import { describe, expect, it } from 'vitest';
import { readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import { signatureStamp } from '../../../functions/domain/signatures/stamp.ts';
import { buildCertificate } from './build.ts';

describe('signatureStamp', () => {
  const certificate = readCertificate(buildCertificate().der);

  it('prints the five lines of the seed letter, dates as Moscow calendar dates', () => {
    expect(signatureStamp(certificate, 'Europe/Moscow')).toEqual([
      'ДОКУМЕНТ ПОДПИСАН',
      'ЭЛЕКТРОННОЙ ПОДПИСЬЮ',
      'Сертификат 0118EC5A8BAE6CF293EB11EE5A2E22B808',
      'Владелец Куликов Василий Иванович',
      // notAfter 2022-04-20T21:30Z is already 21.04.2022 in Moscow
      'Действителен с 20.01.2021 по 21.04.2022',
    ]);
  });

  it('prints the dates of the configured zone', () => {
    expect(signatureStamp(certificate, 'UTC')[4]).toBe('Действителен с 20.01.2021 по 20.04.2022');
  });

  it('prints the serial in uppercase', () => {
    expect(signatureStamp({ ...certificate, serial: 'abc123' }, 'UTC')[2]).toBe('Сертификат ABC123');
  });
});
