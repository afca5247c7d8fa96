/**
 * Real-world certificates and signatures from ../shared/fixtures/signatures (outside the project,
 * see its PROVENANCE.md). The files are read in place, never copied; without the folder the suite
 * says so and is skipped.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UnreadableInputError } from '../../functions/domain/errors.ts';
import { readCertificate } from '../../functions/domain/signatures/certificate.ts';
import { readSignedData } from '../../functions/domain/signatures/cms.ts';
import { decodeInput } from '../../functions/domain/signatures/input.ts';
import { verifySignature } from '../../functions/domain/signatures/verify.ts';
import { judgeWindow } from '../../functions/domain/signatures/window.ts';

const root = new URL('../../../shared/fixtures/signatures/', import.meta.url);
const present = existsSync(fileURLToPath(root));
if (!present)
  console.warn('interop: ../shared/fixtures/signatures not found — real-world samples not checked');

const read = (path: string) => new Uint8Array(readFileSync(new URL(path, root)));
const list = (folder: string) => (present ? readdirSync(new URL(folder, root)).sort() : []);

const certificateFiles = [
  ...list('gost/')
    .filter((f) => f.endsWith('.cer') || f.endsWith('_cert.pem'))
    .map((f) => `gost/${f}`),
  ...list('rsa_ecdsa/').map((f) => `rsa_ecdsa/${f}`),
];
const signatureFiles = list('gost/')
  .filter((f) => f.endsWith('.sig') || f.startsWith('tc26_signed_'))
  .map((f) => `gost/${f}`);

const now = new Date('2025-06-01T00:00:00Z');
const timeZone = 'Europe/Moscow';

describe.skipIf(!present)('interop: real-world certificates', () => {
  it('finds the samples', () => {
    expect(certificateFiles.length).toBeGreaterThanOrEqual(10);
    expect(signatureFiles.length).toBeGreaterThanOrEqual(4);
  });

  it.each(certificateFiles)('%s: serial, subject, issuer and validity, as node:crypto reads them', (file) => {
    const certificate = readCertificate(read(file));
    expect(certificate.serial).toMatch(/^[0-9A-F]+$/);
    expect(certificate.subject.attributes.length).toBeGreaterThan(0);
    expect(certificate.issuer.attributes.length).toBeGreaterThan(0);
    expect(certificate.notBefore.getTime()).toBeLessThan(certificate.notAfter.getTime());

    const native = new X509Certificate(read(file));
    expect(certificate.serial).toBe(native.serialNumber.toUpperCase());
    expect(certificate.notBefore.getTime()).toBe(new Date(native.validFrom).getTime());
    expect(certificate.notAfter.getTime()).toBe(new Date(native.validTo).getTime());
    expect(certificate.thumbprint).toBe(native.fingerprint.replaceAll(':', ''));
  });

  it('esia_gost_test_2025: PrivateKeyUsagePeriod ends ten minutes before notAfter; OGRN and INNLE', () => {
    const certificate = readCertificate(read('gost/esia_gost_test_2025.cer'));
    expect(certificate.privateKeyUsagePeriod).toEqual({
      notBefore: new Date('2025-04-21T08:07:30Z'),
      notAfter: new Date('2026-04-21T08:07:30Z'),
    });
    expect(certificate.notAfter).toEqual(new Date('2026-04-21T08:17:31Z'));
    expect(certificate.subject).toMatchObject({
      OGRN: '1047702026701',
      INNLE: '7710474375',
      CN: 'МИНЦИФРЫ РОССИИ',
    });
    expect(certificate.publicKeyAlgorithm.name).toBe('GOST R 34.10-2012 256');
    const between = judgeWindow(
      certificate,
      { kind: 'instant', at: new Date('2026-04-21T08:10:00Z') },
      timeZone,
    );
    expect(between.verdict).toBe('key_usage_period_exceeded');
  });

  it('ekapusta_gost2012_selfsigned: 512-bit key, notAfter in 2070 as GeneralizedTime', () => {
    const certificate = readCertificate(read('gost/ekapusta_gost2012_selfsigned.cer'));
    expect(certificate.notAfter).toEqual(new Date('2070-09-17T10:50:44Z'));
    expect(certificate.publicKeyAlgorithm.name).toBe('GOST R 34.10-2012 512');
    expect(certificate.subject.CN).toBe('Tester GOST 2012');
  });

  it('TC26 test certificates and the RSA/ECDSA roots name their algorithms', () => {
    expect(readCertificate(read('gost/tc26_sender512_cert.pem')).publicKeyAlgorithm.name).toBe(
      'GOST R 34.10-2012 512',
    );
    expect(readCertificate(read('gost/tc26_root256_cert.pem')).serial).toBe('018CBA81');
    expect(readCertificate(read('rsa_ecdsa/node20_roots_isrg_root_x1_rsa.pem')).serialRawHex).toBe(
      '008210CFB0D240E3594463E0BB63828B00',
    );
    expect(
      readCertificate(read('rsa_ecdsa/node20_roots_isrg_root_x2_ecdsa.pem')).publicKeyAlgorithm.name,
    ).toBe('id-ecPublicKey P-384');
    expect(readCertificate(read('rsa_ecdsa/esia_rsa_prod_2025.cer')).publicKeyAlgorithm.name).toBe(
      'rsaEncryption',
    );
  });
});

describe.skipIf(!present)('interop: real-world GOST signatures', () => {
  const expectedSigningTime: Record<string, string | null> = {
    'gost/gosuslugi_plugin_test_detached.sig': '2020-09-10T15:12:16.000Z',
    'gost/smev3_gisgkh_attachment_detached.sig': '2022-12-16T15:10:48.000Z',
    'gost/tc26_signed_a111.pem': '2019-03-20T19:55:22.000Z',
    'gost/tc26_signed_a121.pem': null,
  };

  it.each(signatureFiles)('%s yields its signer certificate and signingTime', (file) => {
    const cms = readSignedData(read(file));
    const signer = cms.signers[0];
    // Certificates inside a CMS are re-encoded from the parsed tree; they must come out byte for byte.
    const der = decodeInput(read(file), 'signature').der;
    for (const certificate of cms.certificates)
      expect(Buffer.from(der).indexOf(Buffer.from(certificate.der))).toBeGreaterThan(0);
    expect(signer?.certificate).not.toBeNull();
    expect(signer?.certificate?.publicKeyAlgorithm.oid).toMatch(/^1\.2\.643\.7\.1\.1\.1\./);
    expect(signer?.signedAttributes?.signingTime?.toISOString() ?? null).toBe(expectedSigningTime[file]);
  });

  it('smev3: BER with indefinite lengths; messageDigest equals the published hash; serial with a leading 00', () => {
    const bytes = read('gost/smev3_gisgkh_attachment_detached.sig');
    expect([bytes[0], bytes[1]]).toEqual([0x30, 0x80]);
    const signer = readSignedData(bytes).signers[0];
    // hash.txt holds the Streebog-256 hash in base64, one line.
    const published = new TextDecoder().decode(read('gost/smev3_gisgkh_attachment_hash.txt')).trim();
    expect(Buffer.from(signer?.signedAttributes?.messageDigest ?? []).toString('base64')).toBe(published);
    expect(signer?.digestAlgorithm.name).toBe('streebog256');
    expect(signer?.certificate?.serialRawHex).toBe('00D440FF65352AB146FA5EC3F231CB5738');
    expect(signer?.certificate?.serial).toBe('D440FF65352AB146FA5EC3F231CB5738');
    expect(signer?.certificate?.subject.CN).toBe('АО "ОПЕРАТОР ИНФОРМАЦИОННОЙ СИСТЕМЫ"');
  });

  it('gosuslugi: the content’s Streebog digest matches messageDigest and the GOST signature verifies', () => {
    const report = verifySignature({
      signature: read('gost/gosuslugi_plugin_test_detached.sig'),
      content: read('gost/gosuslugi_plugin_test_content.txt'),
      now,
      timeZone,
    });
    expect(report).toMatchObject({
      digest: 'match',
      signature: 'valid',
      window: 'valid',
      timeSource: 'signingTime',
    });
    expect(report.certificate).toMatchObject({
      owner: 'Понедельников Сергей',
      subject: {
        SN: 'Понедельников',
        G: 'Сергей',
        T: 'Тест',
        INN: '006805224170',
        OGRN: '4659294145231',
        SNILS: '00100265851',
      },
    });
    const changed = verifySignature({
      signature: read('gost/gosuslugi_plugin_test_detached.sig'),
      content: new TextEncoder().encode('unsigned file content!'),
      now,
      timeZone,
    });
    expect(changed.digest).toBe('mismatch');
  });

  it('tc26 a111: attached content, Streebog-512 digest matches, the 512-bit signature verifies', () => {
    const report = verifySignature({ signature: read('gost/tc26_signed_a111.pem'), now, timeZone });
    expect(report).toMatchObject({ digest: 'match', signature: 'valid', window: 'valid' });
  });

  it('tc26 a121: no signed attributes, so the signature over the content itself is what verifies', () => {
    const cms = readSignedData(read('gost/tc26_signed_a121.pem'));
    expect(cms.attached).toBe(true);
    expect(cms.signers[0]?.signedAttributes).toBeNull();
    const report = verifySignature({ signature: read('gost/tc26_signed_a121.pem'), now, timeZone });
    expect(report).toMatchObject({ digest: 'match', signature: 'valid', timeSource: 'check' });
  });
});

describe.skipIf(!present)('interop: broken and unusual forms', () => {
  const reference = present ? readCertificate(read('gost/esia_gost_test_2025.cer')).thumbprint : '';

  it.each(['broken/crlf_gost.pem', 'broken/headerless_base64_gost.txt'])('%s parses', (file) => {
    expect(readCertificate(read(file)).thumbprint).toBe(reference);
  });

  const rejected: Record<string, RegExp> = {
    'broken/empty.cer': /^файл пуст$/,
    'broken/garbage_base64.pem': /не является base64/,
    'broken/length_corrupted_gost.der': /длина элемента ASN\.1 записана неверно/,
    'broken/mismatched_footer_gost.pem': /метки не совпадают: BEGIN CERTIFICATE, END X509 CRL/,
    'broken/trailing_garbage_gost.der': /лишние байты \(9\)/,
    'broken/truncated_gost.der': /обрываются/,
    'broken/wrong_header_gost.pem': /метка «PUBLIC KEY»/,
  };

  it('covers every file in broken/', () => {
    expect(list('broken/').map((f) => `broken/${f}`)).toEqual(
      [...Object.keys(rejected), 'broken/crlf_gost.pem', 'broken/headerless_base64_gost.txt'].sort(),
    );
  });

  it.each(Object.entries(rejected))('%s is rejected with a clear reason', (file, reason) => {
    let error: unknown;
    try {
      readCertificate(read(file));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnreadableInputError);
    expect((error as Error).message).toMatch(reason);
  });
});
