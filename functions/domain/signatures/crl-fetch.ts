/**
 * CRLs fetched from the distribution points named in certificates, when the office holds no
 * current CRL of some issuer (off by default: `crlFetch` in the configuration, `--fetch-crl`).
 * Verification stays synchronous: a signature is verified once; when revocation is not checked
 * for want of a current CRL and the certificates below the trust anchor name distribution points,
 * those CRLs are fetched (through the function passed in: the CrlSource port), added to the trust
 * list's CRLs and the signature verified again. A fetched CRL is judged exactly like one from the
 * folder (its issuer, key identifier and signature are checked by crl.ts): it is never trusted
 * more. The report says what was fetched, and why a fetch failed, in its notes. No I/O here.
 */
import { createHash } from 'node:crypto';
import { UnreadableInputError } from '../errors.ts';
import { russianDateTimeIn } from '../time-zone.ts';
import { type Certificate, readCertificate } from './certificate.ts';
import { buildChain, displayName, isSelfIssued } from './chain.ts';
import { readSignedData, type SignedData, signerMatches } from './cms.ts';
import { type Crl, readCrl, revocationOf } from './crl.ts';
import type { Check } from './report.ts';
import { emptyTrustList, type TrustList } from './trust-list.ts';
import {
  type CertificateReport,
  describeCertificate,
  type VerificationReport,
  type VerifyOptions,
  type VerifyParsedInput,
  type VerifySignatureInput,
  verifyParsedSignature,
  verifySignature,
} from './verify.ts';

export interface CrlFetched {
  readonly ok: true;
  readonly url: string;
  /** DER or PEM, as served. */
  readonly bytes: Uint8Array;
  /** When it was fetched from the distribution point (earlier when it comes from the cache). */
  readonly fetchedAt: Date;
  readonly fromCache: boolean;
}

export interface CrlFetchFailure {
  readonly ok: false;
  readonly url: string;
  /** Why, in a few Russian words (`сервер ответил 404`); the URL is in `url`. */
  readonly reason: string;
}

export type CrlFetchResult = CrlFetched | CrlFetchFailure;

/** The CrlSource port's one function. */
export type FetchCrl = (url: string) => Promise<CrlFetchResult>;

export interface CrlFetchOptions {
  readonly fetchCrl: FetchCrl;
  /** How many distribution points are fetched at once. @default 4 */
  readonly maxParallel?: number;
}

/** Only these are fetched; ldap:// and the rest are named in a note and skipped. */
export const fetchableSchemes: readonly string[] = ['http:', 'https:'];

/**
 * Distribution points tried per certificate, one after the other until one gives a CRL: two at 10 s
 * each stay within the API's 29 s.
 */
const maxUrlsPerCertificate = 2;

/** Where a fetched CRL is cached in the blob store: `crl-cache/<SHA-256 of the URL, hex>`. */
export function crlCacheKey(url: string): string {
  return `crl-cache/${createHash('sha256').update(url, 'utf8').digest('hex')}`;
}

