/**
 * CMS SignedData reader (RFC 5652), DER and BER alike: CryptoPro writes indefinite lengths and
 * chunked OCTET STRINGs. Reads what a verifier needs; verifies nothing itself.
 */
import { UnreadableInputError } from '../errors.ts';
import { type AlgorithmName, digestAlgorithmName, Oid, signatureAlgorithmName } from './algorithms.ts';
import {
  type Asn1Node,
  binaryToBytes,
  binaryToHex,
  bytesToBinary,
  childrenOf,
  encodeDer,
  isContext,
  isUniversal,
  octetStringContent,
  parseAsn1,
  readIntegerHex,
  readOid,
  readSmallInteger,
  readTime,
  sequenceOf,
  setOf,
  Tag,
  TagClass,
} from './asn1.ts';
import { type Certificate, certificateFromAsn1, type DistinguishedName, readName } from './certificate.ts';
import { digestByAlgorithmOid } from './digest.ts';
import { decodeInput } from './input.ts';

export type SignerIdentifier =
  | {
      readonly kind: 'issuerAndSerialNumber';
      readonly issuer: DistinguishedName;
      /** Uppercase hex without a leading 00 byte, comparable with Certificate.serial. */
      readonly serial: string;
    }
  | { readonly kind: 'subjectKeyIdentifier'; readonly keyIdentifier: string };

/** RSASSA-PSS-params, with the defaults of RFC 4055 filled in. */
export interface PssParameters {
  readonly hashOid: string;
  readonly maskGenHashOid: string;
  readonly saltLength: number;
}

export interface SignatureAlgorithm extends AlgorithmName {
  readonly pss: PssParameters | null;
}

export interface SignedAttributes {
  readonly contentType: string | null;
  readonly messageDigest: Uint8Array | null;
  readonly signingTime: Date | null;
  /** Every signed attribute: its OID and the DER of each value. */
  readonly all: readonly { readonly oid: string; readonly values: readonly Uint8Array[] }[];
}

export interface TimestampInfo {
  /** The TSA's time (TSTInfo.genTime), when the token could be read. */
  readonly genTime: Date | null;
  /** Whether the token's message imprint is the hash of this signature value; null when not checkable. */
  readonly imprintMatches: boolean | null;
  /** Why genTime is missing, when it is. */
  readonly problem: string | null;
}

export interface SignerInfo {
  readonly sid: SignerIdentifier;
  /** The certificate from the CMS that the sid names, if the CMS carries it. */
  readonly certificate: Certificate | null;
  readonly digestAlgorithm: AlgorithmName;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signedAttributes: SignedAttributes | null;
  /** The signed attributes re-encoded as a DER SET (tag 0x31): the bytes the signature covers. */
  readonly signedAttributesDer: Uint8Array | null;
  readonly signature: Uint8Array;
  /** A CAdES-T signature timestamp (unsigned attribute 1.2.840.113549.1.9.16.2.14), if present. */
  readonly timestamp: TimestampInfo | null;
}

export interface SignedData {
  readonly contentType: string;
  /** Whether the signed content travels inside the CMS (attached) or separately (detached). */
  readonly attached: boolean;
  readonly content: Uint8Array | null;
  readonly certificates: readonly Certificate[];
  readonly signers: readonly SignerInfo[];
}

const what = 'подпись';

/** Reads a CMS SignedData in any accepted form (DER/BER, PEM, bare base64). */
export function readSignedData(bytes: Uint8Array): SignedData {
  const { der } = decodeInput(bytes, 'signature');
  return signedDataFromAsn1(parseAsn1(bytesToBinary(der), what), true);
}

function signedDataFromAsn1(contentInfo: Asn1Node, readTimestamps: boolean): SignedData {
  const [typeNode, explicitContent] = sequenceOf(contentInfo, `${what}: ContentInfo`);
  const contentInfoType = readOid(typeNode, `${what}: тип содержимого`);
  if (contentInfoType !== Oid.signedData) {
    throw new UnreadableInputError(`${what}: это не подписанные данные CMS (тип ${contentInfoType})`);
  }
  if (explicitContent === undefined || !isContext(explicitContent, 0)) {
    throw new UnreadableInputError(`${what}: нет содержимого SignedData`);
  }
  const fields = sequenceOf(childrenOf(explicitContent, what)[0], `${what}: SignedData`);
  readSmallInteger(fields[0], `${what}: версия SignedData`);
  setOf(fields[1], `${what}: алгоритмы хэширования`);
  const [eContentTypeNode, eContentNode] = sequenceOf(fields[2], `${what}: encapContentInfo`);
  const contentType = readOid(eContentTypeNode, `${what}: тип подписанного содержимого`);
  let content: Uint8Array | null = null;
  if (eContentNode !== undefined) {
    if (!isContext(eContentNode, 0)) throw new UnreadableInputError(`${what}: неверное вложенное содержимое`);
    const octets = childrenOf(eContentNode, what)[0];
    if (octets === undefined || !isUniversal(octets, Tag.octetString)) {
      throw new UnreadableInputError(`${what}: вложенное содержимое не OCTET STRING`);
    }
    content = binaryToBytes(octetStringContent(octets, what));
  }

  const certificates: Certificate[] = [];
  let index = 3;
  for (; index < fields.length; index++) {
    const field = fields[index] as Asn1Node;
    if (isContext(field, 0)) {
      for (const choice of childrenOf(field, `${what}: сертификаты`)) {
        // Other CertificateChoices (attribute certificates, [0]..[3]) are not X.509 certificates.
        if (isUniversal(choice, Tag.sequence)) certificates.push(certificateFromAsn1(choice));
      }
    } else if (!isContext(field, 1)) {
      break; // crls [1] are skipped; the SET of SignerInfos follows
    }
  }
  const signerNodes = setOf(fields[index], `${what}: SignerInfos`);
  if (index !== fields.length - 1) {
    throw new UnreadableInputError(`${what}: лишние элементы после SignerInfos`);
  }
  const signers = signerNodes.map((node) => readSignerInfo(node, certificates, readTimestamps));
  return { contentType, attached: content !== null, content, certificates, signers };
}

