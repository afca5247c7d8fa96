import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toPem } from '../../../functions/domain/signatures/asn1-writer.ts';
import { readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import { readSignedData } from '../../../functions/domain/signatures/cms.ts';
import {
  issueCertificate,
  issuerOf,
  keyMatchesCertificate,
  type NameSpec,
  selfIssuer,
} from '../../../functions/domain/signatures/issue-certificate.ts';
import { issueCrl } from '../../../functions/domain/signatures/issue-crl.ts';
import { signDetached } from '../../../functions/domain/signatures/sign-detached.ts';
import {
  generateSigningKey,
  type KeyAlgorithm,
  keyAlgorithms,
  readSigningKey,
} from '../../../functions/domain/signatures/signing-key.ts';
import { type OpenSsl, openSsl } from '../../support/openssl.ts';

/**
 * Keys, certificates, CRLs and detached CMS signatures made by docroute itself, for every
 * algorithm it signs with; OpenSSL (with its GOST engine) is the independent judge of each.
 */

const work = mkdtempSync(join(tmpdir(), 'docroute-issuing-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const openssl = openSsl(work);
if (openssl === null || !openssl.gost)
  console.log(
    `issuing.test: ${openssl === null ? 'openssl is not installed' : 'the GOST engine is not installed (apt-get install libengine-gost-openssl)'}; the OpenSSL cross-checks of ${openssl === null ? 'every algorithm' : 'GOST'} pass without running`,
  );

const caName: NameSpec = [
  ['CN', 'Тестовый УЦ docroute'],
  ['O', 'docroute'],
  ['C', 'RU'],
];
const kulikov: NameSpec = [
  ['CN', 'Куликов Василий Иванович'],
  ['SN', 'Куликов'],
  ['G', 'Василий Иванович'],
  ['T', 'Глава администрации'],
  ['O', 'Администрация города'],
  ['INN', '002635000000'],
  ['SNILS', '01234567890'],
  ['C', 'RU'],
];
const content = new TextEncoder().encode('На № 25-24/6781 от 10.06.2014\n');
const signingTime = new Date('2021-12-23T09:00:00Z');

function pkiFor(algorithm: KeyAlgorithm, paramSet?: string) {
  const caKey = generateSigningKey(algorithm, paramSet);
  const ca = issueCertificate(
    {
      subject: caName,
      publicKeyInfo: caKey.publicKeyInfo,
      serial: '01',
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
      ca: { pathLength: 0 },
    },
    selfIssuer(caName, caKey),
  );
  const key = generateSigningKey(algorithm, paramSet);
  const certificate = issueCertificate(
    {
      subject: kulikov,
      publicKeyInfo: key.publicKeyInfo,
      serial: '0118EC5A8BAE6CF293EB11EE5A2E22B808',
      notBefore: new Date('2021-01-20T10:00:00Z'),
      notAfter: new Date('2022-04-20T18:00:00Z'),
      privateKeyUsagePeriod: { notAfter: new Date('2022-04-20T17:00:00Z') },
      crlDistributionPoint: 'http://ca.example/ca.crl',
    },
    issuerOf(ca, caKey),
  );
  const crl = issueCrl(
    {
      thisUpdate: new Date('2021-12-01T00:00:00Z'),
      nextUpdate: new Date('2022-01-01T00:00:00Z'),
      revoked: [{ serial: 'ABCDEF', at: new Date('2021-06-01T00:00:00Z') }],
      number: 7,
    },
    issuerOf(ca, caKey),
  );
  const signature = signDetached({ content, key, certificate, signingTime });
  return { caKey, ca, key, certificate, crl, signature };
}

const cases: Array<[string, KeyAlgorithm, string | undefined]> = [
  ['RSA', 'rsa', undefined],
  ['ECDSA P-256', 'ecdsa-p256', undefined],
  ['ECDSA P-384', 'ecdsa-p384', undefined],
  ...['A', 'B', 'C', 'XA', 'XB', 'TCA', 'TCB', 'TCC', 'TCD'].map(
    (set) => [`GOST 256 ${set}`, 'gost2012-256', set] as [string, KeyAlgorithm, string],
  ),
  ...['A', 'B', 'C'].map((set) => [`GOST 512 ${set}`, 'gost2012-512', set] as [string, KeyAlgorithm, string]),
];

describe.each(cases)('%s', (label, algorithm, paramSet) => {
  const pki = pkiFor(algorithm, paramSet);
  const file = (name: string, bytes: Uint8Array | string) => {
    const path = join(work, `${label.replaceAll(' ', '-')}-${name}`);
    writeFileSync(path, bytes);
    return path;
  };

  it('issues a signer certificate that reads back with its owner, serial, window and key period', () => {
    const read = readCertificate(pki.certificate);
    expect(read.serial).toBe('0118EC5A8BAE6CF293EB11EE5A2E22B808');
    expect(read.subject).toMatchObject({
      CN: 'Куликов Василий Иванович',
      SN: 'Куликов',
      G: 'Василий Иванович',
      T: 'Глава администрации',
      INN: '002635000000',
      SNILS: '01234567890',
    });
    expect(read.issuer.CN).toBe('Тестовый УЦ docroute');
    expect(read.notAfter.toISOString()).toBe('2022-04-20T18:00:00.000Z');
    expect(read.privateKeyUsagePeriod).toEqual({
      notBefore: null,
      notAfter: new Date('2022-04-20T17:00:00Z'),
    });
    expect(read.authorityKeyIdentifier).toBe(readCertificate(pki.ca).subjectKeyIdentifier);
    expect(keyMatchesCertificate(pki.key, pki.certificate)).toBe(true);
    expect(keyMatchesCertificate(pki.caKey, pki.certificate)).toBe(false);
  });

  it('writes the key as PKCS#8 that reads back as the same key', () => {
    const again = readSigningKey(new TextEncoder().encode(toPem(pki.key.privateKeyInfo, 'PRIVATE KEY')));
    expect(again.algorithm).toBe(algorithm);
    expect(Buffer.from(again.publicKeyInfo)).toEqual(Buffer.from(pki.key.publicKeyInfo));
  });

  it('makes a detached CAdES-BES signature naming the signer by issuer and serial, with its signed attributes', () => {
    const signed = readSignedData(pki.signature);
    expect(signed.attached).toBe(false);
    const [signer] = signed.signers;
    expect(signer?.signedAttributes?.signingTime?.toISOString()).toBe(signingTime.toISOString());
    expect(Buffer.from(signer?.signedAttributes?.messageDigest ?? [])).toEqual(
      Buffer.from(pki.key.digest(content)),
    );
    expect(signer?.signedAttributes?.all.map((a) => a.oid)).toContain('1.2.840.113549.1.9.16.2.47');
    expect(signer?.certificate?.serial).toBe('0118EC5A8BAE6CF293EB11EE5A2E22B808');
  });

  it('OpenSSL verifies the signature over the document, the chain to the CA and the CRL', () => {
    if (openssl === null || (algorithm.startsWith('gost') && !openssl.gost)) return;
    const ca = file('ca.pem', toPem(pki.ca, 'CERTIFICATE'));
    const signer = file('signer.pem', toPem(pki.certificate, 'CERTIFICATE'));
    const crl = file('ca.crl', toPem(pki.crl, 'X509 CRL'));
    const data = file('letter.txt', content);
    cmsVerify(openssl, file('letter.sig', pki.signature), data, ca);
    const chain = openssl.run([
      'verify',
      '-CAfile',
      ca,
      '-crl_check',
      '-CRLfile',
      crl,
      '-attime',
      at,
      signer,
    ]);
    expect(chain.toString()).toContain(': OK');
    const tampered = file('tampered.txt', new TextEncoder().encode('На № 25-24/6782 от 10.06.2014\n'));
    expect(() => cmsVerify(openssl, file('letter.sig', pki.signature), tampered, ca)).toThrow(
      /verification failure|digest failure/i,
    );
    // And the key, as OpenSSL reads it, signs what OpenSSL then verifies with the certificate.
    const key = file('signer.key', toPem(pki.key.privateKeyInfo, 'PRIVATE KEY'));
    const theirs = file('openssl.sig', '');
    openssl.run([
      'cms',
      '-sign',
      '-binary',
      '-in',
      data,
      '-signer',
      signer,
      '-inkey',
      key,
      '-outform',
      'DER',
      '-out',
      theirs,
    ]);
    cmsVerify(openssl, theirs, data, ca);
  });
});

/** openssl cms -verify of a detached DER signature at the signing time; throws when it fails. */
function cmsVerify(openssl: OpenSsl, signature: string, data: string, ca: string): void {
  openssl.run(
    ['cms', '-verify', '-binary', '-inform', 'DER', '-in', signature, '-content', data, '-CAfile', ca].concat(
      ['-attime', at, '-purpose', 'any', '-out', join(work, 'out')],
    ),
  );
}

const at = String(Math.floor(signingTime.getTime() / 1000));

describe('keys made by OpenSSL', () => {
  it.each(keyAlgorithms)('%s: a key from openssl genpkey signs what OpenSSL verifies', (algorithm) => {
    if (openssl === null || (algorithm.startsWith('gost') && !openssl.gost)) return;
    const keyPath = join(work, `genpkey-${algorithm}.pem`);
    const genpkey: Record<KeyAlgorithm, string[]> = {
      'gost2012-256': ['-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A'],
      'gost2012-512': ['-algorithm', 'gost2012_512', '-pkeyopt', 'paramset:A'],
      rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
      'ecdsa-p256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      'ecdsa-p384': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
    };
    openssl.run(['genpkey', ...genpkey[algorithm], '-out', keyPath]);
    const key = readSigningKey(new Uint8Array(Buffer.from(openssl.run(['pkey', '-in', keyPath]))));
    expect(key.algorithm).toBe(algorithm);
    const certificate = issueCertificate(
      {
        subject: kulikov,
        publicKeyInfo: key.publicKeyInfo,
        serial: '02',
        notBefore: new Date('2020-01-01T00:00:00Z'),
        notAfter: new Date('2030-01-01T00:00:00Z'),
        ca: {},
      },
      selfIssuer(kulikov, key),
    );
    const certPath = join(work, `genpkey-${algorithm}.cert.pem`);
    const dataPath = join(work, `genpkey-${algorithm}.txt`);
    const sigPath = join(work, `genpkey-${algorithm}.sig`);
    writeFileSync(certPath, toPem(certificate, 'CERTIFICATE'));
    writeFileSync(dataPath, content);
    writeFileSync(sigPath, signDetached({ content, key, certificate, signingTime }));
    cmsVerify(openssl, sigPath, dataPath, certPath);
  });
});
