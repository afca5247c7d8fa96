/**
 * The overall verdict, in the vocabulary of ETSI EN 319 102-1. Each check says passed, failed or
 * not_checked, with a sub-indication and a reason in Russian; one pure function folds them. A
 * verdict never claims more than was checked (SIGNATURES.md, 63-FZ art. 11): one failed check makes
 * it invalid, one check not done (the chain, revocation, GOST mathematics, the document) makes it
 * indeterminate. The chain (chain.ts) and revocation (crl.ts) are checks like the others; GOST
 * mathematics, when it lands, only turns not_checked into passed or failed; the fold stays as it is.
 */

export type CheckName =
  | 'format'
  | 'window'
  | 'digest'
  | 'signature'
  | 'certificate_signature'
  | 'chain'
  | 'revocation';

export type CheckStatus = 'passed' | 'failed' | 'not_checked';

/**
 * ETSI EN 319 102-1 sub-indications used here, and two of our own where the standard has no word:
 * KEY_USAGE_PERIOD_EXCEEDED (the private-key usage period, which Russian certificates carry) and
 * ALGORITHM_NOT_SUPPORTED (this program cannot compute the check, e.g. GOST R 34.10 for now).
 */
export type SubIndication =
  // With a failed check (TOTAL-FAILED)
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'KEY_USAGE_PERIOD_EXCEEDED'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  // With a check not done (INDETERMINATE)
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'SIGNED_DATA_NOT_FOUND'
  | 'TRY_LATER'
  | 'ALGORITHM_NOT_SUPPORTED';

export interface Check {
  readonly check: CheckName;
  readonly status: CheckStatus;
  /** Null exactly when the check passed. */
  readonly subIndication: SubIndication | null;
  /** One sentence in Russian for a clerk. */
  readonly reason: string;
}

export type Verdict = 'valid' | 'invalid' | 'indeterminate';
export type Indication = 'TOTAL-PASSED' | 'TOTAL-FAILED' | 'INDETERMINATE';

export interface Judgement {
  readonly verdict: Verdict;
  readonly indication: Indication;
  /** The sub-indications behind the verdict: of the failed checks, else of those not done. */
  readonly subIndications: readonly SubIndication[];
}

const indications: Record<Verdict, Indication> = {
  valid: 'TOTAL-PASSED',
  invalid: 'TOTAL-FAILED',
  indeterminate: 'INDETERMINATE',
};

export function passed(check: CheckName, reason: string): Check {
  return { check, status: 'passed', subIndication: null, reason };
}

export function failed(check: CheckName, subIndication: SubIndication, reason: string): Check {
  return { check, status: 'failed', subIndication, reason };
}

export function notChecked(check: CheckName, subIndication: SubIndication, reason: string): Check {
  return { check, status: 'not_checked', subIndication, reason };
}

/** Folds the checks into the verdict. No checks at all is not a pass. */
export function judge(checks: readonly Check[]): Judgement {
  const failures = checks.filter((c) => c.status === 'failed');
  const open = checks.filter((c) => c.status === 'not_checked');
  const verdict: Verdict =
    failures.length > 0 ? 'invalid' : open.length > 0 || checks.length === 0 ? 'indeterminate' : 'valid';
  const behind = verdict === 'invalid' ? failures : open;
  const subIndications = [
    ...new Set(behind.flatMap((c) => (c.subIndication === null ? [] : [c.subIndication]))),
  ];
  return { verdict, indication: indications[verdict], subIndications };
}

/**
 * The chain's first link is the certificate's own signature: when that failed, the chain's
 * SIG_CRYPTO_FAILURE is the same fact, said once in the headline.
 */
function saidByOwnSignature(check: Check, checks: readonly Check[]): boolean {
  return (
    check.check === 'chain' &&
    check.subIndication === 'SIG_CRYPTO_FAILURE' &&
    checks.some((c) => c.check === 'certificate_signature' && c.status === 'failed')
  );
}

/** What a check that did not pass means, in a few words for the headline. */
function phraseOf(check: Check): string {
  if (check.status === 'failed' && check.check === 'chain')
    return chainPhrases[check.subIndication ?? ''] ?? 'цепочка сертификатов не подтверждена';
  if (check.status === 'failed') {
    switch (check.subIndication) {
      case 'EXPIRED':
        return 'срок действия сертификата истёк';
      case 'NOT_YET_VALID':
        return 'сертификат ещё не действовал';
      case 'KEY_USAGE_PERIOD_EXCEEDED':
        return 'вне срока действия закрытого ключа';
      case 'REVOKED':
        return 'сертификат отозван';
      case 'HASH_FAILURE':
        return 'документ изменён после подписания';
      case 'FORMAT_FAILURE':
        return check.check === 'format' ? 'файл не читается' : 'подпись оформлена с ошибкой';
      default:
        return check.check === 'certificate_signature'
          ? 'сертификат подписанта изменён или выпущен не его издателем'
          : 'подпись не соответствует ключу сертификата';
    }
  }
  switch (check.subIndication) {
    case 'NO_SIGNING_CERTIFICATE_FOUND':
      return 'сертификат подписанта не найден';
    case 'SIGNED_DATA_NOT_FOUND':
      return 'документ не передан';
    default:
      return notCheckedPhrases[check.check];
  }
}

const chainPhrases: Record<string, string> = {
  SIG_CRYPTO_FAILURE: 'сертификат в цепочке изменён или выпущен не своим издателем',
  CHAIN_CONSTRAINTS_FAILURE: 'сертификат в цепочке не вправе выпускать сертификаты',
  EXPIRED: 'сертификат удостоверяющего центра не действовал в момент подписания',
  NOT_YET_VALID: 'сертификат удостоверяющего центра не действовал в момент подписания',
};

const notCheckedPhrases: Record<CheckName, string> = {
  format: 'файл не прочитан',
  window: 'неизвестно, действовал ли сертификат в момент подписания',
  digest: 'документ не сверен с подписью',
  signature: 'математическая проверка подписи не выполнена',
  certificate_signature: 'подпись издателя под сертификатом не проверена',
  chain: 'цепочка сертификатов не проверена',
  revocation: 'отзыв сертификата не проверен',
};

const headlines: Record<'signature' | 'certificate', Record<Verdict, string>> = {
  signature: {
    valid: 'Подпись действительна',
    invalid: 'Подпись не подтверждена',
    indeterminate: 'Статус подписи не определён',
  },
  certificate: {
    valid: 'Сертификат действителен',
    invalid: 'Сертификат недействителен',
    indeterminate: 'Статус сертификата не определён',
  },
};

/**
 * The one line a person reads first, as trusted verifiers word it: «Подпись действительна.» only
 * for a valid verdict; otherwise what failed, or what was not checked.
 */
export function summaryOf(
  subject: 'signature' | 'certificate',
  judgement: Judgement,
  checks: readonly Check[],
): string {
  const headline = headlines[subject][judgement.verdict];
  if (judgement.verdict === 'valid') return `${headline}.`;
  const status = judgement.verdict === 'invalid' ? 'failed' : 'not_checked';
  const said = checks.filter((c) => c.status === status && !saidByOwnSignature(c, checks));
  const phrases = [...new Set(said.map(phraseOf))];
  return `${headline}: ${phrases.join('; ')}.`;
}
