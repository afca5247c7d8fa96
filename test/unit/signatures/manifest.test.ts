/**
 * The project's generated fixtures (test/fixtures/signatures/generated, made with OpenSSL and the
 * GOST engine): every certificate reads as the manifest says, every signature is judged as it expects.
 */

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import { readSignedData } from '../../../functions/domain/signatures/cms.ts';
import { readCrl } from '../../../functions/domain/signatures/crl.ts';
import { checkCertificateSignature } from '../../../functions/domain/signatures/crypto-check.ts';
import { trustListFrom } from '../../../functions/domain/signatures/trust-list.ts';
import { verifySignature } from '../../../functions/domain/signatures/verify.ts';

interface ManifestCertificate {
  file: string;
  form: 'pem' | 'der' | 'pem-crlf' | 'base64';
  algorithm: string;
  serial: string;
  serialRawHex: string;
  owner: string;
  subject: Record<string, string>;
  issuerCN: string;
  notBefore: string;
  notAfter: string;
  privateKeyUsagePeriod: { notBefore: string | null; notAfter: string | null } | null;
  sha1: string;
}

interface ManifestSignature {
  file: string;
  content: string;
  certificate: string;
  caCertificate: string;
  encoding: 'der' | 'ber-indefinite';
  attached: boolean;
  signingTime: string | null;
  digestAlgorithm: string;
  expect: { window: string; digest: string; signature: string };
  note: string;
}

const folder = new URL('../../fixtures/signatures/generated/', import.meta.url);
const read = (file: string) => new Uint8Array(readFileSync(new URL(file, folder)));
const manifest = JSON.parse(readFileSync(new URL('manifest.json', folder), 'utf8')) as {
  certificates: ManifestCertificate[];
  signatures: ManifestSignature[];
};
const certificateByFile = new Map(manifest.certificates.map((c) => [c.file, c]));

const algorithmNames: Record<string, string> = {
  rsa: 'rsaEncryption',
  'rsa-pss': 'RSASSA-PSS',
  'ecdsa-p256': 'id-ecPublicKey P-256',
  'ecdsa-p384': 'id-ecPublicKey P-384',
  'gost2012-256': 'GOST R 34.10-2012 256',
  'gost2012-512': 'GOST R 34.10-2012 512',
};

/**
 * The overall verdict on each generated signature without a trust list: none is valid, as the
 * chain and revocation cannot be checked.
 */
const chainAndRevocation = ['NO_CERTIFICATE_CHAIN_FOUND', 'TRY_LATER'];
const expectedVerdicts: Record<string, { verdict: string; subIndications: string[] }> = {
  'rsa-valid.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
  'rsa-pss-valid.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
  'ecdsa-p256-valid.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
  'ecdsa-p384-valid.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
  'gost256-valid.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
  'gost512-valid.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
  'rsa-expired.sig + content.txt': { verdict: 'invalid', subIndications: ['EXPIRED'] },
  'rsa-not-yet-valid.sig + content.txt': { verdict: 'invalid', subIndications: ['NOT_YET_VALID'] },
  'gost256-key-usage-exceeded.sig + content.txt': {
    verdict: 'invalid',
    subIndications: ['KEY_USAGE_PERIOD_EXCEEDED'],
  },
  'rsa-valid.sig + content-tampered.txt': { verdict: 'invalid', subIndications: ['HASH_FAILURE'] },
  'gost256-valid.sig + content-tampered.txt': { verdict: 'invalid', subIndications: ['HASH_FAILURE'] },
  'kulikov-moscow-valid.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
  'kulikov-moscow-at-notafter.sig + content.txt': {
    verdict: 'indeterminate',
    subIndications: chainAndRevocation,
  },
  'kulikov-moscow-expired.sig + content.txt': { verdict: 'invalid', subIndications: ['EXPIRED'] },
  'gost256-serial-highbit.sig + content.txt': {
    verdict: 'indeterminate',
    subIndications: chainAndRevocation,
  },
  'rsa-attached.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
  'rsa-ber.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
  'gost256-ber.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
  'rsa-noattr.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
  'gost256-cades.sig + content.txt': { verdict: 'indeterminate', subIndications: chainAndRevocation },
};