function readSignerInfo(
  node: Asn1Node,
  certificates: readonly Certificate[],
  readTimestamps: boolean,
): SignerInfo {
  const where = `${what}: SignerInfo`;
  const fields = sequenceOf(node, where);
  readSmallInteger(fields[0], `${where}: версия`);
  const sid = readSignerIdentifier(fields[1]);
  const digestAlgorithm = digestAlgorithmName(
    readAlgorithmOidOf(fields[2], `${where}: алгоритм хэширования`),
  );
  let index = 3;
  let signedAttributes: SignedAttributes | null = null;
  let signedAttributesDer: Uint8Array | null = null;
  const maybeSigned = fields[index];
  if (maybeSigned !== undefined && isContext(maybeSigned, 0)) {
    const attributes = childrenOf(maybeSigned, `${where}: подписанные атрибуты`);
    signedAttributes = readSignedAttributes(attributes);
    // The signature covers the attributes as a DER SET OF, not as the [0] IMPLICIT they are stored
    // in. They are kept in stored order: signers sign the encoding they store.
    signedAttributesDer = binaryToBytes(
      encodeDer({ ...maybeSigned, tagClass: TagClass.universal, type: Tag.set, constructed: true }),
    );
    index++;
  }
  const signatureAlgorithm = readSignatureAlgorithm(fields[index++], `${where}: алгоритм подписи`);
  const signatureNode = fields[index++];
  if (signatureNode === undefined || !isUniversal(signatureNode, Tag.octetString)) {
    throw new UnreadableInputError(`${where}: нет значения подписи`);
  }
  const signatureBinary = octetStringContent(signatureNode, where);
  let timestamp: TimestampInfo | null = null;
  const maybeUnsigned = fields[index];
  if (maybeUnsigned !== undefined && isContext(maybeUnsigned, 1)) {
    for (const attribute of childrenOf(maybeUnsigned, `${where}: неподписанные атрибуты`)) {
      const [oidNode, values] = sequenceOf(attribute, `${where}: атрибут`);
      const oid = readOid(oidNode, `${where}: атрибут`);
      if (oid === Oid.timestampTokenAttribute && timestamp === null) {
        const token = setOf(values, `${where}: метка времени`)[0];
        timestamp = readTimestamp(token, signatureBinary, readTimestamps);
      }
    }
    index++;
  }
  if (index !== fields.length) throw new UnreadableInputError(`${where}: неожиданные элементы`);
  return {
    sid,
    certificate: certificates.find((certificate) => signerMatches(sid, certificate)) ?? null,
    digestAlgorithm,
    signatureAlgorithm,
    signedAttributes,
    signedAttributesDer,
    signature: binaryToBytes(signatureBinary),
    timestamp,
  };
}

function readSignerIdentifier(node: Asn1Node | undefined): SignerIdentifier {
  const where = `${what}: идентификатор подписанта`;
  if (node !== undefined && isContext(node, 0)) {
    return { kind: 'subjectKeyIdentifier', keyIdentifier: binaryToHex(octetStringContent(node, where)) };
  }
  const [issuerNode, serialNode] = sequenceOf(node, where);
  return {
    kind: 'issuerAndSerialNumber',
    issuer: readName(issuerNode, where),
    serial: withoutLeadingZeros(readIntegerHex(serialNode, `${where}: серийный номер`)),
  };
}

/**
 * Whether the certificate is the one the signer identifier names. Issuer names are compared by
 * decoded attribute values in order, not as bytes: some tools re-encode the issuer with other
 * string types (PrintableString for UTF8String), which names the same issuer.
 */
export function signerMatches(sid: SignerIdentifier, certificate: Certificate): boolean {
  if (sid.kind === 'subjectKeyIdentifier') return certificate.subjectKeyIdentifier === sid.keyIdentifier;
  if (withoutLeadingZeros(certificate.serialRawHex) !== sid.serial) return false;
  const a = certificate.issuer.attributes;
  const b = sid.issuer.attributes;
  return (
    a.length === b.length &&
    a.every((attribute, i) => attribute.oid === b[i]?.oid && attribute.value === b[i]?.value)
  );
}

