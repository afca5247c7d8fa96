import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustList, TrustFileError } from '../../../functions/adapters/trust/load-trust-list.ts';
import { UnreadableInputError } from '../../../functions/domain/errors.ts';
import {
  readCertificateFile,
  readCrlFile,
  trustListFrom,
} from '../../../functions/domain/signatures/trust-list.ts';
import { buildPki, crlOf, intermediateName, rootName, text, toPem } from './build.ts';

const pki = buildPki('p256', { label: 'trust-list' });
const crlTime = new Date('2025-05-30T00:00:00Z');
const rootCrl = crlOf(pki.root, rootName, crlTime);
const bundle = text(toPem(pki.root.der, 'CERTIFICATE') + toPem(pki.intermediate.der, 'CERTIFICATE', '\r\n'));

describe('trust files', () => {
  it('reads a certificate in DER, PEM, and a PEM bundle of several', () => {
    expect(readCertificateFile({ name: 'root.cer', bytes: pki.root.der }).map((c) => c.subject.CN)).toEqual([
      'Корневой УЦ docroute',
    ]);
    expect(readCertificateFile({ name: 'bundle.pem', bytes: bundle }).map((c) => c.subject.CN)).toEqual([
      'Корневой УЦ docroute',
      'Промежуточный УЦ docroute',
    ]);
  });

  it('names the file and the reason when a trust file is not a certificate', () => {
    const read = () =>
      readCertificateFile({ name: 'trust/root.crl', bytes: text(toPem(rootCrl, 'X509 CRL')) });
    expect(read).toThrow(UnreadableInputError);
    expect(read).toThrow(
      'trust/root.crl: ожидался сертификат: PEM: метка «X509 CRL» не означает ни сертификат, ни подпись',
    );
    expect(() => readCertificateFile({ name: 'notes.txt', bytes: text('корневой сертификат') })).toThrow(
      /^notes\.txt: ожидался сертификат: /,
    );
  });

  it('names the file and the reason when a CRL file is not a CRL', () => {
    expect(() => readCrlFile({ name: 'crl/root.cer', bytes: pki.root.der })).toThrow(
      /^crl\/root\.cer: ожидался список отозванных сертификатов: список отозванных сертификатов \(CRL\): /,
    );
  });

  it('builds the trust list: anchors, intermediates, CRLs with their file names', () => {
    const list = trustListFrom({
      anchors: [{ name: 'root.cer', bytes: pki.root.der }],
      intermediates: [{ name: 'inter.pem', bytes: text(toPem(pki.intermediate.der, 'CERTIFICATE')) }],
      crls: [{ name: 'root.crl', bytes: rootCrl }],
    });
    expect(list.anchors).toHaveLength(1);
    expect(list.intermediates[0]?.subject.CN).toBe('Промежуточный УЦ docroute');
    expect(list.crls[0]).toMatchObject({ source: 'root.crl', issuer: { CN: 'Корневой УЦ docroute' } });
  });
});

describe('loadTrustList: folders on disk', () => {
  let directory = '';
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'docroute-trust-'));
    mkdirSync(join(directory, 'trust'));
    mkdirSync(join(directory, 'crl'));
    mkdirSync(join(directory, 'broken'));
    writeFileSync(join(directory, 'trust', 'b-root.cer'), pki.root.der);
    writeFileSync(join(directory, 'trust', 'a-bundle.pem'), bundle);
    writeFileSync(join(directory, 'trust', 'README.txt'), 'не сертификат: пропускается по расширению');
    writeFileSync(join(directory, 'crl', 'root.crl'), rootCrl);
    writeFileSync(
      join(directory, 'crl', 'intermediate.pem'),
      toPem(crlOf(pki.intermediate, intermediateName, crlTime), 'X509 CRL'),
    );
    writeFileSync(join(directory, 'broken', 'bad.cer'), 'это не сертификат');
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('reads every certificate and CRL of the folders, by extension, in name order', async () => {
    const list = await loadTrustList({ trust: ['trust'], crl: ['crl'] }, directory);
    expect(list.anchors.map((c) => c.subject.CN)).toEqual([
      'Корневой УЦ docroute',
      'Промежуточный УЦ docroute',
      'Корневой УЦ docroute',
    ]);
    expect(list.crls.map((crl) => crl.source)).toEqual([
      join(directory, 'crl', 'intermediate.pem'),
      join(directory, 'crl', 'root.crl'),
    ]);
  });

  it('reads a file named outright', async () => {
    const list = await loadTrustList({ trust: [join(directory, 'trust', 'b-root.cer')] }, '/');
    expect(list.anchors).toHaveLength(1);
  });

  it('stops with a TrustFileError naming the file: unreadable, missing', async () => {
    await expect(loadTrustList({ trust: ['broken'] }, directory)).rejects.toThrow(TrustFileError);
    await expect(loadTrustList({ trust: ['broken'] }, directory)).rejects.toThrow(
      `${join(directory, 'broken', 'bad.cer')}: ожидался сертификат: `,
    );
    await expect(loadTrustList({ crl: ['missing'] }, directory)).rejects.toThrow(
      `${join(directory, 'missing')}: нет такого файла или каталога`,
    );
    await expect(loadTrustList({ crl: ['trust'] }, directory)).rejects.toThrow(
      /a-bundle\.pem: ожидался список отозванных сертификатов: PEM с меткой «CERTIFICATE»/,
    );
  });
});
