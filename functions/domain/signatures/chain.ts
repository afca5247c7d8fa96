/**
 * The chain from a signer's certificate up to a trust anchor (RFC 5280 §6, the parts the office
 * needs): issuers found by name and key identifier among the trust list, the CMS's certificates
 * and any extra intermediates; each link's issuer signature, each CA certificate's validity at the
 * moment judged, and its CA constraints (basicConstraints cA, keyCertSign, pathLen).
 */
import type { Certificate } from './certificate.ts';
import type { RevocationFinding, RevocationStatus } from './crl.ts';
import { checkCertificateSignature, type SignatureCheck, sameName } from './crypto-check.ts';
import { type Check, type CheckStatus, failed, notChecked, passed, type SubIndication } from './report.ts';
import { judgeWindow, type Moment, type WindowJudgement } from './window.ts';

export interface ChainLink {
  readonly certificate: Certificate;
  readonly isTrustAnchor: boolean;
  /** The issuer's signature over this certificate; null for a trust anchor or an issuer not found. */
  readonly signature: SignatureCheck | null;
  /** At the moment judged; for CA certificates without the private-key period (it bounds issuing). */
  readonly validity: WindowJudgement;
  /** Why this certificate may not act as a CA; null when it may, or for the signer's own. */
  readonly caProblem: string | null;
  /** What was accepted without being quite right (a listed root without basicConstraints). */
  readonly caNote: string | null;
}

export interface Chain {
  /** The signer's certificate first, then each issuer. */
  readonly links: readonly ChainLink[];
  /** Whether the last link is a trust anchor. */
  readonly complete: boolean;
}

export interface ChainSources {
  readonly anchors: readonly Certificate[];
  /** Untrusted certificates that may serve as intermediates: the CMS's own, extra ones. */
  readonly intermediates: readonly Certificate[];
}

// Longer chains, or more tries, are not met in practice; the limits keep a hostile bag of
// certificates (many issuers of one name) cheap.
const maxLength = 8;
const maxSignatureChecks = 64;

interface Attempt {
  readonly path: readonly Certificate[];
  readonly signatures: readonly SignatureCheck[];
  readonly complete: boolean;
}

/** Builds the best chain there is: complete with good signatures, else complete, else the longest. */
export function buildChain(
  signer: Certificate,
  sources: ChainSources,
  moment: Moment,
  timeZone: string,
): Chain {
  const anchors = new Set(sources.anchors.map((anchor) => anchor.thumbprint));
  const pool = uniqueByThumbprint([...sources.anchors, ...sources.intermediates]);
  const found = extend(
    { path: [signer], signatures: [], complete: anchors.has(signer.thumbprint) },
    { pool, anchors, checksLeft: maxSignatureChecks },
  );
  const attempt = withSelfSignature(found);
  const links = attempt.path.map((certificate, index) => {
    const isTrustAnchor = attempt.complete && index === attempt.path.length - 1;
    return {
      certificate,
      isTrustAnchor,
      signature: attempt.signatures[index] ?? null,
      validity:
        index === 0
          ? judgeWindow(certificate, moment, timeZone)
          : judgeWindow({ ...certificate, privateKeyUsagePeriod: null }, moment, timeZone),
      // CA constraints matter only on a path to a trust anchor; an untrusted path fails anyway.
      ...(index === 0 || !attempt.complete
        ? { caProblem: null, caNote: null }
        : caFitness(attempt.path, index, isTrustAnchor)),
    };
  });
  return { links, complete: attempt.complete };
}

interface Search {
  readonly pool: readonly Certificate[];
  readonly anchors: ReadonlySet<string>;
  checksLeft: number;
}

