/**
 * Verification of a detached (or attached) CMS signature as the CLI and the API report it. Each
 * check is reported on its own (SIGNATURES.md, 63-FZ art. 11) and folded into one verdict
 * (report.ts). The chain to a trusted CA (chain.ts) and revocation (crl.ts) are checked against
 * the trust list passed in; without one they stay not checked, and no verdict is `valid`.
 */
import { UnreadableInputError } from '../errors.ts';
import { assertTimeZone, russianDateTimeIn } from '../time-zone.ts';
import { type Certificate, type DistinguishedName, type NameField, readCertificate } from './certificate.ts';
import {
  buildChain,
  type Chain,
  type ChainLinkSummary,
  chainCheck,
  isSelfIssued,
  summarizeChain,
} from './chain.ts';
import { readSignedData, type SignedData, type SignerInfo, signerMatches } from './cms.ts';
import { type RevocationFinding, type RevocationMoment, revocationCheck, revocationOf } from './crl.ts';
import { checkSignature, type SignatureCheck, type SignatureResult } from './crypto-check.ts';
import { checkDigest, type DigestCheck, type DigestResult } from './digest.ts';
import {
  type Check,
  failed,
  type Indication,
  judge,
  notChecked,
  passed,
  type SubIndication,
  summaryOf,
  type Verdict,
} from './report.ts';
import { type Stamp, signatureStamp } from './stamp.ts';
import { emptyTrustList, type TrustList } from './trust-list.ts';
import {
  chooseMoment,
  describeMoment,
  judgeWindow,
  type Moment,
  parseAssertedMoment,
  type TimeSource,
  type WindowJudgement,
  type WindowVerdict,
} from './window.ts';

export type NameFields = Partial<Record<NameField, string>>;

/** The certificate as reports print it: dates as ISO strings. */
export interface CertificateSummary {
  readonly serial: string;
  readonly owner: string;
  readonly subject: NameFields;
  readonly issuer: NameFields;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly privateKeyUsagePeriod: {
    readonly notBefore: string | null;
    readonly notAfter: string | null;
  } | null;
  readonly algorithm: string;
  /** The signer's certificate first, up to the trust anchor (or as far as issuers were found). */
  readonly chain: readonly ChainLinkSummary[];
}

/** The overall verdict, the same in both reports. */
export interface VerdictFields {
  /** valid only when every check was done and passed (ETSI EN 319 102-1 TOTAL-PASSED). */
  readonly verdict: Verdict;
  readonly indication: Indication;
  readonly subIndications: readonly SubIndication[];
  /** The headline in Russian: «Подпись действительна.» only for a valid verdict. */
  readonly summary: string;
  readonly checks: readonly Check[];
}

export interface VerificationReport extends VerdictFields {
  /** Null when the signature could not be read or its signer's certificate was not found. */
  readonly certificate: CertificateSummary | null;
  /** The signer's own claim (signed attribute signingTime), ISO; null when absent. */
  readonly signingTime: string | null;
  /** Which time the window was judged at; null when the signature could not be read. */
  readonly timeSource: TimeSource | null;
  readonly window: WindowVerdict;
  readonly digest: DigestResult;
  readonly signature: SignatureResult;
  /**
   * The five lines of the mark (ГОСТ Р 7.0.97), which say only that the document was signed; print
   * `summary` with them, never the lines alone as if they vouched for the signature.
   */
  readonly stamp: Stamp | null;
  /** Short sentences in Russian for a clerk: why each check did not pass, then what was assumed. */
  readonly reasons: readonly string[];
}

export interface CertificateReport extends VerdictFields {
  readonly certificate: CertificateSummary;
  readonly timeSource: 'asserted' | 'check';
  readonly window: Exclude<WindowVerdict, 'unparseable'>;
  readonly stamp: Stamp;
  readonly reasons: readonly string[];
}

