import { createHash, verify } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { UnreadableInputError } from '../../../functions/domain/errors.ts';
import { readSignedData } from '../../../functions/domain/signatures/cms.ts';
import {
  buildCertificate,
  buildSignedData,
  explicit,
  keyPair,
  name,
  Oids,
  oid,
  seq,
  smallInteger,
  text,
  toPem,
  utf8,
} from './build.ts';

const content = text('Об оказании содействия в организации работы. Исх. № 07-04/11180 от 23.12.2021');
const signingTime = new Date('2021-12-23T07:15:00Z');
const certificate = buildCertificate();

describe('readSignedData: a detached DER signature', () => {
  const cms = readSignedData(buildSignedData({ content, certificate, signingTime }));
  const signer = cms.signers[0];

  it('reads the certificates and matches the signer to its certificate', () => {
    expect(cms.attached).toBe(false);
    expect(cms.content).toBeNull();
    expect(cms.contentType).toBe(Oids.data);
    expect(cms.certificates).toHaveLength(1);
    expect(signer?.sid).toMatchObject({
      kind: 'issuerAndSerialNumber',
      serial: '0118EC5A8BAE6CF293EB11EE5A2E22B808',
    });
    expect(signer?.certificate?.owner).toBe('Куликов Василий Иванович');
  });

  it('reads algorithms and signed attributes', () => {
    expect(signer?.digestAlgorithm).toEqual({ oid: Oids.sha256, name: 'sha256' });
    expect(signer?.signatureAlgorithm).toMatchObject({
      oid: Oids.rsaEncryption,
      name: 'rsaEncryption',
      pss: null,
    });
    expect(signer?.signedAttributes?.contentType).toBe(Oids.data);
    expect(signer?.signedAttributes?.signingTime).toEqual(signingTime);
    expect(Buffer.from(signer?.signedAttributes?.messageDigest ?? []).toString('hex')).toBe(
      createHash('sha256').update(content).digest('hex'),
    );
    expect(signer?.signedAttributes?.all.map((a) => a.oid)).toEqual([
      Oids.contentType,
      Oids.signingTime,
      Oids.messageDigest,
    ]);
    expect(signer?.timestamp).toBeNull();
  });

  it('re-encodes the signed attributes as the SET the signature covers', () => {
    const der = signer?.signedAttributesDer ?? new Uint8Array();
    expect(der[0]).toBe(0x31);
    expect(verify('sha256', der, certificate.key.publicKey, signer?.signature ?? new Uint8Array())).toBe(
      true,
    );
  });
});

describe('readSignedData: encodings and forms', () => {
  it('reads attached content', () => {
    const cms = readSignedData(buildSignedData({ content, certificate, signingTime, attached: true }));
    expect(cms.attached).toBe(true);
    expect(Buffer.from(cms.content ?? []).equals(Buffer.from(content))).toBe(true);
  });

  it('reads BER with indefinite lengths and content in a chunked OCTET STRING', () => {
    const ber = buildSignedData({ content, certificate, signingTime, attached: true, ber: true });
    expect([ber[0], ber[1]]).toEqual([0x30, 0x80]);
    const cms = readSignedData(ber);
    expect(Buffer.from(cms.content ?? []).equals(Buffer.from(content))).toBe(true);
    const der = readSignedData(buildSignedData({ content, certificate, signingTime, attached: true }));
    expect(cms.signers[0]?.signedAttributesDer).toEqual(der.signers[0]?.signedAttributesDer);
    expect(cms.signers[0]?.certificate?.thumbprint).toBe(der.signers[0]?.certificate?.thumbprint);
  });

  it('reads PEM labelled CMS or PKCS7 and bare base64', () => {
    const der = buildSignedData({ content, certificate, signingTime });
    for (const form of [
      text(toPem(der, 'CMS')),
      text(toPem(der, 'PKCS7', '\r\n')),
      text(Buffer.from(der).toString('base64')),
    ]) {
      expect(readSignedData(form).signers[0]?.certificate?.serial).toBe('0118EC5A8BAE6CF293EB11EE5A2E22B808');
    }
  });

  it('reads signingTime written as GeneralizedTime', () => {
    const cms = readSignedData(
      buildSignedData({ content, certificate, signingTime, signingTimeEncoding: 'generalized' }),
    );
    expect(cms.signers[0]?.signedAttributes?.signingTime).toEqual(signingTime);
  });

  it('reads a signature without signed attributes', () => {
    const signer = readSignedData(buildSignedData({ content, certificate, withoutSignedAttributes: true }))
      .signers[0];
    expect(signer?.signedAttributes).toBeNull();
    expect(signer?.signedAttributesDer).toBeNull();
    expect(verify('sha256', content, certificate.key.publicKey, signer?.signature ?? new Uint8Array())).toBe(
      true,
    );
  });

  it('reads RSA-PSS parameters', () => {
    const pss = buildCertificate({ key: keyPair('rsa-pss') });
    const signer = readSignedData(
      buildSignedData({ content, certificate: pss, signingTime, digest: 'sha384' }),
    ).signers[0];
    expect(signer?.signatureAlgorithm.pss).toEqual({
      hashOid: Oids.sha384,
      maskGenHashOid: Oids.sha384,
      saltLength: 32,
    });
  });
});