function extend(attempt: Attempt, search: Search): Attempt {
  if (attempt.complete || attempt.path.length >= maxLength) return attempt;
  const { pool, anchors } = search;
  const current = attempt.path[attempt.path.length - 1] as Certificate;
  const candidates = pool.filter(
    (candidate) =>
      sameName(candidate.subject, current.issuer) &&
      !attempt.path.some((seen) => seen.thumbprint === candidate.thumbprint) &&
      keyIdentifiersAgree(current, candidate),
  );
  // Going on beats stopping: an attempt that found one more issuer says more about the chain.
  let best: Attempt | null = null;
  for (const candidate of candidates) {
    if (search.checksLeft-- <= 0) break;
    const next = extend(
      {
        path: [...attempt.path, candidate],
        signatures: [...attempt.signatures, checkCertificateSignature(current, candidate)],
        complete: anchors.has(candidate.thumbprint),
      },
      search,
    );
    if (rank(next) === 3) return next;
    if (best === null || rank(next) > rank(best)) best = next;
  }
  return best ?? attempt;
}

/**
 * An untrusted self-signed certificate ends the chain as its own issuer: its self-signature is
 * still checked, which catches a self-signed certificate edited after issue.
 */
function withSelfSignature(attempt: Attempt): Attempt {
  const last = attempt.path[attempt.path.length - 1] as Certificate;
  if (attempt.complete || !isSelfIssued(last)) return attempt;
  return { ...attempt, signatures: [...attempt.signatures, checkCertificateSignature(last, last)] };
}

function rank(attempt: Attempt): number {
  const signaturesGood = attempt.signatures.every((s) => s.result === 'valid');
  return (attempt.complete ? 2 : 0) + (signaturesGood && attempt.complete ? 1 : 0);
}

/** The AKI names the issuer's key: a candidate with another SKI is another key of that name. */
function keyIdentifiersAgree(certificate: Certificate, issuer: Certificate): boolean {
  const wanted = certificate.authorityKeyIdentifier;
  const offered = issuer.subjectKeyIdentifier;
  return wanted === null || offered === null || wanted === offered;
}

function uniqueByThumbprint(certificates: readonly Certificate[]): Certificate[] {
  const seen = new Set<string>();
  return certificates.filter((certificate) => {
    if (seen.has(certificate.thumbprint)) return false;
    seen.add(certificate.thumbprint);
    return true;
  });
}

/** Whether path[index] may issue path[index - 1]: cA, keyCertSign, and pathLen below it. */
function caFitness(
  path: readonly Certificate[],
  index: number,
  isTrustAnchor: boolean,
): { caProblem: string | null; caNote: string | null } {
  const certificate = path[index] as Certificate;
  const name = `«${displayName(certificate)}»`;
  const constraints = certificate.basicConstraints;
  let caNote: string | null = null;
  if (constraints === null) {
    if (!isTrustAnchor) {
      return { caProblem: `в сертификате ${name} нет признака УЦ (basicConstraints)`, caNote: null };
    }
    // Test CAs (CryptoPro's, the TC26 root) lack the extension; the office listed it on purpose.
    caNote = isSelfIssued(certificate)
      ? `Корневой сертификат ${name} без признака УЦ принят, так как включён в список доверенных.`
      : `Сертификат УЦ ${name} без признака УЦ принят, так как включён в список доверенных.`;
  } else if (!constraints.cA) {
    return { caProblem: `сертификат ${name} не является сертификатом УЦ (cA = false)`, caNote: null };
  }
  if (certificate.keyUsage !== null && !certificate.keyUsage.includes('keyCertSign')) {
    return {
      caProblem: `ключ сертификата ${name} не предназначен для подписи сертификатов (keyCertSign)`,
      caNote,
    };
  }
  const limit = constraints?.pathLenConstraint ?? null;
  // Self-issued intermediates (key rollover) do not count towards pathLen (RFC 5280 §4.2.1.9).
  const below = path.slice(1, index).filter((c) => !isSelfIssued(c)).length;
  if (limit !== null && below > limit) {
    return {
      caProblem: `сертификат ${name} разрешает не более ${limit} промежуточных УЦ под собой, а в цепочке их ${below}`,
      caNote,
    };
  }
  return { caProblem: null, caNote };
}