/** What every verification takes besides the signature and certificate themselves. */
interface VerifyQuestion {
  readonly content?: Uint8Array | undefined;
  /** The caller's question: an ISO instant, or 'YYYY-MM-DD' (a calendar date in timeZone). */
  readonly at?: string | undefined;
  readonly now: Date;
  readonly timeZone: string;
}

export interface VerifySignatureInput extends VerifyQuestion {
  readonly signature: Uint8Array;
  readonly certificate?: Uint8Array | undefined;
}

export interface VerifyParsedInput extends VerifyQuestion {
  readonly signedData: SignedData;
  readonly certificate?: Certificate | undefined;
}

/** What the office trusts; optional, so that callers written before the trust list keep working. */
export interface VerifyOptions {
  /** Trust anchors, extra intermediates and CRLs (trust-list.ts). Without it nothing is trusted. */
  readonly trustList?: TrustList | undefined;
}

/**
 * Verifies signature bytes in any accepted form. Unreadable signature or certificate bytes give
 * window 'unparseable' with the reason; a malformed `at` or `timeZone` is the caller's mistake and
 * throws a ValidationError.
 */
export function verifySignature(
  input: VerifySignatureInput,
  options: VerifyOptions = {},
): VerificationReport {
  assertTimeZone(input.timeZone);
  const asserted = input.at === undefined ? null : parseAssertedMoment(input.at, input.timeZone);
  let signedData: SignedData;
  try {
    signedData = readSignedData(input.signature);
  } catch (error) {
    return unparseable(`Подпись не читается: ${messageOf(error)}.`);
  }
  let certificate: Certificate | undefined;
  if (input.certificate !== undefined) {
    try {
      certificate = readCertificate(input.certificate);
    } catch (error) {
      return unparseable(`Сертификат не читается: ${messageOf(error)}.`);
    }
  }
  return verifyWithMoment(
    signedData,
    input.content ?? null,
    certificate ?? null,
    asserted,
    input.now,
    input.timeZone,
    options.trustList ?? emptyTrustList,
  );
}

/** Verifies an already read signature (the CLI reads files itself to name the one that fails). */
export function verifyParsedSignature(
  input: VerifyParsedInput,
  options: VerifyOptions = {},
): VerificationReport {
  assertTimeZone(input.timeZone);
  const asserted = input.at === undefined ? null : parseAssertedMoment(input.at, input.timeZone);
  return verifyWithMoment(
    input.signedData,
    input.content ?? null,
    input.certificate ?? null,
    asserted,
    input.now,
    input.timeZone,
    options.trustList ?? emptyTrustList,
  );
}