export function isFetchableUrl(url: string): boolean {
  try {
    return fetchableSchemes.includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * Whether a cached CRL may stand in for a fetch at `now`: issued already and its nextUpdate still
 * ahead. A CRL without nextUpdate is kept for `maxAgeWithoutNextUpdateMs` after its fetch.
 */
export function isCachedCrlCurrent(
  crl: Pick<Crl, 'thisUpdate' | 'nextUpdate'>,
  fetchedAt: Date,
  now: Date,
  maxAgeWithoutNextUpdateMs = 3600_000,
): boolean {
  if (crl.thisUpdate.getTime() > now.getTime()) return false;
  if (crl.nextUpdate === null) return now.getTime() - fetchedAt.getTime() < maxAgeWithoutNextUpdateMs;
  return now.getTime() < crl.nextUpdate.getTime();
}

/** A certificate of the chain whose issuer's CRL is missing or out of date, with where to get it. */
export interface CrlWanted {
  readonly certificate: Certificate;
  /** http(s) distribution points, in the certificate's order. */
  readonly urls: readonly string[];
  /** Distribution points of other schemes, which are not fetched. */
  readonly skipped: readonly string[];
}

export interface CrlNeedsQuestion {
  readonly certificate: Certificate;
  /** Untrusted certificates that may complete the chain (the CMS's own, extra intermediates). */
  readonly intermediates: readonly Certificate[];
  readonly trustList: TrustList;
  readonly now: Date;
  readonly timeZone: string;
}

/**
 * The certificates below the trust anchor whose revocation is not checked because no current CRL
 * of their issuer is at hand, and their distribution points. Nothing when the chain does not reach
 * a trust anchor with every issuer signature good: the URLs are then vouched for by nobody, and the
 * verdict could not be valid anyway. Nothing either where a CRL would not help (the issuer's key
 * may not sign CRLs).
 */
export function crlsWanted(question: CrlNeedsQuestion): CrlWanted[] {
  const { trustList, now, timeZone } = question;
  const chain = buildChain(
    question.certificate,
    { anchors: trustList.anchors, intermediates: question.intermediates },
    { kind: 'instant', at: now },
    timeZone,
  );
  if (!chain.complete) return [];
  if (chain.links.some((link) => !link.isTrustAnchor && link.signature?.result !== 'valid')) return [];
  const wanted: CrlWanted[] = [];
  chain.links.forEach((link, index) => {
    const issuer = chain.links[index + 1]?.certificate;
    if (link.isTrustAnchor || issuer === undefined || (index > 0 && isSelfIssued(link.certificate))) return;
    if (issuer.keyUsage !== null && !issuer.keyUsage.includes('cRLSign')) return;
    const finding = revocationOf(link.certificate, issuer, {
      crls: trustList.crls,
      moment: { at: now, trusted: false },
      now,
      timeZone,
    });
    if (finding.status !== 'not_checked') return;
    const points = link.certificate.crlDistributionPoints;
    if (points.length === 0) return;
    wanted.push({
      certificate: link.certificate,
      urls: points.filter(isFetchableUrl).slice(0, maxUrlsPerCertificate),
      skipped: points.filter((url) => !isFetchableUrl(url)),
    });
  });
  return wanted;
}

/** What fetching brought: the CRLs read, and one note per distribution point tried or skipped. */
export interface FetchedCrls {
  readonly crls: readonly Crl[];
  readonly notes: readonly string[];
}

/**
 * Fetches the wanted CRLs: each URL once (a URL named by two certificates is fetched once), at
 * most `maxParallel` at a time; for each certificate its distribution points in order until one
 * gives a CRL. A failure is a note, never an exception.
 */
export async function fetchWantedCrls(
  wanted: readonly CrlWanted[],
  options: CrlFetchOptions,
  timeZone: string,
): Promise<FetchedCrls> {
  const limit = limiter(Math.max(1, options.maxParallel ?? 4));
  const attempts = new Map<string, Promise<Attempt>>();
  const attempt = (url: string) => {
    let running = attempts.get(url);
    if (running === undefined) {
      running = limit(() => fetchAndRead(url, options.fetchCrl));
      attempts.set(url, running);
    }
    return running;
  };
  await Promise.all(
    wanted.map(async (want) => {
      for (const url of want.urls) {
        if ((await attempt(url)).crl !== null) return;
      }
    }),
  );
  const notes: string[] = [];
  const crls: Crl[] = [];
  for (const want of wanted) {
    if (want.urls.length === 0 && want.skipped.length > 0) {
      notes.push(
        `Точки распространения CRL сертификата «${displayName(want.certificate)}» (${want.skipped.join(', ')}) не загружались: поддерживаются только http и https.`,
      );
    }
  }
  for (const [url, running] of attempts) {
    const result = await running;
    if (result.crl !== null) crls.push(result.crl);
    notes.push(noteOf(url, result, timeZone));
  }
  return { crls, notes };
}

interface Attempt {
  readonly crl: Crl | null;
  readonly fetched: CrlFetched | null;
  readonly failure: string | null;
}

async function fetchAndRead(url: string, fetchCrl: FetchCrl): Promise<Attempt> {
  let result: CrlFetchResult;
  try {
    result = await fetchCrl(url);
  } catch (error) {
    // The port promises never to reject; should an adapter do so anyway, it is still a failed fetch.
    return { crl: null, fetched: null, failure: error instanceof Error ? error.message : String(error) };
  }
  if (!result.ok) return { crl: null, fetched: null, failure: result.reason };
  try {
    return { crl: readCrl(result.bytes, url), fetched: result, failure: null };
  } catch (error) {
    if (!(error instanceof UnreadableInputError)) throw error;
    return {
      crl: null,
      fetched: null,
      failure: `ответ — не список отозванных сертификатов (${error.message})`,
    };
  }
}

function noteOf(url: string, attempt: Attempt, timeZone: string): string {
  const at = (time: Date) => `${russianDateTimeIn(time, timeZone)} (${timeZone})`;
  if (attempt.fetched === null) {
    return `Список отозванных сертификатов из точки распространения ${url} не получен: ${attempt.failure ?? 'причина неизвестна'}.`;
  }
  return attempt.fetched.fromCache
    ? `Список отозванных сертификатов из точки распространения ${url} взят из кэша (загружен ${at(attempt.fetched.fetchedAt)}).`
    : `Список отозванных сертификатов загружен из точки распространения ${url} (${at(attempt.fetched.fetchedAt)}).`;
}

/** Runs at most `parallel` of the functions at once. */
function limiter(parallel: number): <T>(run: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async (run) => {
    if (active >= parallel) await new Promise<void>((go) => queue.push(go));
    active++;
    try {
      return await run();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

interface Reported {
  readonly checks: readonly Check[];
  readonly reasons: readonly string[];
}

/** The revocation check waits for a current CRL (not for a certificate or anything else). */
function waitsForCrl(report: Reported): boolean {
  const revocation = report.checks.find((check) => check.check === 'revocation');
  return revocation?.status === 'not_checked' && revocation.subIndication === 'TRY_LATER';
}

async function withFetchedCrls<R extends Reported>(
  first: R,
  question: CrlNeedsQuestion | null,
  options: CrlFetchOptions,
  again: (trustList: TrustList) => R,
): Promise<R> {
  if (question === null || !waitsForCrl(first)) return first;
  const wanted = crlsWanted(question);
  if (wanted.length === 0) return first;
  const fetched = await fetchWantedCrls(wanted, options, question.timeZone);
  const report =
    fetched.crls.length === 0
      ? first
      : again({ ...question.trustList, crls: [...question.trustList.crls, ...fetched.crls] });
  return { ...report, reasons: [...report.reasons, ...fetched.notes] };
}

/** verifyParsedSignature, fetching the CRLs it lacks from their distribution points. */
export async function verifyParsedSignatureFetchingCrls(
  input: VerifyParsedInput,
  options: VerifyOptions & CrlFetchOptions,
): Promise<VerificationReport> {
  const trustList = options.trustList ?? emptyTrustList;
  const first = verifyParsedSignature(input, { trustList });
  const certificate = signerCertificate(input.signedData, input.certificate ?? null);
  const question =
    certificate === null || first.window === 'unparseable'
      ? null
      : {
          certificate,
          intermediates: [
            ...input.signedData.certificates,
            ...(input.certificate === undefined ? [] : [input.certificate]),
            ...trustList.intermediates,
          ],
          trustList,
          now: input.now,
          timeZone: input.timeZone,
        };
  return withFetchedCrls(first, question, options, (list) =>
    verifyParsedSignature(input, { trustList: list }),
  );
}

/** verifySignature (bytes in any accepted form), fetching the CRLs it lacks. */
export async function verifySignatureFetchingCrls(
  input: VerifySignatureInput,
  options: VerifyOptions & CrlFetchOptions,
): Promise<VerificationReport> {
  let signedData: SignedData;
  let certificate: Certificate | undefined;
  try {
    signedData = readSignedData(input.signature);
    certificate = input.certificate === undefined ? undefined : readCertificate(input.certificate);
  } catch (error) {
    if (!(error instanceof UnreadableInputError)) throw error;
    // Unreadable: the plain verification words the report; there is nothing to fetch for.
    return verifySignature(input, options);
  }
  const { signature: _signature, certificate: _certificate, ...question } = input;
  return verifyParsedSignatureFetchingCrls({ ...question, signedData, certificate }, options);
}

/** describeCertificate, fetching the CRLs it lacks. */
export async function describeCertificateFetchingCrls(
  certificate: Certificate,
  at: Date | string,
  timeZone: string,
  options: VerifyOptions & CrlFetchOptions & { readonly now?: Date },
): Promise<CertificateReport> {
  const trustList = options.trustList ?? emptyTrustList;
  const now = options.now ?? (typeof at === 'string' ? new Date() : at);
  const first = describeCertificate(certificate, at, timeZone, { trustList, now });
  return withFetchedCrls(
    first,
    { certificate, intermediates: trustList.intermediates, trustList, now, timeZone },
    options,
    (list) => describeCertificate(certificate, at, timeZone, { trustList: list, now }),
  );
}

/** The signer's certificate as verify.ts picks it: a passed-in one the signer names, else the CMS's. */
function signerCertificate(signedData: SignedData, given: Certificate | null): Certificate | null {
  const signer = signedData.signers[0];
  if (signer === undefined) return null;
  if (given !== null && signerMatches(signer.sid, given)) return given;
  return signer.certificate ?? given;
}