describe('readSignedData: finding the signer certificate', () => {
  it('matches by issuer and serial among several certificates, with or without a leading 00 byte', () => {
    const other = buildCertificate({
      serialHex: '0118EC5A8BAE6CF293EB11EE5A2E22B809',
      subject: name([Oids.CN, utf8('Другой')]),
    });
    const highBit = buildCertificate({ serialHex: '008118EC5A8BAE6CF293EB11EE5A2E22B808' });
    const cms = readSignedData(
      buildSignedData({
        content,
        certificate: highBit,
        signingTime,
        includeCertificate: false,
        extraCertificates: [other.der, highBit.der],
      }),
    );
    expect(cms.certificates).toHaveLength(2);
    expect(cms.signers[0]?.sid).toMatchObject({ serial: '8118EC5A8BAE6CF293EB11EE5A2E22B808' });
    expect(cms.signers[0]?.certificate?.serialRawHex).toBe('008118EC5A8BAE6CF293EB11EE5A2E22B808');
  });

  it('does not match a certificate with the same serial from another issuer', () => {
    const impostor = buildCertificate({ issuer: name([Oids.CN, utf8('Чужой УЦ')]) });
    const cms = readSignedData(
      buildSignedData({
        content,
        certificate,
        signingTime,
        includeCertificate: false,
        extraCertificates: [impostor.der],
      }),
    );
    expect(cms.signers[0]?.certificate).toBeNull();
  });

  it('matches by subject key identifier', () => {
    const keyId = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
    const withKeyId = buildCertificate({ subjectKeyIdentifier: keyId });
    const signer = readSignedData(
      buildSignedData({ content, certificate: withKeyId, signingTime, sid: { subjectKeyIdentifier: keyId } }),
    ).signers[0];
    expect(signer?.sid).toEqual({ kind: 'subjectKeyIdentifier', keyIdentifier: 'DEADBEEF' });
    expect(signer?.certificate?.subjectKeyIdentifier).toBe('DEADBEEF');
  });

  it('reports no certificate when the CMS carries none', () => {
    const cms = readSignedData(
      buildSignedData({ content, certificate, signingTime, includeCertificate: false }),
    );
    expect(cms.certificates).toHaveLength(0);
    expect(cms.signers[0]?.certificate).toBeNull();
  });
});

describe('readSignedData: CAdES-T timestamp', () => {
  it('reads genTime and checks the imprint against the signature value', () => {
    const genTime = new Date('2021-12-23T07:15:03.125Z');
    const timestamp = readSignedData(
      buildSignedData({ content, certificate, signingTime, timestamp: { genTime } }),
    ).signers[0]?.timestamp;
    expect(timestamp).toEqual({ genTime, imprintMatches: true, problem: null });
  });

  it('notices an imprint of some other signature', () => {
    const timestamp = readSignedData(
      buildSignedData({
        content,
        certificate,
        signingTime,
        timestamp: { genTime: signingTime, imprint: new Uint8Array(32) },
      }),
    ).signers[0]?.timestamp;
    expect(timestamp?.imprintMatches).toBe(false);
  });
});

describe('readSignedData: a PKCS#7 made by node-forge', () => {
  it('reads signer, certificate and signingTime', () => {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
    const made = forge.pki.createCertificate();
    made.publicKey = keys.publicKey;
    made.serialNumber = '01';
    made.validity.notBefore = new Date('2021-01-01T00:00:00Z');
    made.validity.notAfter = new Date('2023-01-01T00:00:00Z');
    made.setSubject([{ shortName: 'CN', value: 'Forge Signer' }]);
    made.setIssuer([{ shortName: 'CN', value: 'Forge Signer' }]);
    made.sign(keys.privateKey, forge.md.sha256.create());
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer('forge content');
    p7.addCertificate(made);
    p7.addSigner({
      key: keys.privateKey,
      certificate: made,
      digestAlgorithm: Oids.sha256,
      authenticatedAttributes: [
        { type: Oids.contentType, value: Oids.data },
        { type: Oids.messageDigest },
        {
          type: Oids.signingTime,
          value: new Date('2021-12-23T07:15:00Z') as unknown as string,
        },
      ],
    });
    p7.sign({ detached: true });
    const der = Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
    const signer = readSignedData(der).signers[0];
    expect(signer?.certificate?.subject.CN).toBe('Forge Signer');
    expect(signer?.signedAttributes?.signingTime?.toISOString()).toBe('2021-12-23T07:15:00.000Z');
    const publicKey = forge.pki.publicKeyToPem(keys.publicKey);
    expect(
      verify(
        'sha256',
        signer?.signedAttributesDer ?? new Uint8Array(),
        publicKey,
        signer?.signature ?? new Uint8Array(),
      ),
    ).toBe(true);
  });
});

describe('readSignedData: what is not a signature', () => {
  function rejection(bytes: Uint8Array): string {
    try {
      readSignedData(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(UnreadableInputError);
      return (error as Error).message;
    }
    throw new Error('expected a rejection');
  }

  it('rejects another content type', () => {
    expect(rejection(seq(oid(Oids.data), explicit(0, seq())))).toMatch(/не подписанные данные/);
  });

  it('rejects a certificate passed as a signature', () => {
    expect(rejection(certificate.der)).toMatch(/подпись/);
    expect(rejection(text(toPem(certificate.der, 'CERTIFICATE')))).toMatch(/ожидался подпись/);
  });

  it('rejects SignedData without SignerInfos', () => {
    expect(
      rejection(seq(oid(Oids.signedData), explicit(0, seq(smallInteger(1), seq(), seq(oid(Oids.data)))))),
    ).toMatch(/SignerInfos|SET/);
  });

  it('rejects truncation and trailing bytes', () => {
    const der = buildSignedData({ content, certificate, signingTime });
    expect(rejection(der.subarray(0, der.length - 10))).toMatch(/обрываются/);
    expect(rejection(Uint8Array.from([...der, 0]))).toMatch(/лишние байты/);
  });
});