function verifyWithMoment(
  signedData: SignedData,
  givenContent: Uint8Array | null,
  givenCertificate: Certificate | null,
  asserted: Moment | null,
  now: Date,
  timeZone: string,
  trustList: TrustList,
): VerificationReport {
  const signer = signedData.signers[0];
  if (signer === undefined) {
    return unparseable('В файле нет ни одной подписи (возможно, это только контейнер сертификатов).');
  }
  const notes: string[] = [];
  if (signedData.signers.length > 1) {
    notes.push(`Подписей в файле: ${signedData.signers.length}; проверена первая.`);
  }

  const certificate = pickCertificate(signer, givenCertificate, notes);
  const content = givenContent ?? signedData.content;
  if (
    givenContent !== null &&
    signedData.content !== null &&
    !Buffer.from(givenContent).equals(Buffer.from(signedData.content))
  ) {
    notes.push('Переданный документ отличается от вложенного в подпись; сверялся переданный.');
  }

  const signingTime = signer.signedAttributes?.signingTime ?? null;
  const timestamp = usableTimestamp(signer, notes);
  const { moment, source } = chooseMoment({ asserted, timestamp, signingTime, now });

  const judgement = certificate === null ? null : judgeWindow(certificate, moment, timeZone);
  const signature = checkSignature(signer, certificate, content);
  const digest = checkDigest(signer, content, signature.result);
  const signatureCheck = signatureCheckOf(signature, certificate);
  const intermediates = [
    ...signedData.certificates,
    ...(givenCertificate === null ? [] : [givenCertificate]),
    ...trustList.intermediates,
  ];
  // Only a CAdES-T timestamp is a trusted time; signingTime is the signer's own claim.
  const revocationMoment: RevocationMoment =
    timestamp === null ? { at: now, trusted: false } : { at: timestamp, trusted: true };
  const trust =
    certificate === null
      ? null
      : checkTrust(
          certificate,
          { trustList, intermediates, moment, revocationMoment, now, timeZone },
          source === 'check',
        );
  const checks: Check[] = [
    judgement === null
      ? notChecked(
          'window',
          'NO_SIGNING_CERTIFICATE_FOUND',
          'Сертификат подписанта не найден ни в подписи, ни среди переданных: срок его действия не проверен. Передайте сертификат отдельно.',
        )
      : windowCheck(judgement, source === 'check'),
    digestCheck(digest, signer, content, signatureCheck),
    signatureCheck,
    ...(trust === null
      ? [
          notChecked(
            'certificate_signature',
            'NO_SIGNING_CERTIFICATE_FOUND',
            'Сертификат подписанта не найден: подпись издателя под ним не проверена.',
          ),
          notChecked(
            'chain',
            'NO_SIGNING_CERTIFICATE_FOUND',
            'Сертификат подписанта не найден: цепочка сертификатов не построена.',
          ),
          notChecked(
            'revocation',
            'NO_SIGNING_CERTIFICATE_FOUND',
            'Сертификат подписанта не найден: его отзыв не проверен.',
          ),
        ]
      : trust.checks),
  ];
  notes.push(...describeTimeUsed(source, moment, timestamp, signingTime, certificate, timeZone));
  if (trust !== null) notes.push(...trust.notes);

  return {
    ...verdictOf('signature', checks),
    certificate:
      certificate === null || trust === null ? null : summarizeCertificate(certificate, trust.chain),
    signingTime: signingTime?.toISOString() ?? null,
    timeSource: source,
    window: judgement?.verdict ?? 'indeterminate',
    digest: digest.result,
    signature: signature.result,
    stamp: certificate === null ? null : signatureStamp(certificate, timeZone),
    reasons: [...checks.filter((c) => c.status !== 'passed').map((c) => c.reason), ...notes],
    checks,
  };
}

interface TrustQuestion {
  readonly trustList: TrustList;
  readonly intermediates: readonly Certificate[];
  /** The moment the window and the chain are judged at. */
  readonly moment: Moment;
  readonly revocationMoment: RevocationMoment;
  readonly now: Date;
  readonly timeZone: string;
}

interface TrustAnswer {
  /** certificate_signature, chain, revocation. */
  readonly checks: readonly Check[];
  readonly chain: readonly ChainLinkSummary[];
  readonly notes: readonly string[];
}

/** The certificate's own signature, its chain to a trust anchor, and revocation along the chain. */
function checkTrust(certificate: Certificate, question: TrustQuestion, atTimeOfCheck: boolean): TrustAnswer {
  const { trustList, timeZone } = question;
  const chain = buildChain(
    certificate,
    { anchors: trustList.anchors, intermediates: question.intermediates },
    question.moment,
    timeZone,
  );
  const findings = revocationFindings(chain, question);
  const revocation = revocationCheck(chain, findings);
  const notes = [...revocation.notes];
  const consulted = findings.some((f) => f !== null && f.status !== 'not_checked');
  if (consulted && !question.revocationMoment.trusted) {
    const checkedAt = `${russianDateTimeIn(question.now, timeZone)} (${timeZone})`;
    notes.push(
      question.revocationMoment.of === 'asked'
        ? `Указана только дата: отзыв проверен на момент проверки ${checkedAt}.`
        : `Доверенного времени подписания (метки времени CAdES-T) нет: отзыв проверен на момент проверки ${checkedAt}.`,
    );
  }
  return {
    checks: [
      ownSignatureCheck(chain),
      chainCheck(chain, trustList.anchors.length > 0, atTimeOfCheck),
      revocation.check,
    ],
    chain: summarizeChain(chain, findings, atTimeOfCheck),
    notes,
  };
}

