/**
 * Damaged input (bit flips, truncations, insertions, deletions, corrupted length bytes) must end
 * in a clean rejection (UnreadableInputError with a reason) or a well-formed reading, quickly;
 * verifySignature must never throw on it. 10,000 runs in all.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnreadableInputError } from '../../../functions/domain/errors.ts';
import { type Certificate, readCertificate } from '../../../functions/domain/signatures/certificate.ts';
import { readSignedData } from '../../../functions/domain/signatures/cms.ts';
import { verifySignature } from '../../../functions/domain/signatures/verify.ts';
import { buildCertificate, buildSignedData, gostSpki, keyPair, text, toPem } from './build.ts';

const generated = new URL('../../fixtures/signatures/generated/', import.meta.url);
const fixture = (file: string) => new Uint8Array(readFileSync(new URL(file, generated)));

const content = text('Об оказании содействия в организации работы');
const signingTime = new Date('2021-12-23T07:15:00Z');
const rsa = buildCertificate();
const ecdsa = buildCertificate({
  key: keyPair('p256'),
  privateKeyUsagePeriod: { notAfter: new Date('2022-01-01T00:00:00Z') },
});

const certificates = [
  rsa.der,
  buildCertificate({
    spkiOverride: gostSpki(),
    privateKeyUsagePeriod: { notBefore: signingTime, notAfter: signingTime },
  }).der,
  text(toPem(ecdsa.der, 'CERTIFICATE', '\r\n')),
  fixture('kulikov-seed.cert.der'),
];
const signatures = [
  buildSignedData({ content, certificate: rsa, signingTime, timestamp: { genTime: signingTime } }),
  buildSignedData({ content, certificate: ecdsa, signingTime, attached: true, ber: true }),
  text(toPem(buildSignedData({ content, certificate: rsa, signingTime }), 'PKCS7')),
  fixture('gost256-ber.sig'),
];

/** Offsets of the length bytes of every element, found by walking the (BER) structure. */
function lengthOffsets(bytes: Uint8Array): number[] {
  const offsets: number[] = [];
  const walk = (start: number, end: number, depth: number): void => {
    let at = start;
    while (at + 1 < end && depth < 64) {
      if (bytes[at] === 0 && bytes[at + 1] === 0) return; // end of contents
      const constructed = ((bytes[at] ?? 0) & 0x20) !== 0;
      offsets.push(at + 1);
      const first = bytes[at + 1] ?? 0;
      let length = first;
      let header = 2;
      if (first === 0x80) {
        walk(at + 2, end, depth + 1);
        return; // the rest is inside the indefinite element; good enough for choosing offsets
      }
      if (first > 0x80) {
        length = 0;
        for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + (bytes[at + 2 + i] ?? 0);
        header = 2 + (first & 0x7f);
      }
      if (constructed) walk(at + header, Math.min(end, at + header + length), depth + 1);
      at += header + length;
    }
  };
  walk(0, bytes.length, 0);
  return offsets;
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'length'; pick: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    kind: fc.constant('length' as const),
    pick: fc.nat(),
    value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0x81, 0x84, 0x85, 0xff, 0x00)),
  }),
);

function mutate(original: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Uint8Array.from(original);
  for (const m of mutations) {
    if (bytes.length === 0) break;
    const at = 'at' in m ? m.at % bytes.length : 0;
    switch (m.kind) {
      case 'flip':
        bytes[at] = (bytes[at] ?? 0) ^ (1 << m.bit);
        break;
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
      case 'insert':
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
        break;
      case 'delete':
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + m.count)]);
        break;
      case 'length': {
        const offsets = lengthOffsets(bytes);
        const offset = offsets[m.pick % Math.max(1, offsets.length)];
        if (offset !== undefined && offset < bytes.length) bytes[offset] = m.value;
        break;
      }
    }
  }
  return bytes;
}

const damaged = (originals: readonly Uint8Array[]) =>
  fc
    .tuple(fc.nat({ max: originals.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([index, mutations]) => mutate(originals[index] as Uint8Array, mutations));

/** Either a clean rejection with a reason, or a value; anything else fails the property. */
function outcome<T>(read: () => T): T | null {
  const started = performance.now();
  try {
    return read();
  } catch (error) {
    if (!(error instanceof UnreadableInputError)) throw error;
    expect(error.message.length).toBeGreaterThan(5);
    return null;
  } finally {
    expect(performance.now() - started).toBeLessThan(1000);
  }
}

function expectWellFormed(certificate: Certificate): void {
  expect(certificate.serialRawHex).toMatch(/^[0-9A-F]+$/);
  expect(certificate.serial).toMatch(/^[0-9A-F]+$/);
  expect(Number.isNaN(certificate.notBefore.getTime())).toBe(false);
  expect(Number.isNaN(certificate.notAfter.getTime())).toBe(false);
  expect(certificate.thumbprint).toBe(createHash('sha1').update(certificate.der).digest('hex').toUpperCase());
  expect(typeof certificate.owner).toBe('string');
  const period = certificate.privateKeyUsagePeriod;
  for (const date of [period?.notBefore, period?.notAfter]) {
    if (date instanceof Date) expect(Number.isNaN(date.getTime())).toBe(false);
  }
}

describe('damaged input never crashes the readers', () => {
  it('sanity: the originals read, and the length walker finds length bytes', () => {
    for (const bytes of certificates) expectWellFormed(readCertificate(bytes));
    for (const bytes of signatures) expect(readSignedData(bytes).signers).toHaveLength(1);
    expect(lengthOffsets(rsa.der).length).toBeGreaterThan(50);
  });

  it('certificates: rejected with a reason or read well-formed (4,000 runs)', () => {
    fc.assert(
      fc.property(damaged(certificates), (bytes) => {
        const certificate = outcome(() => readCertificate(bytes));
        if (certificate !== null) expectWellFormed(certificate);
      }),
      { numRuns: 4000 },
    );
  });

  it('signatures: rejected with a reason or read well-formed (4,000 runs)', () => {
    fc.assert(
      fc.property(damaged(signatures), (bytes) => {
        const signedData = outcome(() => readSignedData(bytes));
        if (signedData === null) return;
        for (const certificate of signedData.certificates) expectWellFormed(certificate);
        for (const signer of signedData.signers) {
          expect(signer.signature).toBeInstanceOf(Uint8Array);
          if (signer.signedAttributesDer !== null) expect(signer.signedAttributesDer[0]).toBe(0x31);
          const time = signer.signedAttributes?.signingTime;
          if (time instanceof Date) expect(Number.isNaN(time.getTime())).toBe(false);
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('verifySignature: never throws; unparseable always comes with a reason (2,000 runs)', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    fc.assert(
      fc.property(damaged(signatures), fc.boolean(), (bytes, withContent) => {
        const started = performance.now();
        const report = verifySignature({
          signature: bytes,
          content: withContent ? content : undefined,
          now,
          timeZone: 'Europe/Moscow',
        });
        expect(performance.now() - started).toBeLessThan(1000);
        expect(report.reasons.length).toBeGreaterThan(0);
        if (report.window === 'unparseable') {
          expect(report.certificate).toBeNull();
          expect(report.reasons[0]).toMatch(/не читается|нет ни одной подписи/);
        } else {
          expect([
            'valid',
            'not_yet_valid',
            'expired',
            'key_usage_period_exceeded',
            'indeterminate',
          ]).toContain(report.window);
          expect(['valid', 'invalid', 'unsupported', 'not_checked']).toContain(report.signature);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
