/** Reading and judging certificates and CMS signatures: the module's public API. */

export { defaultTimeZone, russianDateIn, russianDateTimeIn } from '../time-zone.ts';
export type { AlgorithmName, DigestName } from './algorithms.ts';
export {
  type Certificate,
  type DistinguishedName,
  type NameAttribute,
  type NameField,
  type PrivateKeyUsagePeriod,
  readCertificate,
} from './certificate.ts';
export {
  type PssParameters,
  readSignedData,
  type SignatureAlgorithm,
  type SignedAttributes,
  type SignedData,
  type SignerIdentifier,
  type SignerInfo,
  signerMatches,
  type TimestampInfo,
} from './cms.ts';
export { checkSignature, type SignatureCheck, type SignatureResult } from './crypto-check.ts';
export { checkDigest, computeDigest, type DigestCheck, type DigestResult } from './digest.ts';
export { type DecodedInput, decodeInput, type InputForm, type InputKind } from './input.ts';
export { type Stamp, signatureStamp } from './stamp.ts';
export {
  type CertificateReport,
  type CertificateSummary,
  describeCertificate,
  type NameFields,
  summarizeCertificate,
  type VerificationReport,
  type VerifyParsedInput,
  type VerifySignatureInput,
  verifyParsedSignature,
  verifySignature,
} from './verify.ts';
export {
  chooseMoment,
  judgeWindow,
  type Moment,
  parseAssertedMoment,
  type TimeSource,
  type WindowJudgement,
  type WindowVerdict,
} from './window.ts';
