/**
 * Test material built from scratch: a small DER/BER writer (independent of the forge-based reader
 * under test), certificates and CMS SignedData signed with node:crypto keys.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

export type Bytes = Uint8Array;

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) out.unshift(rest % 256);
  return [0x80 | out.length, ...out];
}

export function concat(...parts: Bytes[]): Bytes {
  return new Uint8Array(Buffer.concat(parts));
}

export function tlv(tag: number, ...content: Bytes[]): Bytes {
  const body = concat(...content);
  return concat(Uint8Array.from([tag, ...lengthBytes(body.length)]), body);
}

/** A constructed element with indefinite length (BER), as CryptoPro writes. */
export function indefinite(tag: number, ...content: Bytes[]): Bytes {
  return concat(Uint8Array.from([tag | 0x20, 0x80]), ...content, Uint8Array.from([0, 0]));
}

export const seq = (...c: Bytes[]) => tlv(0x30, ...c);
export const set = (...c: Bytes[]) => tlv(0x31, ...c);
export const explicit = (n: number, ...c: Bytes[]) => tlv(0xa0 | n, ...c);
export const implicitPrimitive = (n: number, content: Bytes) => tlv(0x80 | n, content);
export const nul = () => Uint8Array.from([5, 0]);
export const octets = (b: Bytes) => tlv(0x04, b);
export const bits = (b: Bytes) => tlv(0x03, Uint8Array.of(0), b);
export const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
export const printable = (s: string) => tlv(0x13, Buffer.from(s, 'latin1'));
export const numeric = (s: string) => tlv(0x12, Buffer.from(s, 'latin1'));
export const ia5 = (s: string) => tlv(0x16, Buffer.from(s, 'latin1'));
export const teletex = (s: string) => tlv(0x14, Buffer.from(s, 'latin1'));
export const bmp = (s: string) => tlv(0x1e, Buffer.from(s, 'utf16le').swap16());

export function integerHex(hex: string): Bytes {
  return tlv(0x02, Buffer.from(hex, 'hex'));
}

export function smallInteger(value: number): Bytes {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return integerHex(hex);
}