function withoutLeadingZeros(hex: string): string {
  const trimmed = hex.replace(/^(00)+/, '');
  return trimmed === '' ? '00' : trimmed;
}

function readAlgorithmOidOf(node: Asn1Node | undefined, where: string): string {
  return readOid(sequenceOf(node, where)[0], where);
}

function readSignatureAlgorithm(node: Asn1Node | undefined, where: string): SignatureAlgorithm {
  const [oidNode, parameters] = sequenceOf(node, where);
  const oid = readOid(oidNode, where);
  const pss = oid === Oid.rsassaPss ? readPssParameters(parameters, `${where}: параметры RSASSA-PSS`) : null;
  return { ...signatureAlgorithmName(oid), pss };
}

const sha1Oid = '1.3.14.3.2.26';

/** RSASSA-PSS-params ::= SEQUENCE { [0] hash DEFAULT sha1, [1] mgf DEFAULT mgf1SHA1, [2] saltLength DEFAULT 20, [3] trailer DEFAULT 1 } */
function readPssParameters(node: Asn1Node | undefined, where: string): PssParameters {
  let hashOid = sha1Oid;
  let maskGenHashOid = sha1Oid;
  let saltLength = 20;
  if (node === undefined || isUniversal(node, Tag.null)) return { hashOid, maskGenHashOid, saltLength };
  for (const item of sequenceOf(node, where)) {
    const inner = childrenOf(item, where)[0];
    if (isContext(item, 0)) hashOid = readAlgorithmOidOf(inner, where);
    else if (isContext(item, 1)) {
      const [mgfOid, mgfHash] = sequenceOf(inner, where);
      if (readOid(mgfOid, where) !== Oid.mgf1) {
        throw new UnreadableInputError(`${where}: неизвестная функция MGF`);
      }
      maskGenHashOid = readAlgorithmOidOf(mgfHash, where);
    } else if (isContext(item, 2)) saltLength = readSmallInteger(inner, where);
  }
  return { hashOid, maskGenHashOid, saltLength };
}

function readSignedAttributes(attributes: Asn1Node[]): SignedAttributes {
  const where = `${what}: подписанные атрибуты`;
  let contentType: string | null = null;
  let messageDigest: Uint8Array | null = null;
  let signingTime: Date | null = null;
  const all: { oid: string; values: Uint8Array[] }[] = [];
  for (const attribute of attributes) {
    const [oidNode, valuesNode] = sequenceOf(attribute, where);
    const oid = readOid(oidNode, where);
    const values = setOf(valuesNode, `${where}: ${oid}`);
    const first = values[0];
    if (first === undefined) throw new UnreadableInputError(`${where}: атрибут ${oid} без значения`);
    if (oid === Oid.contentTypeAttribute) contentType = readOid(first, `${where}: тип содержимого`);
    else if (oid === Oid.messageDigestAttribute) {
      if (!isUniversal(first, Tag.octetString)) {
        throw new UnreadableInputError(`${where}: messageDigest не OCTET STRING`);
      }
      messageDigest = binaryToBytes(octetStringContent(first, where));
    } else if (oid === Oid.signingTimeAttribute) signingTime = readTime(first, `${where}: время подписания`);
    all.push({ oid, values: values.map((value) => binaryToBytes(encodeDer(value))) });
  }
  return { contentType, messageDigest, signingTime, all };
}

/**
 * The timestamp token is itself a SignedData whose content is a TSTInfo. A token that cannot be
 * read does not make the signature unreadable: it is reported as a timestamp without a time.
 */
function readTimestamp(
  token: Asn1Node | undefined,
  signatureBinary: string,
  readTimestamps: boolean,
): TimestampInfo {
  if (!readTimestamps || token === undefined) {
    return { genTime: null, imprintMatches: null, problem: 'метка времени вложена слишком глубоко' };
  }
  try {
    const signed = signedDataFromAsn1(token, false);
    if (signed.contentType !== Oid.tstInfo || signed.content === null) {
      return { genTime: null, imprintMatches: null, problem: 'метка времени не содержит TSTInfo' };
    }
    const where = `${what}: метка времени`;
    const tstInfo = sequenceOf(parseAsn1(bytesToBinary(signed.content), where), where);
    const [hashAlgorithm, hashedMessage] = sequenceOf(tstInfo[2], `${where}: messageImprint`);
    const genTime = readTime(tstInfo[4], `${where}: genTime`);
    const imprint =
      hashedMessage === undefined ? null : binaryToHex(octetStringContent(hashedMessage, where));
    const expected = digestByAlgorithmOid(
      readAlgorithmOidOf(hashAlgorithm, where),
      binaryToBytes(signatureBinary),
    );
    const imprintMatches =
      expected === null || imprint === null
        ? null
        : Buffer.from(expected).toString('hex').toUpperCase() === imprint;
    return { genTime, imprintMatches, problem: null };
  } catch (error) {
    if (!(error instanceof UnreadableInputError)) throw error;
    return { genTime: null, imprintMatches: null, problem: error.message };
  }
}