const iso = (text: string | null) => (text === null ? null : new Date(text).toISOString());
// A fixed clock: rsa-noattr has no signingTime and is judged at the time of the check.
const now = new Date('2025-06-01T09:00:00Z');
const timeZone = 'Europe/Moscow';

describe('generated certificates read as the manifest says', () => {
  it('has a verdict expected for every signature', () => {
    expect(Object.keys(expectedVerdicts).sort()).toEqual(
      manifest.signatures.map((s) => `${s.file} + ${s.content}`).sort(),
    );
  });

  it('covers every form and algorithm', () => {
    expect(new Set(manifest.certificates.map((c) => c.form))).toEqual(
      new Set(['pem', 'der', 'pem-crlf', 'base64']),
    );
    expect(new Set(manifest.certificates.map((c) => c.algorithm))).toEqual(
      new Set(Object.keys(algorithmNames)),
    );
  });

  it.each(manifest.certificates.map((c) => [c.file, c] as const))('%s', (file, expected) => {
    const certificate = readCertificate(read(file));
    expect(certificate.serial).toBe(expected.serial);
    expect(certificate.serialRawHex).toBe(expected.serialRawHex);
    expect(certificate.owner).toBe(expected.owner);
    const { attributes: _attributes, ...subject } = certificate.subject;
    for (const [key, value] of Object.entries(expected.subject)) {
      expect(subject[key as keyof typeof subject], key).toBe(value);
    }
    expect(certificate.issuer.CN).toBe(expected.issuerCN);
    expect(certificate.notBefore.toISOString()).toBe(iso(expected.notBefore));
    expect(certificate.notAfter.toISOString()).toBe(iso(expected.notAfter));
    const period = certificate.privateKeyUsagePeriod;
    expect(
      period === null
        ? null
        : {
            notBefore: period.notBefore?.toISOString() ?? null,
            notAfter: period.notAfter?.toISOString() ?? null,
          },
    ).toEqual(
      expected.privateKeyUsagePeriod === null
        ? null
        : {
            notBefore: iso(expected.privateKeyUsagePeriod.notBefore),
            notAfter: iso(expected.privateKeyUsagePeriod.notAfter),
          },
    );
    expect(certificate.thumbprint).toBe(expected.sha1);
    expect(certificate.publicKeyAlgorithm.name).toBe(algorithmNames[expected.algorithm]);
  });

  it('agrees with node:crypto X509Certificate where Node can read the certificate', () => {
    for (const expected of manifest.certificates.filter(
      (c) => c.form === 'pem' && !c.algorithm.startsWith('gost'),
    )) {
      const native = new X509Certificate(read(expected.file));
      const ours = readCertificate(read(expected.file));
      expect(ours.serial).toBe(native.serialNumber.toUpperCase().replace(/^00/, ''));
      expect(ours.notAfter.getTime()).toBe(new Date(native.validTo).getTime());
    }
  });
});

