import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSignedData } from '../../../functions/domain/signatures/cms.ts';
import {
  checkDigest,
  computeDigest,
  digestByAlgorithmOid,
} from '../../../functions/domain/signatures/digest.ts';
import { buildCertificate, buildSignedData, Oids, text } from './build.ts';

const content = text('Исх. № 07-04/11180 от 23.12.2021');
const certificate = buildCertificate();
const signingTime = new Date('2021-12-23T07:15:00Z');

describe('digests by algorithm OID', () => {
  it.each([
    [Oids.sha256, 'sha256'],
    [Oids.sha384, 'sha384'],
    [Oids.sha512, 'sha512'],
  ] as const)('%s is %s', (oid, hash) => {
    expect(Buffer.from(digestByAlgorithmOid(oid, content) ?? []).toString('hex')).toBe(
      createHash(hash).update(content).digest('hex'),
    );
  });

  it('computes Streebog-256 and -512 (the GOST engine value for "unsigned file content")', () => {
    const sample = text('unsigned file content');
    expect(Buffer.from(digestByAlgorithmOid(Oids.streebog256, sample) ?? []).toString('hex')).toBe(
      '1973d6b91b0e0609b72d8830bd40d1b0f0badb2c5e1eee3e2fc5027a1aa0302a',
    );
    expect(digestByAlgorithmOid(Oids.streebog512, sample)).toEqual(computeDigest('streebog512', sample));
    expect(digestByAlgorithmOid(Oids.streebog512, sample)).toHaveLength(64);
  });

  it('knows no digest for an unknown OID', () => {
    expect(digestByAlgorithmOid('1.2.643.2.2.9', content)).toBeNull();
  });
});

describe('checkDigest', () => {
  for (const digest of ['sha256', 'sha384', 'sha512'] as const) {
    const signer = readSignedData(buildSignedData({ content, certificate, signingTime, digest })).signers[0];
    if (signer === undefined) throw new Error('no signer');

    it(`${digest}: match for the signed content, mismatch for a changed one`, () => {
      expect(checkDigest(signer, content)).toEqual({ result: 'match', reason: null });
      const changed = Uint8Array.from(content);
      changed[5] = (changed[5] ?? 0) ^ 1;
      expect(checkDigest(signer, changed)).toMatchObject({
        result: 'mismatch',
        reason: expect.stringMatching(/изменён/),
      });
    });
  }

  it('is not checked without content, and says so', () => {
    const signer = readSignedData(buildSignedData({ content, certificate, signingTime })).signers[0];
    expect(signer && checkDigest(signer, null)).toMatchObject({
      result: 'not_checked',
      reason: expect.stringMatching(/не передан/),
    });
  });

  it('without signed attributes follows the signature over the content', () => {
    const signer = readSignedData(buildSignedData({ content, certificate, withoutSignedAttributes: true }))
      .signers[0];
    if (signer === undefined) throw new Error('no signer');
    expect(checkDigest(signer, content, 'valid').result).toBe('match');
    expect(checkDigest(signer, content, 'invalid').result).toBe('not_checked');
    expect(checkDigest(signer, content, 'unsupported').result).toBe('not_checked');
  });
});
