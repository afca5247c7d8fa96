/**
 * X.509 CRL reader (RFC 5280 §5), DER or PEM, on the same strict ASN.1 layer as certificates.
 * Reads who issued the list, when, until when, and which serials it revokes since when; then
 * answers, for one certificate, what its issuer's CRLs say (signatures checked in crypto-check.ts).
 */
import { UnreadableInputError } from '../errors.ts';
import { russianDateIn } from '../time-zone.ts';
import { type AlgorithmName, signatureAlgorithmName } from './algorithms.ts';
import {
  type Asn1Node,
  binaryToBytes,
  bytesToBinary,
  childrenOf,
  encodeDer,
  isContext,
  isUniversal,
  parseAsn1,
  primitiveContent,
  readIntegerHex,
  readOid,
  readTime,
  sequenceOf,
  Tag,
} from './asn1.ts';
import {
  bitStringBytes,
  type Certificate,
  type DistinguishedName,
  firstElementOf,
  readAlgorithmOid,
  readAuthorityKeyIdentifier,
  readName,
} from './certificate.ts';
import { type Chain, type ChainLink, displayName } from './chain.ts';
import { checkCrlSignature, sameName } from './crypto-check.ts';
import { type Check, failed, notChecked, passed } from './report.ts';

export interface RevokedEntry {
  /** Uppercase hex without leading 00 bytes, comparable with Certificate.serial. */
  readonly serial: string;
  readonly revocationDate: Date;
}

export interface Crl {
  /** Where the list came from (a file name), for the report; null when not known. */
  readonly source: string | null;
  readonly issuer: DistinguishedName;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
  readonly revoked: readonly RevokedEntry[];
  /** Uppercase hex of the AuthorityKeyIdentifier's keyIdentifier, when present. */
  readonly authorityKeyIdentifier: string | null;
  /** A delta CRL lists only changes since a base CRL: on its own it proves nothing. */
  readonly isDelta: boolean;
  readonly signatureAlgorithm: AlgorithmName;
  /** The exact TBSCertList bytes the issuer signed. */
  readonly tbs: Uint8Array;
  readonly signatureValue: Uint8Array;
}

const what = 'список отозванных сертификатов (CRL)';
const pemLabels = new Set(['X509 CRL', 'CRL']);
const oids = { authorityKeyIdentifier: '2.5.29.35', deltaCrlIndicator: '2.5.29.27' } as const;

/** Reads a CRL as DER or PEM (`-----BEGIN X509 CRL-----`). */
export function readCrl(bytes: Uint8Array, source: string | null = null): Crl {
  const der = crlDer(bytes);
  const root = parseAsn1(bytesToBinary(der), what);
  const parts = sequenceOf(root, what);
  const [tbsNode, outerAlgorithm, signatureNode] = parts;
  if (parts.length !== 3 || signatureNode === undefined || !isUniversal(signatureNode, Tag.bitString)) {
    throw new UnreadableInputError(
      `${what}: ожидалась структура CertificateList {tbsCertList, алгоритм, подпись}`,
    );
  }
  const fields = sequenceOf(tbsNode, `${what}: tbsCertList`);
  let index = 0;
  if (fields[0] !== undefined && isUniversal(fields[0], Tag.integer)) index++; // version v2
  const algorithmOid = readAlgorithmOid(fields[index++], `${what}: алгоритм подписи`);
  const issuer = readName(fields[index++], `${what}: издатель`);
  const thisUpdate = readTime(fields[index++], `${what}: дата выпуска (thisUpdate)`);
  let nextUpdate: Date | null = null;
  const maybeNext = fields[index];
  if (
    maybeNext !== undefined &&
    (isUniversal(maybeNext, Tag.utcTime) || isUniversal(maybeNext, Tag.generalizedTime))
  ) {
    nextUpdate = readTime(maybeNext, `${what}: следующее обновление (nextUpdate)`);
    index++;
  }
  let revoked: RevokedEntry[] = [];
  const maybeRevoked = fields[index];
  if (maybeRevoked !== undefined && isUniversal(maybeRevoked, Tag.sequence)) {
    revoked = sequenceOf(maybeRevoked, `${what}: отозванные сертификаты`).map(readEntry);
    index++;
  }
  let authorityKeyIdentifier: string | null = null;
  let isDelta = false;
  const maybeExtensions = fields[index];
  if (maybeExtensions !== undefined && isContext(maybeExtensions, 0)) {
    for (const extension of sequenceOf(childrenOf(maybeExtensions, what)[0], `${what}: расширения`)) {
      const [oidNode, ...rest] = sequenceOf(extension, `${what}: расширение`);
      const oid = readOid(oidNode, `${what}: расширение`);
      const value = rest[rest.length - 1];
      if (value === undefined || !isUniversal(value, Tag.octetString)) {
        throw new UnreadableInputError(`${what}: расширение ${oid} без значения`);
      }
      if (oid === oids.authorityKeyIdentifier) {
        authorityKeyIdentifier = readAuthorityKeyIdentifier(primitiveContent(value, what), what);
      } else if (oid === oids.deltaCrlIndicator) {
        isDelta = true;
      }
    }
    index++;
  }
  if (index !== fields.length) throw new UnreadableInputError(`${what}: неожиданные элементы в tbsCertList`);
  readAlgorithmOid(outerAlgorithm, `${what}: алгоритм подписи`);
  return {
    source,
    issuer,
    thisUpdate,
    nextUpdate,
    revoked,
    authorityKeyIdentifier,
    isDelta,
    signatureAlgorithm: signatureAlgorithmName(algorithmOid),
    tbs: firstElementOf(der) ?? binaryToBytes(encodeDer(tbsNode as Asn1Node)),
    signatureValue: bitStringBytes(signatureNode, `${what}: подпись`),
  };
}

