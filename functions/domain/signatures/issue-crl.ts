/**
 * Issuing a CRL (X.509 v2): the serials a CA has revoked, with when. With the test CA this lets an
 * office see a complete `valid` verdict, and a revoked one, without any other tool.
 */
import {
  bitString,
  encoded,
  explicit,
  implicit,
  integer,
  octetString,
  oid,
  sequence,
  toDer,
  x509Time,
} from './asn1-writer.ts';
import type { CertificateIssuer } from './issue-certificate.ts';

export interface Revocation {
  /** Hex serial of the revoked certificate. */
  readonly serial: string;
  readonly at: Date;
}

export interface CrlOrder {
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revoked: readonly Revocation[];
  /** The CRL's sequence number (cRLNumber), increasing with each CRL the CA issues. */
  readonly number: number;
}

/** The CRL, DER. */
export function issueCrl(order: CrlOrder, issuer: CertificateIssuer): Uint8Array {
  const revoked = order.revoked.map((entry) =>
    sequence(integer(BigInt(`0x${entry.serial.replace(/^0x/i, '')}`)), x509Time(entry.at)),
  );
  const extensions = sequence(
    sequence(oid('2.5.29.35'), octetString(toDer(sequence(implicit(0, octetString(issuer.keyIdentifier)))))),
    sequence(oid('2.5.29.20'), octetString(toDer(integer(order.number)))),
  );
  const tbs = toDer(
    sequence(
      integer(1),
      issuer.key.signatureAlgorithm(),
      encoded(issuer.name),
      x509Time(order.thisUpdate),
      x509Time(order.nextUpdate),
      ...(revoked.length === 0 ? [] : [sequence(...revoked)]),
      explicit(0, extensions),
    ),
  );
  return toDer(sequence(encoded(tbs), issuer.key.signatureAlgorithm(), bitString(issuer.key.sign(tbs))));
}