export function oid(dotted: string): Bytes {
  const arcs = dotted.split('.').map(Number);
  const first = (arcs[0] ?? 0) * 40 + (arcs[1] ?? 0);
  const out: number[] = [];
  for (const arc of [first, ...arcs.slice(2)]) {
    const chunk: number[] = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128))
      chunk.unshift(0x80 | (rest & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function utcTime(date: Date): Bytes {
  const y = date.getUTCFullYear() % 100;
  return tlv(
    0x17,
    Buffer.from(
      `${pad(y)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`,
    ),
  );
}

export function generalizedTime(date: Date, fraction = false): Bytes {
  const base = `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
  return tlv(0x18, Buffer.from(fraction ? `${base}.${pad(date.getUTCMilliseconds(), 3)}Z` : `${base}Z`));
}

/** RFC 5280: UTCTime up to 2049, GeneralizedTime from 2050. */
export function certificateTime(date: Date): Bytes {
  return date.getUTCFullYear() < 2050 ? utcTime(date) : generalizedTime(date);
}

export const Oids = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  G: '2.5.4.42',
  T: '2.5.4.12',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  street: '2.5.4.9',
  C: '2.5.4.6',
  E: '1.2.840.113549.1.9.1',
  INN: '1.2.643.3.131.1.1',
  INNLE: '1.2.643.100.4',
  OGRN: '1.2.643.100.1',
  SNILS: '1.2.643.100.3',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  streebog256: '1.2.643.7.1.1.2.2',
  streebog512: '1.2.643.7.1.1.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  gostKey256: '1.2.643.7.1.1.1.1',
  gostSignature256: '1.2.643.7.1.1.3.2',
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  timestampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
} as const;

/** One attribute of a Name: [oid, encoded value]. */
export type NamePart = readonly [string, Bytes];

export function name(...parts: NamePart[]): Bytes {
  return seq(...parts.map(([type, value]) => set(seq(oid(type), value))));
}

/** The seed letter's signer, as a Russian qualified certificate names its owner. */
export const kulikovName = name(
  [Oids.C, printable('RU')],
  [Oids.ST, utf8('77 г. Москва')],
  [Oids.L, utf8('Москва')],
  [Oids.street, utf8('ул. Тверская, д. 13')],
  [Oids.O, utf8('Администрация городского округа')],
  [Oids.T, utf8('Глава администрации')],
  [Oids.SN, utf8('Куликов')],
  [Oids.G, utf8('Василий Иванович')],
  [Oids.CN, utf8('Куликов Василий Иванович')],
  [Oids.INN, numeric('771234567890')],
  [Oids.SNILS, numeric('12345678901')],
  [Oids.OGRN, numeric('1027700000000')],
);

export const caName = name(
  [Oids.C, printable('RU')],
  [Oids.O, utf8('Тестовый УЦ')],
  [Oids.CN, utf8('Тестовый УЦ docroute')],
);

export type KeyKind = 'rsa' | 'rsa-pss' | 'p256' | 'p384';

export interface KeyPair {
  readonly kind: KeyKind;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly spki: Bytes;
}

const keyCache = new Map<string, KeyPair>();

/**
 * Keys are cached per kind (and label): generating RSA keys is the slowest part of these tests.
 * A chain needs a distinct key per certificate: give each a label.
 */
export function keyPair(kind: KeyKind, label = ''): KeyPair {
  const cacheKey = `${kind}:${label}`;
  const cached = keyCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const { privateKey, publicKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : kind === 'rsa-pss'
        ? generateKeyPairSync('rsa-pss', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: kind === 'p256' ? 'P-256' : 'P-384' });
  const pair = {
    kind,
    privateKey,
    publicKey,
    spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
  };
  keyCache.set(cacheKey, pair);
  return pair;
}

export interface CertificateSpec {
  readonly serialHex?: string;
  readonly subject?: Bytes;
  readonly issuer?: Bytes;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly notBeforeTime?: Bytes;
  readonly notAfterTime?: Bytes;
  readonly privateKeyUsagePeriod?: { notBefore?: Date; notAfter?: Date };
  readonly subjectKeyIdentifier?: Bytes;
  /** The subject's key; the certificate is self-signed with it unless `issuerKey` is given. */
  readonly key?: KeyPair;
  readonly issuerKey?: KeyPair;
  /** SubjectPublicKeyInfo to put in place of the key's (for GOST-looking certificates). */
  readonly spkiOverride?: Bytes;
  readonly basicConstraints?: { cA: boolean; pathLen?: number };
  /** keyUsage bit numbers (RFC 5280: 0 digitalSignature, 1 nonRepudiation, 5 keyCertSign, 6 cRLSign). */
  readonly keyUsageBits?: readonly number[];
  readonly authorityKeyIdentifier?: Bytes;
  readonly crlDistributionPoint?: string;
}

export const KeyUsageBit = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

/** A BIT STRING of the named bits, with the unused-bits count of DER. */
export function namedBits(bitNumbers: readonly number[]): Bytes {
  const highest = Math.max(...bitNumbers);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bitNumbers) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  const unused = 7 - (highest % 8);
  return tlv(0x03, Uint8Array.of(unused), bytes);
}

const booleanTrue = () => Uint8Array.of(0x01, 0x01, 0xff);

export interface BuiltCertificate {
  readonly der: Bytes;
  readonly issuer: Bytes;
  readonly serialHex: string;
  readonly key: KeyPair;
}

function signatureAlgorithmFor(key: KeyPair): { algorithm: Bytes; sign: (data: Bytes) => Bytes } {
  switch (key.kind) {
    case 'rsa':
      return {
        algorithm: seq(oid(Oids.sha256WithRSA), nul()),
        sign: (data) => sign('sha256', data, key.privateKey),
      };
    case 'rsa-pss':
      return {
        algorithm: seq(oid(Oids.rsassaPss), pssParameters('sha256', 32)),
        sign: (data) => sign('sha256', data, { key: key.privateKey, padding: 6, saltLength: 32 }),
      };
    case 'p256':
      return { algorithm: seq(oid(Oids.ecdsaSha256)), sign: (data) => sign('sha256', data, key.privateKey) };
    case 'p384':
      return { algorithm: seq(oid(Oids.ecdsaSha384)), sign: (data) => sign('sha384', data, key.privateKey) };
  }
}

export function pssParameters(hash: 'sha256' | 'sha384' | 'sha512', saltLength: number): Bytes {
  const hashAlgorithm = seq(oid(Oids[hash]), nul());
  return seq(
    explicit(0, hashAlgorithm),
    explicit(1, seq(oid(Oids.mgf1), hashAlgorithm)),
    explicit(2, smallInteger(saltLength)),
  );
}

export function buildCertificate(spec: CertificateSpec = {}): BuiltCertificate {
  const key = spec.key ?? keyPair('rsa');
  const signer = signatureAlgorithmFor(spec.issuerKey ?? key);
  const serialHex = spec.serialHex ?? '0118EC5A8BAE6CF293EB11EE5A2E22B808';
  const issuer = spec.issuer ?? caName;
  const extensions: Bytes[] = [];
  if (spec.privateKeyUsagePeriod !== undefined) {
    const { notBefore, notAfter } = spec.privateKeyUsagePeriod;
    const period = seq(
      ...(notBefore === undefined ? [] : [implicitPrimitive(0, generalizedTime(notBefore).subarray(2))]),
      ...(notAfter === undefined ? [] : [implicitPrimitive(1, generalizedTime(notAfter).subarray(2))]),
    );
    extensions.push(seq(oid('2.5.29.16'), octets(period)));
  }
  if (spec.subjectKeyIdentifier !== undefined) {
    extensions.push(seq(oid('2.5.29.14'), octets(octets(spec.subjectKeyIdentifier))));
  }
  if (spec.authorityKeyIdentifier !== undefined) {
    extensions.push(seq(oid('2.5.29.35'), octets(seq(implicitPrimitive(0, spec.authorityKeyIdentifier)))));
  }
  if (spec.basicConstraints !== undefined) {
    const { cA, pathLen } = spec.basicConstraints;
    const body = seq(
      ...(cA ? [booleanTrue()] : []),
      ...(pathLen === undefined ? [] : [smallInteger(pathLen)]),
    );
    extensions.push(seq(oid('2.5.29.19'), booleanTrue(), octets(body)));
  }
  if (spec.keyUsageBits !== undefined) {
    extensions.push(seq(oid('2.5.29.15'), booleanTrue(), octets(namedBits(spec.keyUsageBits))));
  }
  if (spec.crlDistributionPoint !== undefined) {
    const uri = tlv(0x86, Buffer.from(spec.crlDistributionPoint, 'latin1'));
    extensions.push(seq(oid('2.5.29.31'), octets(seq(seq(explicit(0, explicit(0, uri)))))));
  }
  const tbs = seq(
    explicit(0, smallInteger(2)),
    integerHex(serialHex),
    signer.algorithm,
    issuer,
    seq(
      spec.notBeforeTime ?? certificateTime(spec.notBefore ?? new Date('2021-01-20T06:00:00Z')),
      spec.notAfterTime ?? certificateTime(spec.notAfter ?? new Date('2022-04-20T21:30:00Z')),
    ),
    spec.subject ?? kulikovName,
    spec.spkiOverride ?? key.spki,
    ...(extensions.length === 0 ? [] : [explicit(3, seq(...extensions))]),
  );
  return { der: seq(tbs, signer.algorithm, bits(signer.sign(tbs))), issuer, serialHex, key };
}

/** A GOST-looking SubjectPublicKeyInfo: the reader must name it; nobody can verify with it here. */
export function gostSpki(): Bytes {
  return seq(
    seq(oid(Oids.gostKey256), seq(oid('1.2.643.7.1.2.1.1.1'))),
    bits(octets(new Uint8Array(64).fill(7))),
  );
}

export interface SignedDataSpec {
  readonly content: Bytes;
  readonly certificate: BuiltCertificate;
  readonly attached?: boolean;
  readonly includeCertificate?: boolean;
  readonly extraCertificates?: readonly Bytes[];
  readonly digest?: 'sha256' | 'sha384' | 'sha512';
  /** Absent: no signingTime attribute. */
  readonly signingTime?: Date;
  readonly signingTimeEncoding?: 'utc' | 'generalized';
  /** No signed attributes: the signature is over the content itself. */
  readonly withoutSignedAttributes?: boolean;
  /** messageDigest to claim instead of the real one. */
  readonly messageDigestOverride?: Bytes;
  readonly sid?: 'issuerAndSerialNumber' | { subjectKeyIdentifier: Bytes };
  /** BER with indefinite lengths and the content chunked into a constructed OCTET STRING. */
  readonly ber?: boolean;
  readonly timestamp?: { genTime: Date; imprint?: Bytes };
  /** Corrupt one byte of the signature value. */
  readonly corruptSignature?: boolean;
}

function signWithKey(
  key: KeyPair,
  digest: 'sha256' | 'sha384' | 'sha512',
  data: Bytes,
): { algorithm: Bytes; value: Bytes } {
  switch (key.kind) {
    case 'rsa':
      return { algorithm: seq(oid(Oids.rsaEncryption), nul()), value: sign(digest, data, key.privateKey) };
    case 'rsa-pss':
      return {
        algorithm: seq(oid(Oids.rsassaPss), pssParameters(digest, 32)),
        value: sign(digest, data, { key: key.privateKey, padding: 6, saltLength: 32 }),
      };
    case 'p256':
    case 'p384':
      return {
        algorithm: seq(oid(digest === 'sha384' ? Oids.ecdsaSha384 : Oids.ecdsaSha256)),
        value: sign(digest, data, key.privateKey),
      };
  }
}

export function buildSignedData(spec: SignedDataSpec): Bytes {
  const digest = spec.digest ?? 'sha256';
  const digestAlgorithm = seq(oid(Oids[digest]), nul());
  const container = spec.ber === true ? (tag: number, ...c: Bytes[]) => indefinite(tag, ...c) : tlv;
  const sequence = (...c: Bytes[]) => container(0x30, ...c);

  let signedAttributes: Bytes | null = null;
  let signedBytes = spec.content;
  if (spec.withoutSignedAttributes !== true) {
    const attributes = [
      seq(oid(Oids.contentType), set(oid(Oids.data))),
      ...(spec.signingTime === undefined
        ? []
        : [
            seq(
              oid(Oids.signingTime),
              set(
                spec.signingTimeEncoding === 'generalized'
                  ? generalizedTime(spec.signingTime)
                  : utcTime(spec.signingTime),
              ),
            ),
          ]),
      seq(
        oid(Oids.messageDigest),
        set(octets(spec.messageDigestOverride ?? createHash(digest).update(spec.content).digest())),
      ),
    ];
    const asSet = set(...attributes);
    signedBytes = asSet;
    signedAttributes = concat(Uint8Array.of(0xa0), asSet.subarray(1)); // [0] IMPLICIT, same body
  }
  const signature = signWithKey(spec.certificate.key, digest, signedBytes);
  const value = Uint8Array.from(signature.value);
  if (spec.corruptSignature === true) value[value.length - 5] = (value[value.length - 5] ?? 0) ^ 0x01;

  const sid =
    spec.sid !== undefined && spec.sid !== 'issuerAndSerialNumber'
      ? implicitPrimitive(0, spec.sid.subjectKeyIdentifier)
      : seq(spec.certificate.issuer, integerHex(spec.certificate.serialHex));

  let unsigned: Bytes[] = [];
  if (spec.timestamp !== undefined) {
    const imprint = spec.timestamp.imprint ?? createHash('sha256').update(value).digest();
    const tstInfo = seq(
      smallInteger(1),
      oid('1.2.3.4'),
      seq(seq(oid(Oids.sha256), nul()), octets(imprint)),
      smallInteger(42),
      generalizedTime(spec.timestamp.genTime, true),
    );
    const token = seq(
      oid(Oids.signedData),
      explicit(0, seq(smallInteger(3), set(), seq(oid(Oids.tstInfo), explicit(0, octets(tstInfo))), set())),
    );
    unsigned = [tlv(0xa1, seq(oid(Oids.timestampToken), set(token)))];
  }

  const signerInfo = seq(
    smallInteger(spec.sid !== undefined && spec.sid !== 'issuerAndSerialNumber' ? 3 : 1),
    sid,
    digestAlgorithm,
    ...(signedAttributes === null ? [] : [signedAttributes]),
    signature.algorithm,
    octets(value),
    ...unsigned,
  );

  const encapsulated =
    spec.attached === true
      ? spec.ber === true
        ? [indefinite(0xa0, indefinite(0x04, ...chunk(spec.content, 100).map((part) => octets(part))))]
        : [explicit(0, octets(spec.content))]
      : [];
  const certificates = [
    ...(spec.includeCertificate === false ? [] : [spec.certificate.der]),
    ...(spec.extraCertificates ?? []),
  ];
  const signedData = sequence(
    smallInteger(1),
    set(digestAlgorithm),
    sequence(oid(Oids.data), ...encapsulated),
    ...(certificates.length === 0 ? [] : [container(0xa0, ...certificates)]),
    container(0x31, signerInfo),
  );
  return sequence(oid(Oids.signedData), container(0xa0, signedData));
}

function chunk(data: Bytes, size: number): Bytes[] {
  const parts: Bytes[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return parts.length === 0 ? [new Uint8Array(0)] : parts;
}

export function toPem(der: Bytes, label: string, eol = '\n'): string {
  const body =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`, ''].join(eol);
}

export const text = (s: string): Bytes => new Uint8Array(Buffer.from(s, 'utf8'));

export interface CrlSpec {
  readonly issuer: Bytes;
  readonly issuerKey: KeyPair;
  readonly thisUpdate: Date;
  /** null: no nextUpdate at all. */
  readonly nextUpdate?: Date | null;
  readonly revoked?: readonly { serialHex: string; date: Date }[];
  readonly authorityKeyIdentifier?: Bytes;
  readonly delta?: boolean;
  /** Corrupt one byte of the signature value. */
  readonly corruptSignature?: boolean;
}

/** An X.509 v2 CRL (RFC 5280 §5) signed with the issuer's key. */
export function buildCrl(spec: CrlSpec): Bytes {
  const signer = signatureAlgorithmFor(spec.issuerKey);
  const revoked = spec.revoked ?? [];
  const extensions: Bytes[] = [seq(oid('2.5.29.20'), octets(smallInteger(1)))];
  if (spec.authorityKeyIdentifier !== undefined) {
    extensions.push(seq(oid('2.5.29.35'), octets(seq(implicitPrimitive(0, spec.authorityKeyIdentifier)))));
  }
  if (spec.delta === true) extensions.push(seq(oid('2.5.29.27'), booleanTrue(), octets(smallInteger(1))));
  const nextUpdate =
    spec.nextUpdate === undefined ? new Date(spec.thisUpdate.getTime() + 7 * 86_400_000) : spec.nextUpdate;
  const tbs = seq(
    smallInteger(1),
    signer.algorithm,
    spec.issuer,
    certificateTime(spec.thisUpdate),
    ...(nextUpdate === null ? [] : [certificateTime(nextUpdate)]),
    ...(revoked.length === 0
      ? []
      : [seq(...revoked.map((entry) => seq(integerHex(entry.serialHex), certificateTime(entry.date))))]),
    explicit(0, seq(...extensions)),
  );
  const value = Uint8Array.from(signer.sign(tbs));
  if (spec.corruptSignature === true) value[value.length - 5] = (value[value.length - 5] ?? 0) ^ 0x01;
  return seq(tbs, signer.algorithm, bits(value));
}

export const rootName = name(
  [Oids.C, printable('RU')],
  [Oids.O, utf8('Тестовый корневой УЦ')],
  [Oids.CN, utf8('Корневой УЦ docroute')],
);
export const intermediateName = name(
  [Oids.C, printable('RU')],
  [Oids.O, utf8('Тестовый УЦ')],
  [Oids.CN, utf8('Промежуточный УЦ docroute')],
);

/** A key identifier as CAs make it: SHA-1 of the key (RFC 5280 §4.2.1.2, method 1 in spirit). */
export function keyIdOf(key: KeyPair): Bytes {
  return new Uint8Array(createHash('sha1').update(key.spki).digest());
}

export interface Pki {
  readonly root: BuiltCertificate;
  readonly intermediate: BuiltCertificate;
  readonly signer: BuiltCertificate;
}

export interface PkiSpec {
  /** Distinguishes the keys of one PKI from another's of the same kind. */
  readonly label?: string;
  readonly rootWithoutBasicConstraints?: boolean;
  readonly intermediatePathLen?: number;
  readonly signerNotBefore?: Date;
  readonly signerNotAfter?: Date;
  readonly signerSerialHex?: string;
}

/** root -> intermediate -> signer, each with its own key, key identifiers and CA extensions. */
export function buildPki(kind: 'rsa' | 'p256', spec: PkiSpec = {}): Pki {
  const label = spec.label ?? 'pki';
  const rootKey = keyPair(kind, `${label}-root`);
  const intermediateKey = keyPair(kind, `${label}-intermediate`);
  const signerKey = keyPair(kind, `${label}-signer`);
  const caUsage = [KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign];
  const root = buildCertificate({
    serialHex: '01',
    subject: rootName,
    issuer: rootName,
    key: rootKey,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
    subjectKeyIdentifier: keyIdOf(rootKey),
    ...(spec.rootWithoutBasicConstraints === true
      ? {}
      : { basicConstraints: { cA: true }, keyUsageBits: caUsage }),
  });
  const intermediate = buildCertificate({
    serialHex: '1001',
    subject: intermediateName,
    issuer: rootName,
    key: intermediateKey,
    issuerKey: rootKey,
    notBefore: new Date('2020-06-01T00:00:00Z'),
    notAfter: new Date('2035-01-01T00:00:00Z'),
    subjectKeyIdentifier: keyIdOf(intermediateKey),
    authorityKeyIdentifier: keyIdOf(rootKey),
    basicConstraints: {
      cA: true,
      ...(spec.intermediatePathLen === undefined ? {} : { pathLen: spec.intermediatePathLen }),
    },
    keyUsageBits: caUsage,
  });
  const signer = buildCertificate({
    serialHex: spec.signerSerialHex ?? '0118EC5A8BAE6CF293EB11EE5A2E22B808',
    issuer: intermediateName,
    key: signerKey,
    issuerKey: intermediateKey,
    ...(spec.signerNotBefore === undefined ? {} : { notBefore: spec.signerNotBefore }),
    ...(spec.signerNotAfter === undefined ? {} : { notAfter: spec.signerNotAfter }),
    subjectKeyIdentifier: keyIdOf(signerKey),
    authorityKeyIdentifier: keyIdOf(intermediateKey),
    keyUsageBits: [KeyUsageBit.digitalSignature, KeyUsageBit.nonRepudiation],
    crlDistributionPoint: 'http://ca.docroute.test/intermediate.crl',
  });
  return { root, intermediate, signer };
}

/** The CRL of `issuer` (a CA of the PKI), revoking the given serials. */
export function crlOf(
  issuer: BuiltCertificate,
  subject: Bytes,
  thisUpdate: Date,
  revoked: readonly { serialHex: string; date: Date }[] = [],
  extra: Partial<CrlSpec> = {},
): Bytes {
  return buildCrl({
    issuer: subject,
    issuerKey: issuer.key,
    thisUpdate,
    revoked,
    authorityKeyIdentifier: keyIdOf(issuer.key),
    ...extra,
  });
}