/** revokedCertificates entry ::= SEQUENCE { userCertificate, revocationDate, crlEntryExtensions OPTIONAL } */
function readEntry(node: Asn1Node): RevokedEntry {
  const [serialNode, dateNode] = sequenceOf(node, `${what}: запись`);
  const hex = readIntegerHex(serialNode, `${what}: серийный номер`).replace(/^(00)+/, '');
  return {
    serial: hex === '' ? '00' : hex,
    revocationDate: readTime(dateNode, `${what}: дата отзыва`),
  };
}

/** DER as it is, or the body of one PEM block labelled as a CRL. */
function crlDer(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 0) throw new UnreadableInputError('файл пуст');
  if (bytes[0] === 0x30) return bytes;
  const text = Buffer.from(bytes).toString('latin1');
  const pem = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (pem === null) {
    throw new UnreadableInputError(`${what}: ожидался DER или PEM с меткой «X509 CRL»`);
  }
  const label = pem[1] ?? '';
  if (!pemLabels.has(label)) {
    throw new UnreadableInputError(
      `PEM с меткой «${label}» — не список отозванных сертификатов (ожидалась «X509 CRL»)`,
    );
  }
  const body = (pem[2] ?? '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) {
    throw new UnreadableInputError(`${what}: содержимое PEM не является base64`);
  }
  return new Uint8Array(Buffer.from(body, 'base64'));
}

/** What the CRLs say about one certificate of a chain. */
export type RevocationStatus = 'not_revoked' | 'revoked' | 'revoked_after_signing' | 'not_checked';

export interface RevocationFinding {
  readonly status: RevocationStatus;
  /** One sentence in Russian. */
  readonly reason: string;
}

/** The moment revocation is judged at: a trusted signing time (CAdES-T), else the check. */
export interface RevocationMoment {
  readonly at: Date;
  readonly trusted: boolean;
  /** What the moment is, for the sentences: the signing (default) or the moment a person asked about. */
  readonly of?: 'signing' | 'asked';
}

export interface RevocationQuestion {
  readonly crls: readonly Crl[];
  readonly moment: RevocationMoment;
  /** The time of the check: a CRL must be current then (thisUpdate ≤ now ≤ nextUpdate). */
  readonly now: Date;
  readonly timeZone: string;
}

/**
 * Consults the CRLs of the certificate's issuer. A CRL counts only when its issuer is the
 * certificate's (by name and key identifier) and its signature verifies with `issuer`'s key; a
 * listed serial revokes from its revocation date, whatever the CRL's age; "not listed" counts only
 * in a current CRL.
 */