function revocationFindings(chain: Chain, question: TrustQuestion): (RevocationFinding | null)[] {
  return chain.links.map((link, index) =>
    // An anchor is vouched for by the list; an untrusted self-signed root has nobody to revoke it.
    link.isTrustAnchor || (index > 0 && isSelfIssued(link.certificate))
      ? null
      : revocationOf(link.certificate, chain.links[index + 1]?.certificate ?? null, {
          crls: question.trustList.crls,
          moment: question.revocationMoment,
          now: question.now,
          timeZone: question.timeZone,
        }),
  );
}

/** The issuer's signature over the signer's certificate: the chain's first link. */
function ownSignatureCheck(chain: Chain): Check {
  const first = chain.links[0];
  if (first?.isTrustAnchor === true) {
    return passed('certificate_signature', 'Сертификат сам включён в список доверенных.');
  }
  if (first?.signature === null || first?.signature === undefined) {
    return notChecked(
      'certificate_signature',
      'NO_CERTIFICATE_CHAIN_FOUND',
      'Сертификата издателя нет ни в подписи, ни среди переданных: подпись издателя под сертификатом не проверена, сертификат мог быть изменён.',
    );
  }
  return certificateSignatureCheck(first.signature);
}

/** The verdict fields, first in the report; `checks` goes last, after the familiar fields. */
function verdictOf(
  subject: 'signature' | 'certificate',
  checks: readonly Check[],
): Omit<VerdictFields, 'checks'> {
  const judgement = judge(checks);
  return { ...judgement, summary: summaryOf(subject, judgement, checks) };
}

/**
 * The window at the moment used. Judged at the time of the check (no signingTime, no timestamp),
 * an expired certificate does not make the signature invalid: it may have been made while the
 * certificate was valid, and nothing shows when (OUT_OF_BOUNDS_NO_POE). A certificate not yet valid
 * now was not valid when the existing signature was made either.
 */
function windowCheck(judgement: WindowJudgement, atTimeOfCheck: boolean): Check {
  const reason = judgement.reason ?? '';
  switch (judgement.verdict) {
    case 'valid':
      return passed('window', 'Сертификат и его закрытый ключ действовали в проверенный момент.');
    case 'not_yet_valid':
      return failed('window', 'NOT_YET_VALID', reason);
    case 'indeterminate':
      return notChecked('window', 'OUT_OF_BOUNDS_NO_POE', reason);
    case 'expired':
    case 'key_usage_period_exceeded':
      if (atTimeOfCheck) {
        return notChecked(
          'window',
          'OUT_OF_BOUNDS_NO_POE',
          `${reason} Время подписания неизвестно: действовал ли сертификат, когда подпись была сделана, не установить.`,
        );
      }
      return failed(
        'window',
        judgement.verdict === 'expired' ? 'EXPIRED' : 'KEY_USAGE_PERIOD_EXCEEDED',
        reason,
      );
  }
}

function signatureCheckOf(signature: SignatureCheck, certificate: Certificate | null): Check {
  const reason = signature.reason ?? '';
  switch (signature.result) {
    case 'valid':
      return passed(
        'signature',
        'Математическая проверка подписи пройдена: подпись сделана ключом этого сертификата.',
      );
    case 'invalid':
      return failed('signature', 'SIG_CRYPTO_FAILURE', reason);
    case 'unsupported':
      return notChecked('signature', 'ALGORITHM_NOT_SUPPORTED', reason);
    case 'not_checked':
      return notChecked(
        'signature',
        certificate === null ? 'NO_SIGNING_CERTIFICATE_FOUND' : 'SIGNED_DATA_NOT_FOUND',
        reason,
      );
  }
}

