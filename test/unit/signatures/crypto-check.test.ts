import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import { readSignedData, type SignerInfo } from '../../../functions/domain/signatures/cms.ts';
import {
  checkCertificateSignature,
  checkSignature,
} from '../../../functions/domain/signatures/crypto-check.ts';
import { checkGostSignature } from '../../../functions/domain/signatures/gost-check.ts';
import {
  buildCertificate,
  buildSignedData,
  caName,
  gostSpki,
  type KeyKind,
  keyPair,
  Oids,
  text,
} from './build.ts';

const content = text('Об оказании содействия в организации работы');
const generated = (file: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/signatures/generated/${file}`, import.meta.url)));
const signingTime = new Date('2021-12-23T07:15:00Z');

function signerOf(bytes: Uint8Array): SignerInfo {
  const signer = readSignedData(bytes).signers[0];
  if (signer === undefined) throw new Error('no signer');
  return signer;
}

describe('checkSignature with node:crypto', () => {
  const cases: [KeyKind, 'sha256' | 'sha384' | 'sha512'][] = [
    ['rsa', 'sha256'],
    ['rsa', 'sha512'],
    ['rsa-pss', 'sha256'],
    ['rsa-pss', 'sha384'],
    ['p256', 'sha256'],
    ['p384', 'sha384'],
  ];

  it.each(cases)('%s with %s: valid, and invalid once a bit of the signature flips', (kind, digest) => {
    const certificate = buildCertificate({ key: keyPair(kind) });
    const signer = signerOf(buildSignedData({ content, certificate, signingTime, digest }));
    expect(checkSignature(signer, signer.certificate, null)).toEqual({ result: 'valid', reason: null });
    const corrupted = signerOf(
      buildSignedData({ content, certificate, signingTime, digest, corruptSignature: true }),
    );
    expect(checkSignature(corrupted, corrupted.certificate, null).result).toBe('invalid');
  });

  it('is invalid when the signed attributes claim another digest (the signature still covers them)', () => {
    const certificate = buildCertificate();
    const signer = signerOf(buildSignedData({ content, certificate, signingTime }));
    const other = signerOf(buildSignedData({ content: text('другое'), certificate, signingTime }));
    expect(
      checkSignature({ ...signer, signedAttributesDer: other.signedAttributesDer }, signer.certificate, null)
        .result,
    ).toBe('invalid');
  });

  it('is invalid with the wrong certificate', () => {
    const signer = signerOf(buildSignedData({ content, certificate: buildCertificate(), signingTime }));
    const stranger = readCertificate(buildCertificate({ key: keyPair('p256') }).der);
    expect(checkSignature(signer, stranger, null).result).toBe('invalid');
  });

  it('checks a signature without signed attributes over the content', () => {
    const certificate = buildCertificate({ key: keyPair('p256') });
    const signer = signerOf(buildSignedData({ content, certificate, withoutSignedAttributes: true }));
    expect(checkSignature(signer, signer.certificate, content).result).toBe('valid');
    expect(checkSignature(signer, signer.certificate, text('подмена')).result).toBe('invalid');
    expect(checkSignature(signer, signer.certificate, null)).toMatchObject({
      result: 'not_checked',
      reason: expect.stringMatching(/покрывает сам документ/),
    });
  });

  it('is not checked without a certificate', () => {
    const signer = signerOf(
      buildSignedData({ content, certificate: buildCertificate(), signingTime, includeCertificate: false }),
    );
    expect(checkSignature(signer, null, content).result).toBe('not_checked');
  });

  it.each(['gost256-valid', 'gost512-valid'])(
    'checks the GOST signature of %s with its key: valid as made, invalid once a byte changes',
    (name) => {
      const signed = readSignedData(generated(`${name}.sig`));
      const signer = signed.signers[0];
      if (signer === undefined) throw new Error('no signer');
      expect(checkSignature(signer, signer.certificate, null)).toEqual({ result: 'valid', reason: null });
      const flipped = Uint8Array.from(signer.signature);
      flipped[5] = (flipped[5] ?? 0) ^ 1;
      expect(checkSignature({ ...signer, signature: flipped }, signer.certificate, null).result).toBe(
        'invalid',
      );
    },
  );

  it('reports unsupported PSS parameters rather than guessing', () => {
    const certificate = buildCertificate({ key: keyPair('rsa-pss') });
    const signer = signerOf(buildSignedData({ content, certificate, signingTime }));
    const pss = signer.signatureAlgorithm.pss;
    if (pss === null) throw new Error('no PSS parameters');
    const odd = {
      ...signer,
      signatureAlgorithm: { ...signer.signatureAlgorithm, pss: { ...pss, maskGenHashOid: '1.3.14.3.2.26' } },
    };
    expect(checkSignature(odd, signer.certificate, null).result).toBe('unsupported');
  });
});

describe('checkCertificateSignature: the issuer’s signature over the certificate', () => {
  /** A byte of the owner's name changed: «Куликов» becomes «Куликог» (the same length in UTF-8). */
  function editOwner(der: Uint8Array): Uint8Array {
    const at = Buffer.from(der).lastIndexOf(Buffer.from('Куликов Василий', 'utf8'));
    const edited = Uint8Array.from(der);
    edited[at + Buffer.from('Кулико', 'utf8').length + 1] = 0xb3; // 'в' D0 B2 -> 'г' D0 B3
    return edited;
  }

  it.each<KeyKind>(['rsa', 'rsa-pss', 'p256', 'p384'])(
    'issuer key %s: valid, and invalid once the owner is edited',
    (kind) => {
      const issuerKey = keyPair(kind);
      const ca = readCertificate(buildCertificate({ subject: caName, issuer: caName, key: issuerKey }).der);
      const issued = buildCertificate({ issuerKey, key: keyPair(kind === 'p256' ? 'rsa' : 'p256') });
      expect(checkCertificateSignature(readCertificate(issued.der), ca)).toEqual({
        result: 'valid',
        reason: null,
      });
      const edited = readCertificate(editOwner(issued.der));
      expect(edited.subject.CN).toBe('Куликог Василий Иванович');
      expect(checkCertificateSignature(edited, ca)).toMatchObject({
        result: 'invalid',
        reason: expect.stringMatching(/^Подпись издателя под сертификатом неверна/),
      });
    },
  );

  it('a self-signed certificate is its own issuer', () => {
    const selfSigned = readCertificate(
      buildCertificate({ subject: caName, issuer: caName, key: keyPair('p256') }).der,
    );
    expect(checkCertificateSignature(selfSigned, selfSigned).result).toBe('valid');
  });

  it('is invalid when the named issuer’s key did not sign it', () => {
    const stranger = readCertificate(
      buildCertificate({ subject: caName, issuer: caName, key: keyPair('p384') }).der,
    );
    const issued = readCertificate(buildCertificate({ issuerKey: keyPair('p256') }).der);
    expect(checkCertificateSignature(issued, stranger).result).toBe('invalid');
  });

  it('never calls a GOST-signed certificate (or one of an unknown algorithm) valid or invalid: unsupported', () => {
    const issuerKey = keyPair('p256');
    const ca = readCertificate(buildCertificate({ subject: caName, issuer: caName, key: issuerKey }).der);
    const issued = readCertificate(buildCertificate({ issuerKey }).der);
    const gostSigned = { ...issued, signatureAlgorithm: { oid: Oids.gostSignature256, name: 'GOST' } };
    expect(checkCertificateSignature(gostSigned, ca).result).toBe('unsupported');
    // An algorithm OpenSSL does not know would only ever answer "false": unsupported, not invalid.
    const unknown = { ...issued, signatureAlgorithm: { oid: '1.2.3.4', name: '1.2.3.4' } };
    expect(checkCertificateSignature(unknown, ca).result).toBe('unsupported');
  });
});

describe('checkGostSignature: bad GOST input gets a verdict and its reason, never a crash', () => {
  const signature = new Uint8Array(64).fill(1);
  const signed = text('что подписано');

  it('GIVEN a key that is not a point of its curve THEN invalid, saying so', () => {
    expect(checkGostSignature(gostSpki(), Oids.gostSignature256, signed, signature)).toEqual({
      result: 'invalid',
      reason: expect.stringContaining('не является точкой кривой'),
    });
  });

  it('GIVEN a parameter set nobody defined THEN unsupported: it cannot be checked, so it is not called valid', () => {
    const spki = gostSpki().slice();
    const at = Buffer.from(spki).indexOf(Buffer.from([0x2a, 0x85, 0x03, 0x07, 0x01, 0x02, 0x01, 0x01, 0x01]));
    spki[at + 8] = 0x09; // 1.2.643.7.1.2.1.1.1 -> 1.2.643.7.1.2.1.1.9
    expect(checkGostSignature(spki, Oids.gostSignature256, signed, signature).result).toBe('unsupported');
  });

  it('GIVEN a 512-bit signature algorithm named for a 256-bit key THEN invalid', () => {
    expect(checkGostSignature(gostSpki(), '1.2.643.7.1.1.3.3', signed, signature).result).toBe('invalid');
  });

  it('GIVEN a key that is not a SubjectPublicKeyInfo at all THEN unsupported, with the reason', () => {
    expect(checkGostSignature(text('не ключ'), Oids.gostSignature256, signed, signature)).toMatchObject({
      result: 'unsupported',
      reason: expect.stringContaining('не прочитан'),
    });
  });
});