describe('generated signatures are judged as the manifest expects', () => {
  it.each(manifest.signatures.map((s) => [`${s.file} + ${s.content}`, s] as const))(
    '%s',
    (_title, expected) => {
      const report = verifySignature({
        signature: read(expected.file),
        content: read(expected.content),
        now,
        timeZone,
      });
      expect(
        { window: report.window, digest: report.digest, signature: report.signature },
        `${expected.note}\n${report.reasons.join('\n')}`,
      ).toEqual({
        window: expected.expect.window,
        digest: expected.expect.digest,
        signature: expected.expect.signature,
      });
      expect(
        { verdict: report.verdict, subIndications: report.subIndications },
        report.checks.map((c) => `${c.check}: ${c.status}`).join('\n'),
      ).toEqual(expectedVerdicts[`${expected.file} + ${expected.content}`]);
      expect(report.summary).not.toMatch(/^Подпись действительна/);
      expect(report.signingTime).toBe(iso(expected.signingTime));
      expect(report.timeSource).toBe(expected.signingTime === null ? 'check' : 'signingTime');
      const signer = certificateByFile.get(expected.certificate);
      expect(report.certificate?.serial).toBe(signer?.serial);
      expect(report.certificate?.owner).toBe(signer?.owner);
      expect(report.stamp?.[2]).toBe(`Сертификат ${signer?.serial}`);

      const cms = readSignedData(read(expected.file));
      expect(cms.attached).toBe(expected.attached);
      expect(cms.signers[0]?.digestAlgorithm.name).toBe(expected.digestAlgorithm);
    },
  );

  it('gives the same verdicts when the signer certificate is passed separately', () => {
    for (const expected of manifest.signatures.filter((s) => s.content === 'content.txt')) {
      const report = verifySignature({
        signature: read(expected.file),
        content: read(expected.content),
        certificate: read(expected.certificate),
        now,
        timeZone,
      });
      expect([report.window, report.digest, report.signature, report.verdict], expected.file).toEqual([
        expected.expect.window,
        expected.expect.digest,
        expected.expect.signature,
        expectedVerdicts[`${expected.file} + ${expected.content}`]?.verdict,
      ]);
    }
  });

  it('verifies each signer certificate with its CA certificate, GOST ones too', () => {
    for (const expected of manifest.signatures) {
      const certificate = readCertificate(read(expected.certificate));
      const ca = readCertificate(read(expected.caCertificate));
      expect(checkCertificateSignature(certificate, ca).result, expected.certificate).toBe('valid');
    }
  });

  it('with its CA listed, each chain is built and every link verifies, RSA, ECDSA and GOST', () => {
    const ca = readCertificate(read('rsa-ca.cert.pem'));
    expect(ca.basicConstraints).toEqual({ cA: true, pathLenConstraint: null });
    expect(ca.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(readCertificate(read('rsa-valid.cert.pem')).authorityKeyIdentifier).toBe(ca.subjectKeyIdentifier);
    for (const expected of manifest.signatures.filter((s) => s.expect.window === 'valid')) {
      const anchor = readCertificate(read(expected.caCertificate));
      const report = verifySignature(
        { signature: read(expected.file), content: read(expected.content), now, timeZone },
        { trustList: { anchors: [anchor], intermediates: [], crls: [] } },
      );
      const chain = report.checks.find((c) => c.check === 'chain');
      expect(
        chain?.subIndication === null ? 'passed' : `${chain?.status} ${chain?.subIndication}`,
        `${expected.file}: ${chain?.reason}`,
      ).toBe('passed');
      expect(report.certificate?.chain.at(-1)).toMatchObject({
        isTrustAnchor: true,
        subject: anchor.subject.CN,
      });
      // No CRLs were given: revocation stays open, so none is valid yet.
      expect(report.checks.find((c) => c.check === 'revocation')?.subIndication).toBe('TRY_LATER');
    }
  });

  it('calls a date-only question on the Moscow boundary day indeterminate', () => {
    // notAfter 2022-04-20T21:30Z is 21.04.2022 00:30 in Moscow.
    const signature = read('kulikov-moscow-expired.sig');
    const onBoundaryDay = verifySignature({ signature, at: '2022-04-21', now, timeZone });
    expect(onBoundaryDay.window).toBe('indeterminate');
    expect(onBoundaryDay.timeSource).toBe('asserted');
    expect(verifySignature({ signature, at: '2022-04-20', now, timeZone }).window).toBe('valid');
    expect(verifySignature({ signature, at: '2022-04-22', now, timeZone }).window).toBe('expired');
    // In UTC the same boundary falls on 20.04.2022.
    expect(verifySignature({ signature, at: '2022-04-21', now, timeZone: 'UTC' }).window).toBe('expired');
  });

  it('prints the seed stamp with the Moscow calendar dates', () => {
    const report = verifySignature({ signature: read('kulikov-moscow-valid.sig'), now, timeZone });
    expect(report.stamp).toEqual([
      'ДОКУМЕНТ ПОДПИСАН',
      'ЭЛЕКТРОННОЙ ПОДПИСЬЮ',
      'Сертификат 0118EC5A8BAE6CF293EB11EE5A2E22B808',
      'Владелец Куликов Василий Иванович',
      'Действителен с 20.01.2021 по 21.04.2022',
    ]);
  });

  it('finds the signing-certificate attribute of CAdES-BES among the signed attributes', () => {
    const signer = readSignedData(read('gost256-cades.sig')).signers[0];
    expect(signer?.signedAttributes?.all.map((a) => a.oid)).toContain('1.2.840.113549.1.9.16.2.47');
  });
});

/**
 * The chain fixtures (test/fixtures/signatures/chain, made by make-chain-fixtures.sh with plain
 * OpenSSL): root -> intermediate -> signer PKIs and their CRLs, each case judged as it expects.
 */
describe('chain fixtures made by OpenSSL are judged as their manifest expects', () => {
  const chainFolder = new URL('../../fixtures/signatures/chain/', import.meta.url);
  const readChain = (file: string) => new Uint8Array(readFileSync(new URL(file, chainFolder)));
  const chainManifest = JSON.parse(readFileSync(new URL('manifest.json', chainFolder), 'utf8')) as {
    checkTime: string;
    content: string;
    cases: {
      name: string;
      signature: string;
      trust: string[];
      crl: string[];
      daysAfterCheckTime?: number;
      expect: { verdict: string; subIndications: string[] };
    }[];
  };

  it.each(chainManifest.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const trustList = trustListFrom({
      anchors: c.trust.map((file) => ({ name: file, bytes: readChain(file) })),
      crls: c.crl.map((file) => ({ name: file, bytes: readChain(file) })),
    });
    const checkTime = new Date(
      new Date(chainManifest.checkTime).getTime() + (c.daysAfterCheckTime ?? 0) * 86_400_000,
    );
    const report = verifySignature(
      {
        signature: readChain(c.signature),
        content: readChain(chainManifest.content),
        now: checkTime,
        timeZone,
      },
      { trustList },
    );
    expect(
      { verdict: report.verdict, subIndications: report.subIndications },
      report.checks.map((check) => `${check.check}: ${check.status} ${check.reason}`).join('\n'),
    ).toEqual(c.expect);
  });

  it('reads OpenSSL’s CRLs: issuer, dates, the revoked serial and the key identifier', () => {
    const crl = readCrl(readChain('rsa-intermediate.crl'));
    const intermediate = readCertificate(readChain('rsa-intermediate.pem'));
    const revoked = readCertificate(readChain('rsa-revoked-signer.pem'));
    expect(crl.issuer.CN).toBe(intermediate.subject.CN);
    expect(crl.authorityKeyIdentifier).toBe(intermediate.subjectKeyIdentifier);
    expect(crl.revoked.map((entry) => entry.serial)).toEqual([revoked.serial]);
    expect(crl.nextUpdate?.getTime()).toBe(crl.thisUpdate.getTime() + 30 * 86_400_000);
    expect(readCertificate(readChain('rsa-signer.pem')).crlDistributionPoints).toEqual([
      'http://ca.docroute.test/intermediate.crl',
    ]);
    expect(intermediate.basicConstraints).toEqual({ cA: true, pathLenConstraint: 0 });
    expect(readCertificate(readChain('rsa-bare-root.pem')).basicConstraints).toBeNull();
  });
});