function digestCheck(
  digest: DigestCheck,
  signer: SignerInfo,
  content: Uint8Array | null,
  signature: Check,
): Check {
  const reason = digest.reason ?? '';
  if (digest.result === 'match') return passed('digest', 'Документ не изменён после подписания.');
  if (digest.result === 'mismatch') return failed('digest', 'HASH_FAILURE', reason);
  if (content === null) return notChecked('digest', 'SIGNED_DATA_NOT_FOUND', reason);
  // Without signed attributes the document is checked only through the signature itself.
  if (signer.signedAttributes === null) {
    return notChecked('digest', signature.subIndication ?? 'SIG_CRYPTO_FAILURE', reason);
  }
  // RFC 5652 requires messageDigest whenever there are signed attributes.
  if (signer.signedAttributes.messageDigest === null) return failed('digest', 'FORMAT_FAILURE', reason);
  // What is left: a hash algorithm this program does not compute.
  return notChecked('digest', 'ALGORITHM_NOT_SUPPORTED', reason);
}

function certificateSignatureCheck(check: SignatureCheck): Check {
  const reason = check.reason ?? '';
  switch (check.result) {
    case 'valid':
      return passed(
        'certificate_signature',
        'Подпись издателя под сертификатом верна: сертификат не изменён после выпуска.',
      );
    case 'invalid':
      return failed('certificate_signature', 'SIG_CRYPTO_FAILURE', reason);
    case 'unsupported':
      return notChecked('certificate_signature', 'ALGORITHM_NOT_SUPPORTED', reason);
    case 'not_checked':
      return notChecked('certificate_signature', 'NO_CERTIFICATE_CHAIN_FOUND', reason);
  }
}

/**
 * The signer's certificate: a passed-in one that the signer identifier names, else the CMS's own.
 * A passed-in certificate that does not match is still used (the caller insisted) and said so.
 */
function pickCertificate(signer: SignerInfo, given: Certificate | null, notes: string[]): Certificate | null {
  if (given !== null && signerMatches(signer.sid, given)) return given;
  if (signer.certificate !== null) {
    if (given !== null)
      notes.push('Переданный сертификат не соответствует подписанту; использован сертификат из подписи.');
    return signer.certificate;
  }
  if (given !== null) {
    notes.push('Переданный сертификат не соответствует идентификатору подписанта, указанному в подписи.');
    return given;
  }
  return null;
}

function usableTimestamp(signer: SignerInfo, notes: string[]): Date | null {
  const timestamp = signer.timestamp;
  if (timestamp === null) return null;
  if (timestamp.genTime === null) {
    notes.push(
      `Метка времени в подписи не читается (${timestamp.problem ?? 'причина неизвестна'}) и не учитывалась.`,
    );
    return null;
  }
  if (timestamp.imprintMatches === false) {
    notes.push('Метка времени относится не к этой подписи (хэш подписи не совпадает) и не учитывалась.');
    return null;
  }
  return timestamp.genTime;
}

function describeTimeUsed(
  source: TimeSource,
  moment: Moment,
  timestamp: Date | null,
  signingTime: Date | null,
  certificate: Certificate | null,
  timeZone: string,
): string[] {
  const when = describeMoment(moment, timeZone);
  const claim = (time: Date) =>
    `Время подписания ${russianDateTimeIn(time, timeZone)} указал сам подписавший (signingTime); это заявление, а не доверенная метка времени.`;
  const lines: string[] = [];
  switch (source) {
    case 'timestamp':
      lines.push(
        `Срок действия проверен на момент метки времени (CAdES-T) ${when}; подпись службы меток времени и её сертификат не проверялись.`,
      );
      break;
    case 'signingTime':
      lines.push(`Срок действия проверен на время подписания ${when}.`, claim(signingTime as Date));
      break;
    case 'asserted': {
      lines.push(`Срок действия проверен на указанный момент: ${when}.`);
      const other = timestamp ?? signingTime;
      if (other !== null) {
        lines.push(
          timestamp === null
            ? claim(other)
            : `В подписи есть метка времени: ${russianDateTimeIn(other, timeZone)} (${timeZone}).`,
        );
        if (certificate !== null) {
          const atOther = judgeWindow(certificate, { kind: 'instant', at: other }, timeZone);
          const atAsserted = judgeWindow(certificate, moment, timeZone);
          if (atOther.verdict !== atAsserted.verdict && atOther.reason !== null) lines.push(atOther.reason);
          else if (atOther.verdict !== atAsserted.verdict) {
            lines.push(`На ${russianDateTimeIn(other, timeZone)} сертификат действовал.`);
          }
        }
      }
      break;
    }
    case 'check':
      lines.push(`Время подписания в подписи не указано: срок действия проверен на момент проверки ${when}.`);
      break;
  }
  return lines;
}

