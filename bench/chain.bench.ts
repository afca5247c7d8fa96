import { type Certificate, readCertificate } from '../functions/domain/signatures/certificate.ts';
import { buildChain, chainCheck } from '../functions/domain/signatures/chain.ts';
import { readSignedData, type SignedData } from '../functions/domain/signatures/cms.ts';
import { readCrl, revocationCheck, revocationOf } from '../functions/domain/signatures/crl.ts';
import { issueCertificate, issuerOf, selfIssuer } from '../functions/domain/signatures/issue-certificate.ts';
import { issueCrl } from '../functions/domain/signatures/issue-crl.ts';
import { signDetached } from '../functions/domain/signatures/sign-detached.ts';
import { generateSigningKey } from '../functions/domain/signatures/signing-key.ts';
import type { TrustList } from '../functions/domain/signatures/trust-list.ts';
import { verifyParsedSignature } from '../functions/domain/signatures/verify.ts';
import {
  buildPki,
  buildSignedData,
  crlOf,
  intermediateName,
  rootName,
  text,
} from '../test/unit/signatures/build.ts';
import type { Bench } from './result.ts';

/** Milliseconds per call, warm: the best of five rounds. */
function msPerCall(once: () => void, calls: number): number {
  for (let i = 0; i < calls / 5; i++) once();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) once();
    best = Math.min(best, (performance.now() - start) / calls);
  }
  return best;
}

/**
 * An RSA root -> intermediate -> signer chain with both CAs' current CRLs, already read (the
 * office's trust list is read once at start): the chain and revocation checks of one signature,
 * then the whole verification for scale.
 */
const bench: Bench = async () => {
  const pki = buildPki('rsa', { label: 'bench' });
  const now = new Date('2025-06-01T09:00:00Z');
  const crlTime = new Date('2025-05-30T00:00:00Z');
  const trustList: TrustList = {
    anchors: [readCertificate(pki.root.der)],
    intermediates: [],
    crls: [
      readCrl(crlOf(pki.root, rootName, crlTime)),
      readCrl(crlOf(pki.intermediate, intermediateName, crlTime)),
    ],
  };
  const content = text('Об оказании содействия');
  const signingTime = new Date('2021-12-23T07:15:00Z');
  const signedData = readSignedData(
    buildSignedData({
      content,
      certificate: pki.signer,
      signingTime,
      extraCertificates: [pki.intermediate.der],
    }),
  );
  const signer = signedData.signers[0]?.certificate;
  if (signer == null) throw new Error('no signer certificate');
  const rsa = measure({ signer, signedData, content, trustList, signingTime, now }, 2000);
  const gost = measure(gostCase(now), 100);
  return [
    {
      name: 'chain + CRL check of one signature, warm (RSA, 3 links)',
      value: rsa.chainAndCrl,
      unit: 'ms',
      target: '< 10 ms',
    },
    { name: 'verifyParsedSignature with trust list and CRLs, warm (RSA)', value: rsa.whole, unit: 'ms' },
    {
      name: 'chain + CRL check of one signature, warm (GOST 256, 2 links)',
      value: gost.chainAndCrl,
      unit: 'ms',
      target: '< 10 ms',
    },
    { name: 'verifyParsedSignature with trust list and CRL, warm (GOST 256)', value: gost.whole, unit: 'ms' },
  ];
};

interface Case {
  readonly signer: Certificate;
  readonly signedData: SignedData;
  readonly content: Uint8Array;
  readonly trustList: TrustList;
  readonly signingTime: Date;
  readonly now: Date;
}

const timeZone = 'Europe/Moscow';

/** The chain and revocation checks of one signature, and its whole verification; each must pass. */
/** `calls` per round: GOST takes milliseconds where RSA takes tenths. */
function measure({ signer, signedData, content, trustList, signingTime, now }: Case, calls: number) {
  let verdicts = 0;
  const chainAndCrl = msPerCall(() => {
    const chain = buildChain(
      signer,
      { anchors: trustList.anchors, intermediates: signedData.certificates },
      { kind: 'instant', at: signingTime },
      timeZone,
    );
    const findings = chain.links.map((link, i) =>
      link.isTrustAnchor
        ? null
        : revocationOf(link.certificate, chain.links[i + 1]?.certificate ?? null, {
            crls: trustList.crls,
            moment: { at: now, trusted: false },
            now,
            timeZone,
          }),
    );
    const passed =
      chainCheck(chain, true, false).status === 'passed' &&
      revocationCheck(chain, findings).check.status === 'passed';
    verdicts += passed ? 1 : 0;
  }, calls);
  const whole = msPerCall(() => {
    const report = verifyParsedSignature({ signedData, content, now, timeZone }, { trustList });
    verdicts += report.verdict === 'valid' ? 1 : 0;
  }, calls);
  if (verdicts < 2 * (calls / 5 + 5 * calls)) throw new Error('a bench chain did not verify every time');
  return { chainAndCrl, whole };
}

/** A GOST R 34.10-2012 (256, TC26-A) CA, its current CRL, and a signature by a certificate it issued. */
function gostCase(now: Date): Case {
  const day = 86_400_000;
  const caName = [
    ['CN', 'Тестовый УЦ'],
    ['C', 'RU'],
  ] as const;
  const caKey = generateSigningKey('gost2012-256');
  const ca = issueCertificate(
    {
      subject: caName,
      publicKeyInfo: caKey.publicKeyInfo,
      serial: '01',
      notBefore: new Date(now.getTime() - 400 * day),
      notAfter: new Date(now.getTime() + 400 * day),
      ca: {},
    },
    selfIssuer(caName, caKey),
  );
  const key = generateSigningKey('gost2012-256');
  const signingTime = new Date(now.getTime() - day);
  const certificate = issueCertificate(
    {
      subject: [['CN', 'Куликов Василий Иванович']],
      publicKeyInfo: key.publicKeyInfo,
      serial: '0118EC5A',
      notBefore: new Date(now.getTime() - 30 * day),
      notAfter: new Date(now.getTime() + 30 * day),
    },
    issuerOf(ca, caKey),
  );
  const crl = issueCrl(
    {
      thisUpdate: new Date(now.getTime() - day),
      nextUpdate: new Date(now.getTime() + day),
      revoked: [],
      number: 1,
    },
    issuerOf(ca, caKey),
  );
  const content = text('Об оказании содействия');
  const signedData = readSignedData(signDetached({ content, key, certificate, signingTime }));
  return {
    signer: readCertificate(certificate),
    signedData,
    content,
    trustList: { anchors: [readCertificate(ca)], intermediates: [], crls: [readCrl(crl)] },
    signingTime,
    now,
  };
}

export default bench;