export function revocationOf(
  certificate: Certificate,
  issuer: Certificate | null,
  question: RevocationQuestion,
): RevocationFinding {
  const { crls, moment, now, timeZone } = question;
  const date = (at: Date) => russianDateIn(at, timeZone);
  const event = moment.of === 'asked' ? 'проверяемого момента' : 'подписания';
  const unknown = (why: string): RevocationFinding => ({ status: 'not_checked', reason: why });
  if (crls.length === 0) {
    return unknown('списки отозванных сертификатов (CRL) не переданы (--crl или «crl» в конфигурации)');
  }
  if (issuer === null) {
    return unknown(
      `сертификат издателя «${nameOf(certificate.issuer)}» не найден, подпись CRL проверить нечем`,
    );
  }
  const ours = crls.filter(
    (crl) =>
      sameName(crl.issuer, certificate.issuer) &&
      (crl.authorityKeyIdentifier === null ||
        issuer.subjectKeyIdentifier === null ||
        crl.authorityKeyIdentifier === issuer.subjectKeyIdentifier),
  );
  if (ours.length === 0) {
    const others = crls.map((crl) => `${crl.source ?? 'CRL'} — «${nameOf(crl.issuer)}»`);
    return unknown(
      `нет CRL от издателя «${nameOf(certificate.issuer)}» (переданные выпущены другими: ${others.join(', ')})`,
    );
  }
  if (issuer.keyUsage !== null && !issuer.keyUsage.includes('cRLSign')) {
    return unknown(`ключ издателя «${nameOf(certificate.issuer)}» не предназначен для подписи CRL (cRLSign)`);
  }
  const problems: string[] = [];
  const trusted = ours.filter((crl) => {
    const label = crl.source ?? 'CRL';
    if (crl.isDelta) {
      problems.push(`${label} — разностный CRL (delta), сам по себе не учитывается`);
      return false;
    }
    const signature = checkCrlSignature(crl, issuer);
    if (signature.result !== 'valid') {
      problems.push(
        signature.result === 'invalid'
          ? `${label}: подпись под списком неверна, список не учитывался`
          : `${label}: ${signature.reason ?? 'подпись не проверена'}`,
      );
    }
    return signature.result === 'valid';
  });
  const entry = trusted
    .flatMap((crl) =>
      crl.revoked.filter((revoked) => revoked.serial === withoutLeadingZeros(certificate.serialRawHex)),
    )
    .sort((a, b) => a.revocationDate.getTime() - b.revocationDate.getTime())[0];
  if (entry !== undefined) {
    const when = date(entry.revocationDate);
    if (entry.revocationDate.getTime() > moment.at.getTime()) {
      return { status: 'revoked_after_signing', reason: `отозван после ${event} (${when})` };
    }
    return {
      status: 'revoked',
      reason: moment.trusted
        ? `отозван ${when}, до ${event}`
        : `отозван ${when}; доверенного времени подписания (метки времени CAdES-T) нет, поэтому подпись не может считаться сделанной до отзыва`,
    };
  }
  const current = trusted.filter(
    (crl) =>
      crl.thisUpdate.getTime() <= now.getTime() &&
      (crl.nextUpdate === null || now.getTime() <= crl.nextUpdate.getTime()),
  );
  const latest = current.sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
  if (latest !== undefined) {
    const until = latest.nextUpdate === null ? '' : `, действует до ${date(latest.nextUpdate)}`;
    return {
      status: 'not_revoked',
      reason: `не отозван: в CRL издателя от ${date(latest.thisUpdate)}${until} его нет`,
    };
  }
  for (const crl of trusted) {
    problems.push(
      crl.thisUpdate.getTime() > now.getTime()
        ? `${crl.source ?? 'CRL'} выпущен ${date(crl.thisUpdate)}, позже момента проверки`
        : `${crl.source ?? 'CRL'} устарел: следующее обновление ожидалось ${crl.nextUpdate === null ? '—' : date(crl.nextUpdate)}`,
    );
  }
  return unknown(`действующего CRL издателя «${nameOf(certificate.issuer)}» нет (${problems.join('; ')})`);
}

function nameOf(name: DistinguishedName): string {
  return name.CN ?? name.O ?? '—';
}

function withoutLeadingZeros(hex: string): string {
  const trimmed = hex.replace(/^(00)+/, '');
  return trimmed === '' ? '00' : trimmed;
}

/** Each link's finding (null for a trust anchor: trusted as listed), folded into the revocation check. */
export function revocationCheck(
  chain: Chain,
  findings: readonly (RevocationFinding | null)[],
): { check: Check; notes: string[] } {
  const about = (index: number) =>
    index === 0
      ? 'Сертификат'
      : `Сертификат УЦ «${displayName((chain.links[index] as ChainLink).certificate)}»`;
  const sentences = (status: RevocationStatus) =>
    findings.flatMap((finding, index) =>
      finding?.status === status ? [`${about(index)} ${finding.reason}`] : [],
    );
  const notes = sentences('revoked_after_signing').map(
    (sentence) => `${sentence}: на результат проверки это не влияет.`,
  );
  const revoked = sentences('revoked');
  if (revoked.length > 0) return { check: failed('revocation', 'REVOKED', `${revoked.join('. ')}.`), notes };
  const open = findings.flatMap((finding, index) =>
    finding?.status === 'not_checked'
      ? [index === 0 ? finding.reason : `${lowerFirst(about(index))}: ${finding.reason}`]
      : [],
  );
  if (open.length > 0) {
    return {
      check: notChecked('revocation', 'TRY_LATER', `Отзыв сертификата не проверен: ${open.join('; ')}.`),
      notes,
    };
  }
  const good = sentences('not_revoked');
  return { check: passed('revocation', `${good.join('. ')}.`), notes };
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}