function unparseable(reason: string): VerificationReport {
  const formatFailure = failed('format', 'FORMAT_FAILURE', reason);
  return {
    ...verdictOf('signature', [formatFailure]),
    certificate: null,
    signingTime: null,
    timeSource: null,
    window: 'unparseable',
    digest: 'not_checked',
    signature: 'not_checked',
    stamp: null,
    reasons: [reason],
    checks: [formatFailure],
  };
}

function messageOf(error: unknown): string {
  if (error instanceof UnreadableInputError) return error.message;
  // A reader bug must not pass for a verdict on the input: let it surface.
  throw error;
}

function namedFields(name: DistinguishedName): NameFields {
  const { attributes: _attributes, ...fields } = name;
  return fields;
}

export function summarizeCertificate(
  certificate: Certificate,
  chain: readonly ChainLinkSummary[] = [],
): CertificateSummary {
  const period = certificate.privateKeyUsagePeriod;
  return {
    serial: certificate.serial,
    owner: certificate.owner,
    subject: namedFields(certificate.subject),
    issuer: namedFields(certificate.issuer),
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    privateKeyUsagePeriod:
      period === null
        ? null
        : {
            notBefore: period.notBefore?.toISOString() ?? null,
            notAfter: period.notAfter?.toISOString() ?? null,
          },
    algorithm: certificate.publicKeyAlgorithm.name,
    chain,
  };
}

/**
 * The certificate part, window, chain and stamp for the `cert` command. `at` is the caller's
 * question as a string (ISO instant or 'YYYY-MM-DD'), or the time of the check as a Date.
 * Revocation is judged at `at` when it is an instant, else at the time of the check.
 */
export function describeCertificate(
  certificate: Certificate,
  at: Date | string,
  timeZone: string,
  options: VerifyOptions & { readonly now?: Date } = {},
): CertificateReport {
  assertTimeZone(timeZone);
  const moment: Moment = typeof at === 'string' ? parseAssertedMoment(at, timeZone) : { kind: 'instant', at };
  const now = options.now ?? (typeof at === 'string' ? new Date() : at);
  const trustList = options.trustList ?? emptyTrustList;
  const judgement = judgeWindow(certificate, moment, timeZone);
  const trust = checkTrust(
    certificate,
    {
      trustList,
      intermediates: trustList.intermediates,
      moment,
      // The question is about the certificate at that moment, so revocation is judged then too.
      revocationMoment:
        moment.kind === 'instant'
          ? { at: moment.at, trusted: true, of: 'asked' }
          : { at: now, trusted: false, of: 'asked' },
      now,
      timeZone,
    },
    false,
  );
  const checks: Check[] = [
    // The question is about the certificate itself at that moment: any "no" is a failure.
    windowCheck(judgement, false),
    ...trust.checks,
  ];
  return {
    ...verdictOf('certificate', checks),
    certificate: summarizeCertificate(certificate, trust.chain),
    timeSource: typeof at === 'string' ? 'asserted' : 'check',
    window: judgement.verdict,
    stamp: signatureStamp(certificate, timeZone),
    reasons: [
      ...checks.filter((c) => c.status !== 'passed').map((c) => c.reason),
      typeof at === 'string'
        ? `Срок действия проверен на указанный момент: ${describeMoment(moment, timeZone)}.`
        : `Срок действия проверен на момент проверки ${describeMoment(moment, timeZone)}.`,
      ...trust.notes,
    ],
    checks,
  };
}
