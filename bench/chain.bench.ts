import { readCertificate } from '../functions/domain/signatures/certificate.ts';
import { buildChain, chainCheck } from '../functions/domain/signatures/chain.ts';
import { readSignedData } from '../functions/domain/signatures/cms.ts';
import { readCrl, revocationCheck, revocationOf } from '../functions/domain/signatures/crl.ts';
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

const WARMUP_CALLS = 300;
const CALLS = 2000;

/** Milliseconds per call, warm: the best of five rounds. */
function msPerCall(once: () => void): number {
  for (let i = 0; i < WARMUP_CALLS; i++) once();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) once();
    best = Math.min(best, (performance.now() - start) / CALLS);
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
  const timeZone = 'Europe/Moscow';
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
  });
  const whole = msPerCall(() => {
    const report = verifyParsedSignature({ signedData, content, now, timeZone }, { trustList });
    verdicts += report.verdict === 'valid' ? 1 : 0;
  });
  if (verdicts === 0) throw new Error('the bench chain did not verify');
  return [
    {
      name: 'chain + CRL check of one signature, warm (RSA, 3 links)',
      value: chainAndCrl,
      unit: 'ms',
      target: '< 10 ms',
    },
    { name: 'verifyParsedSignature with trust list and CRLs, warm (RSA)', value: whole, unit: 'ms' },
  ];
};

export default bench;
