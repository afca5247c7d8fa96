import { createHash, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { UnreadableInputError } from '../../../functions/domain/errors.ts';
import { readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import {
  bmp,
  buildCertificate,
  concat,
  gostSpki,
  ia5,
  keyPair,
  name,
  numeric,
  Oids,
  printable,
  seq,
  set,
  teletex,
  text,
  tlv,
  toPem,
  utf8,
} from './build.ts';

describe('readCertificate: the seed certificate', () => {
  const built = buildCertificate({ subjectKeyIdentifier: Uint8Array.of(1, 2, 3, 0xab) });
  const certificate = readCertificate(built.der);

  it('reads serial, owner and the Russian attributes', () => {
    expect(certificate.serial).toBe('0118EC5A8BAE6CF293EB11EE5A2E22B808');
    expect(certificate.serialRawHex).toBe('0118EC5A8BAE6CF293EB11EE5A2E22B808');
    expect(certificate.owner).toBe('Куликов Василий Иванович');
    expect(certificate.subject).toMatchObject({
      CN: 'Куликов Василий Иванович',
      SN: 'Куликов',
      G: 'Василий Иванович',
      T: 'Глава администрации',
      O: 'Администрация городского округа',
      L: 'Москва',
      ST: '77 г. Москва',
      street: 'ул. Тверская, д. 13',
      C: 'RU',
      INN: '771234567890',
      SNILS: '12345678901',
      OGRN: '1027700000000',
    });
    expect(certificate.subject.attributes).toHaveLength(12);
    expect(certificate.subject.attributes[0]).toEqual({ oid: '2.5.4.6', value: 'RU' });
    expect(certificate.issuer.CN).toBe('Тестовый УЦ docroute');
  });

  it('reads validity as instants, the key algorithm and the signature algorithm', () => {
    expect(certificate.notBefore.toISOString()).toBe('2021-01-20T06:00:00.000Z');
    expect(certificate.notAfter.toISOString()).toBe('2022-04-20T21:30:00.000Z');
    expect(certificate.privateKeyUsagePeriod).toBeNull();
    expect(certificate.publicKeyAlgorithm).toEqual({ oid: '1.2.840.113549.1.1.1', name: 'rsaEncryption' });
    expect(certificate.signatureAlgorithm).toEqual({
      oid: '1.2.840.113549.1.1.11',
      name: 'sha256WithRSAEncryption',
    });
    expect(certificate.subjectKeyIdentifier).toBe('010203AB');
  });

  it('keeps the DER, the SPKI and the SHA-1 thumbprint', () => {
    expect(Buffer.from(certificate.der).equals(Buffer.from(built.der))).toBe(true);
    expect(Buffer.from(certificate.spki).equals(Buffer.from(built.key.spki))).toBe(true);
    expect(certificate.thumbprint).toBe(createHash('sha1').update(built.der).digest('hex').toUpperCase());
  });

  it('agrees with node:crypto X509Certificate', () => {
    const native = new X509Certificate(built.der);
    expect(certificate.serial).toBe(native.serialNumber.toUpperCase());
    expect(certificate.notBefore.getTime()).toBe(new Date(native.validFrom).getTime());
    expect(certificate.notAfter.getTime()).toBe(new Date(native.validTo).getTime());
    expect(certificate.thumbprint).toBe(native.fingerprint.replaceAll(':', ''));
  });

  it('reads the same certificate from PEM, PEM with CRLF and bare base64', () => {
    for (const form of [
      text(toPem(built.der, 'CERTIFICATE')),
      text(toPem(built.der, 'CERTIFICATE', '\r\n')),
      text(Buffer.from(built.der).toString('base64')),
    ]) {
      expect(readCertificate(form).thumbprint).toBe(certificate.thumbprint);
    }
  });
});

describe('readCertificate: serials', () => {
  it('drops one leading 00 byte from the printed serial and keeps it in the raw form', () => {
    const certificate = readCertificate(
      buildCertificate({ serialHex: '008118EC5A8BAE6CF293EB11EE5A2E22B808' }).der,
    );
    expect(certificate.serialRawHex).toBe('008118EC5A8BAE6CF293EB11EE5A2E22B808');
    expect(certificate.serial).toBe('8118EC5A8BAE6CF293EB11EE5A2E22B808');
  });

  it('prints small serials in uppercase', () => {
    const certificate = readCertificate(buildCertificate({ serialHex: '0abc' }).der);
    expect(certificate.serial).toBe('0ABC');
  });
});

describe('readCertificate: names and string types', () => {
  it('decodes UTF8, BMP, Printable, Numeric, IA5 and Teletex strings', () => {
    const subject = name(
      [Oids.CN, bmp('Плаксина Ольга')],
      [Oids.O, teletex('Caf\u00e9 Ltd')],
      [Oids.E, ia5('clerk@example.ru')],
      [Oids.INNLE, numeric('7710474375')],
      [Oids.OU, printable('Office')],
      [Oids.OU, utf8('Второй отдел')],
    );
    const certificate = readCertificate(buildCertificate({ subject }).der);
    expect(certificate.subject).toMatchObject({
      CN: 'Плаксина Ольга',
      O: 'Café Ltd',
      E: 'clerk@example.ru',
      INNLE: '7710474375',
      OU: 'Office',
    });
    // A repeated attribute keeps the first under its short name and every one in the list.
    expect(certificate.subject.attributes.filter((a) => a.oid === Oids.OU).map((a) => a.value)).toEqual([
      'Office',
      'Второй отдел',
    ]);
    expect(certificate.owner).toBe('Плаксина Ольга'); // no SN: the common name
  });

  it('decodes three- and four-byte UTF-8 characters', () => {
    const certificate = readCertificate(
      buildCertificate({ subject: name([Oids.CN, utf8('№ 7 — «Ёлка» 𝔸')]) }).der,
    );
    expect(certificate.subject.CN).toBe('№ 7 — «Ёлка» 𝔸');
  });

  it('names attributes it has no short name for only in the list', () => {
    const certificate = readCertificate(
      buildCertificate({ subject: name(['1.2.643.100.5', numeric('304500116000157')]) }).der,
    );
    expect(certificate.subject.attributes).toEqual([{ oid: '1.2.643.100.5', value: '304500116000157' }]);
    expect(certificate.owner).toBe('');
  });
});

describe('readCertificate: times', () => {
  it('reads UTCTime years below 50 as 20xx and from 50 as 19xx', () => {
    const certificate = readCertificate(
      buildCertificate({
        notBeforeTime: tlv(0x17, text('500101000000Z')),
        notAfterTime: tlv(0x17, text('491231235959Z')),
      }).der,
    );
    expect(certificate.notBefore.toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(certificate.notAfter.toISOString()).toBe('2049-12-31T23:59:59.000Z');
  });

  it('reads GeneralizedTime with fractional seconds and with offsets', () => {
    const certificate = readCertificate(
      buildCertificate({
        notBeforeTime: tlv(0x18, text('20210120060000.25Z')),
        notAfterTime: tlv(0x18, text('20220421003000+0300')),
      }).der,
    );
    expect(certificate.notBefore.toISOString()).toBe('2021-01-20T06:00:00.250Z');
    expect(certificate.notAfter.toISOString()).toBe('2022-04-20T21:30:00.000Z');
  });

  it('reads notAfter in 2070 written as GeneralizedTime', () => {
    const certificate = readCertificate(buildCertificate({ notAfter: new Date('2070-09-17T10:50:44Z') }).der);
    expect(certificate.notAfter.toISOString()).toBe('2070-09-17T10:50:44.000Z');
  });

  it.each(['210230000000Z', '211301000000Z', '2101200600Z0', 'garbage'])(
    'rejects the impossible UTCTime %s',
    (value) => {
      expect(() => readCertificate(buildCertificate({ notBeforeTime: tlv(0x17, text(value)) }).der)).toThrow(
        UnreadableInputError,
      );
    },
  );

  it('reads PrivateKeyUsagePeriod with both ends, only notAfter, or only notBefore', () => {
    const both = readCertificate(
      buildCertificate({
        privateKeyUsagePeriod: {
          notBefore: new Date('2021-01-20T06:00:00Z'),
          notAfter: new Date('2022-01-20T06:00:00Z'),
        },
      }).der,
    );
    expect(both.privateKeyUsagePeriod).toEqual({
      notBefore: new Date('2021-01-20T06:00:00Z'),
      notAfter: new Date('2022-01-20T06:00:00Z'),
    });
    const onlyEnd = readCertificate(
      buildCertificate({ privateKeyUsagePeriod: { notAfter: new Date('2022-01-20T06:00:00Z') } }).der,
    );
    expect(onlyEnd.privateKeyUsagePeriod).toEqual({
      notBefore: null,
      notAfter: new Date('2022-01-20T06:00:00Z'),
    });
    const onlyStart = readCertificate(
      buildCertificate({ privateKeyUsagePeriod: { notBefore: new Date('2021-01-20T06:00:00Z') } }).der,
    );
    expect(onlyStart.privateKeyUsagePeriod).toEqual({
      notBefore: new Date('2021-01-20T06:00:00Z'),
      notAfter: null,
    });
  });
});

describe('readCertificate: algorithms', () => {
  it('names ECDSA keys with their curve', () => {
    expect(readCertificate(buildCertificate({ key: keyPair('p256') }).der).publicKeyAlgorithm.name).toBe(
      'id-ecPublicKey P-256',
    );
    const p384 = readCertificate(buildCertificate({ key: keyPair('p384') }).der);
    expect(p384.publicKeyAlgorithm.name).toBe('id-ecPublicKey P-384');
    expect(p384.signatureAlgorithm.name).toBe('ecdsa-with-SHA384');
  });

  it('names RSA-PSS keys', () => {
    const certificate = readCertificate(buildCertificate({ key: keyPair('rsa-pss') }).der);
    expect(certificate.publicKeyAlgorithm.name).toBe('RSASSA-PSS');
    expect(certificate.signatureAlgorithm.name).toBe('RSASSA-PSS');
  });

  it('names GOST R 34.10-2012 keys, which forge.pki cannot read', () => {
    const der = buildCertificate({ spkiOverride: gostSpki() }).der;
    expect(() =>
      forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(der).toString('binary'))),
    ).toThrow();
    expect(readCertificate(der).publicKeyAlgorithm).toEqual({
      oid: '1.2.643.7.1.1.1.1',
      name: 'GOST R 34.10-2012 256',
    });
  });
});

describe('readCertificate: a certificate made by node-forge', () => {
  it('reads what forge.pki writes', () => {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
    const made = forge.pki.createCertificate();
    made.publicKey = keys.publicKey;
    made.serialNumber = '00c0ffee';
    made.validity.notBefore = new Date('2021-01-20T06:00:00Z');
    made.validity.notAfter = new Date('2052-04-20T21:30:00Z');
    made.setSubject([
      { shortName: 'CN', value: 'Forge Test' },
      { type: Oids.INN, value: '771234567890' },
    ]);
    made.setIssuer([{ shortName: 'CN', value: 'Forge CA' }]);
    made.sign(keys.privateKey, forge.md.sha256.create());
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(made)).getBytes(), 'binary');
    const certificate = readCertificate(der);
    expect(certificate.serial).toBe('C0FFEE');
    expect(certificate.subject).toMatchObject({ CN: 'Forge Test', INN: '771234567890' });
    expect(certificate.notAfter.toISOString()).toBe('2052-04-20T21:30:00.000Z');
  });
});

