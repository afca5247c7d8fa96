import { sha256Hex } from '../domain/archive.ts';
import { calendarDateIn } from '../domain/calendar-date.ts';
import { isOutgoing } from '../domain/documents.ts';
import { NotFoundError, UnreadableInputError } from '../domain/errors.ts';
import {
  currentDraft,
  type OutgoingCard,
  planSigning,
  type SignerCertificate,
  signingClaimKey,
} from '../domain/outgoing.ts';
import { signatureProblems, signingMomentOf } from '../domain/reply-signature.ts';
import type { Certificate } from '../domain/signatures/certificate.ts';
import { readSignedData, type SignedData } from '../domain/signatures/cms.ts';
import { verifySignatureFetchingCrls } from '../domain/signatures/crl-fetch.ts';
import { verifySignature } from '../domain/signatures/verify.ts';
import { blobs } from './lambda/blobs.ts';
import { clock } from './lambda/clock.ts';
import { config } from './lambda/config.ts';
import { crlSource } from './lambda/crl-source.ts';
import { documents } from './lambda/dynamodb.ts';
import { trust } from './lambda/trust.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface CheckSignatureInput {
  readonly documentId: string;
  /** The CMS, base64 of its DER or PEM bytes. */
  readonly signature: string;
  /** The finalization's own id, from the request: retries and settling know it by this. */
  readonly attempt: string;
  readonly uploadedAt: string;
}

/** What a verified signature gives the steps after it. */
export interface SignatureFacts {
  readonly signatureSha256: string;
  /** The card's revision whose draft was verified: the claim holds only if it is unchanged. */
  readonly revision: number;
  readonly draftVersion: number;
  readonly draftKey: string;
  readonly draftSha256: string;
  readonly signedAt: string;
  readonly dateSource: 'timestamp' | 'signingTime' | 'upload';
  /** The registration date: the signing date in the office's zone. */
  readonly regDate: string;
  readonly journal: string;
  readonly claimKey: string;
  readonly verdict: string;
  readonly summary: string;
  readonly checks: readonly { readonly check: string; readonly status: string; readonly reason: string }[];
  readonly reasons: readonly string[];
  readonly stamp: readonly string[];
  readonly certificate: SignerCertificate;
  /** The signer's certificate first, then its issuers up to the trust anchor, each base64 DER. */
  readonly chain: readonly string[];
}

export type CheckSignatureOutput =
  | { readonly outcome: 'already_registered'; readonly document: OutgoingCard }
  | { readonly outcome: 'accepted'; readonly facts: SignatureFacts }
  | {
      readonly outcome: 'rejected';
      readonly revision: number;
      readonly problems: readonly { readonly field: string; readonly problem: string }[];
      readonly rejection: Readonly<Record<string, unknown>>;
    };

/**
 * The full check of a reply's signature against the stored draft, the office's trust list and CRLs,
 * at the signing time, and that the certificate is the designated signer's. Reads only.
 */
export const checkSignature = defineTask(
  'check-signature',
  ['documents', 'blobs', 'config', 'trust', 'clock', 'crlSource'],
  async (input: CheckSignatureInput, deps): Promise<CheckSignatureOutput> => {
    const { documents, blobs, config, trust, clock } = deps;
    const card = await documents.get(input.documentId);
    if (card === null || !isOutgoing(card)) throw new NotFoundError(`no reply ${input.documentId}`);
    const signature = Buffer.from(input.signature, 'base64');
    const signatureSha256 = sha256Hex(signature);
    const now = clock.now();
    if (planSigning(card, signatureSha256, now).kind === 'already_registered')
      return { outcome: 'already_registered', document: card };

    const draft = currentDraft(card);
    const content = await blobs.get(draft.pdfKey);
    if (content === null) throw new NotFoundError(`the draft ${draft.pdfKey} is missing from the store`);
    const signer = config.signers[card.signer];
    if (signer === undefined) throw new NotFoundError(`signer '${card.signer}' is no longer configured`);

    let signedData: SignedData | null = null;
    try {
      signedData = readSignedData(signature);
    } catch (error) {
      if (!(error instanceof UnreadableInputError)) throw error;
    }
    const signerInfo = signedData?.signers[0];
    const timestamp = signerInfo?.timestamp;
    const uploadedAt = new Date(input.uploadedAt);
    const moment = signingMomentOf(
      {
        timestamp: timestamp?.genTime && timestamp.imprintMatches !== false ? timestamp.genTime : null,
        signingTime: signerInfo?.signedAttributes?.signingTime ?? null,
      },
      new Date(draft.createdAt),
      uploadedAt,
    );
    const trustList = await trust();
    const question = {
      signature,
      content: content.bytes,
      now,
      timeZone: config.timeZone,
      // Judged at the moment the reply counts as signed; the verifier picks a timestamp itself.
      ...(moment.source === 'upload' ? { at: moment.at.toISOString() } : {}),
    };
    // CRLs are fetched from their distribution points only when the configuration asks for it.
    const crlSource = config.crlFetch === true ? deps.crlSource : undefined;
    const report =
      crlSource === undefined
        ? verifySignature(question, { trustList })
        : await verifySignatureFetchingCrls(question, {
            trustList,
            fetchCrl: (url) => crlSource.fetchCrl(url),
          });
    const pool = [...(signedData?.certificates ?? []), ...trustList.anchors, ...trustList.intermediates];
    const chain = chainOf(report.certificate?.chain ?? [], pool);
    const problems = signatureProblems(report, chain[0] ?? null, signer);
    const summary = {
      signatureSha256,
      verdict: report.verdict,
      summary: report.summary,
      subIndications: report.subIndications,
      dateSource: moment.source,
      ...(moment.note === null ? {} : { dateNote: moment.note }),
      certificate: report.certificate
        ? { serial: report.certificate.serial, owner: report.certificate.owner }
        : null,
    };
    if (problems.length > 0)
      return { outcome: 'rejected', revision: card.revision, problems, rejection: { ...summary, problems } };

    const certificate = chain[0] as Certificate;
    return {
      outcome: 'accepted',
      facts: {
        signatureSha256,
        revision: card.revision,
        draftVersion: draft.version,
        draftKey: draft.pdfKey,
        draftSha256: draft.sha256,
        signedAt: moment.at.toISOString(),
        dateSource: moment.source,
        regDate: calendarDateIn(moment.at, config.timeZone),
        journal: card.journal,
        claimKey: signingClaimKey(input.attempt),
        verdict: report.verdict,
        summary: report.summary,
        checks: report.checks.map(({ check, status, reason }) => ({ check, status, reason })),
        reasons: report.reasons,
        stamp: report.stamp ?? [],
        certificate: {
          serial: certificate.serial,
          owner: certificate.owner,
          thumbprint: certificate.thumbprint,
          notBefore: certificate.notBefore.toISOString(),
          notAfter: certificate.notAfter.toISOString(),
          issuer: report.certificate?.chain[0]?.issuer ?? '',
        },
        chain: chain.map((c) => Buffer.from(c.der).toString('base64')),
      },
    };
  },
);

/** The certificates of the chain the verifier built, found by serial among those at hand. */
function chainOf(links: readonly { readonly serial: string }[], pool: readonly Certificate[]): Certificate[] {
  return links.flatMap((link) => {
    const found = pool.find((certificate) => certificate.serial === link.serial);
    return found === undefined ? [] : [found];
  });
}

export const handler = lambdaHandler(checkSignature, { config, clock, documents, blobs, trust, crlSource });
