/**
 * Whether a signature submitted for a reply is accepted: the full check (verify.ts) must say valid
 * over the stored draft, and the certificate must be the designated signer's. And which date the
 * reply is registered under: the signing date in the office's zone, from the most reliable time
 * the signature offers (SIGNATURES.md: only a CAdES-T timestamp is trusted; signingTime is the
 * signer's claim).
 */

import type { Config } from './config.ts';
import type { FieldProblem } from './errors.ts';
import type { Certificate } from './signatures/certificate.ts';
import type { VerificationReport } from './signatures/verify.ts';

/** A signingTime this far after the upload, or before the draft existed, is not believed. */
const clockSkewMs = 5 * 60 * 1000;

export type DateSource = 'timestamp' | 'signingTime' | 'upload';

export interface SigningMoment {
  readonly at: Date;
  readonly source: DateSource;
  /** Why a signingTime present in the signature was not used; null otherwise. */
  readonly note: string | null;
}

/**
 * The moment the reply counts as signed: the timestamp's time when there is a usable one; else the
 * signer's signingTime when it is plausible (after the draft version was made, not after the
 * upload); else the upload.
 */
export function signingMomentOf(
  signature: { readonly timestamp: Date | null; readonly signingTime: Date | null },
  draftCreatedAt: Date,
  uploadedAt: Date,
): SigningMoment {
  if (signature.timestamp !== null) return { at: signature.timestamp, source: 'timestamp', note: null };
  const claimed = signature.signingTime;
  if (claimed === null) return { at: uploadedAt, source: 'upload', note: null };
  if (claimed.getTime() > uploadedAt.getTime() + clockSkewMs)
    return { at: uploadedAt, source: 'upload', note: 'signingTime is after the upload; not believed' };
  if (claimed.getTime() < draftCreatedAt.getTime() - clockSkewMs)
    return {
      at: uploadedAt,
      source: 'upload',
      note: 'signingTime is before the signed draft was made; not believed',
    };
  return { at: claimed, source: 'signingTime', note: null };
}

/** Names are compared as people write them: case, ё and runs of spaces do not matter. */
const personName = (name: string) =>
  name.normalize('NFC').toLowerCase().replaceAll('ё', 'е').replace(/\s+/g, ' ').trim();

/**
 * The reasons a verified signature is not accepted for the reply, empty when it is: anything but
 * valid, or a certificate that is not the designated signer's (by name, and by thumbprint where
 * the configuration lists them).
 */
export function signatureProblems(
  report: VerificationReport,
  certificate: Pick<Certificate, 'owner' | 'thumbprint'> | null,
  signer: Config['signers'][string],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (report.verdict !== 'valid') {
    const reasons = report.reasons.length > 0 ? report.reasons : [report.summary];
    problems.push({ field: 'signature', problem: `${report.summary} ${reasons.join(' ')}`.trim() });
  }
  if (certificate === null) return problems;
  if (personName(certificate.owner) !== personName(signer.fullName))
    problems.push({
      field: 'signature',
      problem: `signed by ${certificate.owner}, not by the designated signer ${signer.fullName}`,
    });
  const thumbprints = signer.certificateThumbprints?.map((t) => t.toUpperCase());
  if (thumbprints !== undefined && !thumbprints.includes(certificate.thumbprint.toUpperCase()))
    problems.push({
      field: 'signature',
      problem: `certificate ${certificate.thumbprint} is not one of ${signer.fullName}'s configured certificates`,
    });
  return problems;
}