describe('readCertificate: damaged input', () => {
  const der = buildCertificate().der;

  function rejection(bytes: Uint8Array): string {
    try {
      readCertificate(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(UnreadableInputError);
      return (error as Error).message;
    }
    throw new Error('expected a rejection');
  }

  it('rejects truncated data', () => {
    expect(rejection(der.subarray(0, 700))).toMatch(/обрываются/);
  });

  it('rejects trailing bytes', () => {
    expect(rejection(concat(der, Uint8Array.of(0, 1, 2)))).toMatch(/лишние байты \(3\)/);
  });

  it('rejects a corrupted length', () => {
    const damaged = Uint8Array.from(der);
    damaged[1] = 0x88;
    expect(rejection(damaged)).toMatch(/длина/);
  });

  it('rejects a structure that is not a certificate', () => {
    expect(rejection(tlv(0x30, tlv(0x02, Uint8Array.of(1))))).toMatch(/сертификат/);
    expect(rejection(tlv(0x30, tlv(0x30), tlv(0x30), tlv(0x03, Uint8Array.of(0))))).toMatch(/сертификат/);
  });

  it('rejects a validity period with a missing date', () => {
    const broken = buildCertificate({ notAfterTime: new Uint8Array(0) }).der;
    expect(rejection(broken)).toMatch(/две даты/);
  });

  it('rejects an undecodable OID (last arc unterminated)', () => {
    const subject = seq(set(seq(tlv(0x06, Uint8Array.of(0x2a, 0x80)), printable('x'))));
    expect(rejection(buildCertificate({ subject }).der)).toMatch(/OID/);
  });
});