export function isSelfIssued(certificate: Certificate): boolean {
  return sameName(certificate.subject, certificate.issuer);
}

/** How a certificate is named in a sentence: its common name, else the organisation. */
export function displayName(certificate: Certificate): string {
  return certificate.subject.CN ?? certificate.subject.O ?? certificate.owner ?? certificate.serial;
}

interface Issue {
  readonly status: 'failed' | 'not_checked';
  readonly subIndication: SubIndication;
  readonly text: string;
}

/**
 * The chain as one check. `atTimeOfCheck`: the moment is the time of the check (no signing time),
 * so an expired CA certificate may have been valid at signing: not a failure, not a pass.
 */
export function chainCheck(chain: Chain, anchorsGiven: boolean, atTimeOfCheck: boolean): Check {
  const issues: Issue[] = [];
  chain.links.forEach((link, index) => {
    const name = `«${displayName(link.certificate)}»`;
    const issuer = chain.links[index + 1]?.certificate ?? link.certificate;
    if (link.signature?.result === 'invalid') {
      issues.push({
        status: 'failed',
        subIndication: 'SIG_CRYPTO_FAILURE',
        text: `подпись издателя «${displayName(issuer)}» под сертификатом ${name} неверна`,
      });
    } else if (link.signature !== null && link.signature.result !== 'valid') {
      issues.push({
        status: 'not_checked',
        subIndication: 'ALGORITHM_NOT_SUPPORTED',
        text: `подпись издателя под сертификатом ${name} не проверена (${link.signature.reason ?? ''})`,
      });
    }
    if (link.caProblem !== null) {
      issues.push({ status: 'failed', subIndication: 'CHAIN_CONSTRAINTS_FAILURE', text: link.caProblem });
    }
    if (index > 0 && chain.complete) issues.push(...validityIssues(link, name, atTimeOfCheck));
  });
  const last = chain.links[chain.links.length - 1] as ChainLink;
  if (!chain.complete) {
    issues.push({
      status: 'not_checked',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
      text: whyIncomplete(last, anchorsGiven),
    });
  }
  const failures = issues.filter((issue) => issue.status === 'failed');
  const worst = failures.length > 0 ? failures : issues;
  const first = worst[0];
  if (first === undefined) {
    const notes = chain.links.flatMap((link) => (link.caNote === null ? [] : [` ${link.caNote}`]));
    return passed(
      'chain',
      `Цепочка сертификатов построена до доверенного удостоверяющего центра «${displayName(last.certificate)}»: сертификатов в цепочке ${chain.links.length}, подписи издателей верны.${notes.join('')}`,
    );
  }
  const text = worst.map((issue) => issue.text).join('; ');
  if (first.status === 'failed') {
    return failed('chain', first.subIndication, `Цепочка сертификатов не подтверждена: ${text}.`);
  }
  return notChecked(
    'chain',
    first.subIndication,
    first.subIndication === 'NO_CERTIFICATE_CHAIN_FOUND'
      ? `Цепочка сертификатов не построена: ${text}.`
      : `Цепочка сертификатов не проверена до конца: ${text}.`,
  );
}

function validityIssues(link: ChainLink, name: string, atTimeOfCheck: boolean): Issue[] {
  const reason = link.validity.reason ?? '';
  switch (link.validity.verdict) {
    case 'valid':
    case 'key_usage_period_exceeded':
      return [];
    case 'indeterminate':
      return [
        {
          status: 'not_checked',
          subIndication: 'OUT_OF_BOUNDS_NO_POE',
          text: `сертификат УЦ ${name}: ${reason}`,
        },
      ];
    case 'not_yet_valid':
      return [{ status: 'failed', subIndication: 'NOT_YET_VALID', text: `сертификат УЦ ${name}: ${reason}` }];
    case 'expired':
      return [
        atTimeOfCheck
          ? {
              status: 'not_checked',
              subIndication: 'OUT_OF_BOUNDS_NO_POE',
              text: `сертификат УЦ ${name}: ${reason}`,
            }
          : { status: 'failed', subIndication: 'EXPIRED', text: `сертификат УЦ ${name}: ${reason}` },
      ];
  }
}

