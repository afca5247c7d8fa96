/**
 * The demo's signing identity, made in memory with docroute's own issuance tools (no OpenSSL): a
 * test CA, a GOST R 34.10-2012 (256-bit) certificate for the signer of the reference letter with
 * the serial and validity its mark prints, an empty CRL, and a function that signs detached
 * CAdES-BES. Keys are fresh on every call, so nothing secret is stored; the CA is trusted only by
 * the trust list handed back here, never by an office's own.
 */
import { readCertificate } from './certificate.ts';
import { readCrl } from './crl.ts';
import { issueCertificate, issuerOf, type NameSpec, selfIssuer } from './issue-certificate.ts';
import { issueCrl } from './issue-crl.ts';
import { signDetached } from './sign-detached.ts';
import { generateSigningKey } from './signing-key.ts';
import type { TrustList } from './trust-list.ts';

export interface DemoIdentity {
  /** The test CA's self-signed certificate, DER. */
  readonly caCertificate: Uint8Array;
  /** The signer's certificate, issued by the test CA, DER. */
  readonly signerCertificate: Uint8Array;
  /** The CA's CRL, DER: nothing revoked, current from 20.12.2021 to 20.01.2022. */
  readonly crl: Uint8Array;
  /** The CA as the only anchor, and its CRL. */
  readonly trustList: TrustList;
  /** A detached CAdES-BES signature over the bytes, DER. */
  sign(content: Uint8Array, signingTime: Date): Uint8Array;
}

export interface DemoIdentityOptions {
  /** The signer certificate's subject, attribute by attribute; the reference letter's signer by default. */
  readonly owner?: NameSpec;
  /** When the CA revoked the signer's certificate, for trying a revoked signature. @default never */
  readonly revokedAt?: Date;
  /** A CRL distribution point for the signer's certificate, for trying CRL fetching. @default none */
  readonly crlUrl?: string;
}

/** The serial the reference letter's mark prints. */
export const demoSignerSerial = '0118EC5A8BAE6CF293EB11EE5A2E22B808';

/** The reference letter's signer, as a qualified certificate names him. */
export const demoSignerName: NameSpec = [
  ['C', 'RU'],
  ['ST', '26 Ставропольский край'],
  ['L', 'с. Красногвардейское'],
  ['O', 'Администрация Красногвардейского муниципального округа Ставропольского края'],
  ['T', 'Исполняющий обязанности Главы Красногвардейского муниципального округа Ставропольского края'],
  ['CN', 'Куликов Василий Иванович'],
  ['SN', 'Куликов'],
  ['G', 'Василий Иванович'],
];

const demoCaName: NameSpec = [
  ['C', 'RU'],
  ['O', 'docroute'],
  ['CN', 'Тестовый УЦ docroute (демонстрация)'],
];

// CryptoPro-A, the parameter set of the seed's certificate (test/fixtures/signatures/make-fixtures.sh).
const paramSet = 'A';

export function makeDemoIdentity(options: DemoIdentityOptions = {}): DemoIdentity {
  const caKey = generateSigningKey('gost2012-256', paramSet);
  const caCertificate = issueCertificate(
    {
      subject: demoCaName,
      publicKeyInfo: caKey.publicKeyInfo,
      serial: '01',
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
      ca: { pathLength: 0 },
    },
    selfIssuer(demoCaName, caKey),
  );
  const ca = issuerOf(caCertificate, caKey);

  const signerKey = generateSigningKey('gost2012-256', paramSet);
  // 10:12 in Moscow on both days, so the mark reads «с 20.01.2021 по 20.04.2022» in any zone
  // from UTC−7 to UTC+14. No CRL distribution point: the demo never fetches, and a made-up URL
  // would only invite a fetch that fails.
  const notBefore = new Date('2021-01-20T07:12:00Z');
  const notAfter = new Date('2022-04-20T07:12:00Z');
  const signerCertificate = issueCertificate(
    {
      subject: options.owner ?? demoSignerName,
      publicKeyInfo: signerKey.publicKeyInfo,
      serial: demoSignerSerial,
      notBefore,
      notAfter,
      privateKeyUsagePeriod: { notBefore, notAfter },
      ...(options.crlUrl === undefined ? {} : { crlDistributionPoint: options.crlUrl }),
    },
    ca,
  );

  const crl = issueCrl(
    {
      thisUpdate: new Date('2021-12-20T00:00:00Z'),
      nextUpdate: new Date('2022-01-20T00:00:00Z'),
      revoked: options.revokedAt === undefined ? [] : [{ serial: demoSignerSerial, at: options.revokedAt }],
      number: 1,
    },
    ca,
  );

  return {
    caCertificate,
    signerCertificate,
    crl,
    trustList: {
      anchors: [readCertificate(caCertificate)],
      intermediates: [],
      crls: [readCrl(crl, 'demo-ca.crl')],
    },
    sign: (content, signingTime) =>
      signDetached({ content, key: signerKey, certificate: signerCertificate, signingTime }),
  };
}