function whyIncomplete(last: ChainLink, anchorsGiven: boolean): string {
  const certificate = last.certificate;
  if (!anchorsGiven) {
    return `издатель «${certificate.issuer.CN ?? certificate.issuer.O ?? '—'}» не найден среди доверенных: список доверенных удостоверяющих центров не задан (--trust или «trust» в конфигурации)`;
  }
  if (isSelfIssued(certificate)) {
    return `корневой сертификат «${displayName(certificate)}» не входит в список доверенных`;
  }
  return `издатель «${certificate.issuer.CN ?? certificate.issuer.O ?? '—'}» не найден среди доверенных`;
}

/** One link as the report prints it (certificate.chain). */
export interface ChainLinkSummary {
  readonly subject: string;
  readonly serial: string;
  readonly issuer: string;
  /** At the moment judged (for the signer, the same as the report's window). */
  readonly validity: WindowJudgement['verdict'];
  /** The issuer's signature over it; null for a trust anchor (trusted as listed) or an issuer not found. */
  readonly signature: SignatureCheck['result'] | null;
  /** Null for a trust anchor: the list vouches for it. */
  readonly revocation: RevocationStatus | null;
  readonly isTrustAnchor: boolean;
  readonly status: CheckStatus;
  readonly reason: string;
}

export function summarizeChain(
  chain: Chain,
  findings: readonly (RevocationFinding | null)[],
  atTimeOfCheck: boolean,
): ChainLinkSummary[] {
  return chain.links.map((link, index) => {
    const finding = findings[index] ?? null;
    const failures: string[] = [];
    const open: string[] = [];
    if (link.signature?.result === 'invalid') failures.push('подпись издателя неверна');
    else if (link.signature !== null && link.signature.result !== 'valid')
      open.push('подпись издателя не проверена');
    else if (link.signature === null && !link.isTrustAnchor) open.push('издатель не найден');
    if (link.caProblem !== null) failures.push(link.caProblem);
    const validity = link.validity.verdict;
    const lapsed =
      validity === 'expired' ||
      validity === 'not_yet_valid' ||
      (index === 0 && validity === 'key_usage_period_exceeded');
    if (validity === 'indeterminate' || (lapsed && atTimeOfCheck && validity !== 'not_yet_valid'))
      open.push('не установить, действовал ли');
    else if (lapsed) failures.push('не действовал в этот момент');
    if (finding?.status === 'revoked') failures.push(finding.reason);
    if (finding?.status === 'not_checked') open.push('отзыв не проверен');
    const status: CheckStatus = failures.length > 0 ? 'failed' : open.length > 0 ? 'not_checked' : 'passed';
    const good = [
      link.isTrustAnchor ? 'в списке доверенных' : 'подпись издателя верна',
      'действовал',
      ...(finding === null
        ? []
        : [finding.status === 'revoked_after_signing' ? finding.reason : 'не отозван']),
      ...(link.caNote === null ? [] : ['принят без признака УЦ']),
    ];
    return {
      subject: displayName(link.certificate),
      serial: link.certificate.serial,
      issuer: link.certificate.issuer.CN ?? link.certificate.issuer.O ?? '—',
      validity,
      signature: link.signature?.result ?? null,
      revocation: link.isTrustAnchor ? null : (finding?.status ?? 'not_checked'),
      isTrustAnchor: link.isTrustAnchor,
      status,
      reason: `${capitalized((status === 'passed' ? good : status === 'failed' ? failures : open).join('; '))}.`,
    };
  });
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
