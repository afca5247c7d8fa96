import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createStreebog, streebog256, streebog512 } from '../../../functions/domain/signatures/streebog.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** RFC 6986 prints values as big-endian numbers; the byte string implementations use is the reverse. */
const bytesFromRfcHex = (rfcHex: string): Uint8Array => Uint8Array.from(Buffer.from(rfcHex, 'hex').reverse());

/** The fixtures' message: `length` bytes, byte i = (i * 31 + 7) & 0xff. */
function fixtureMessage(length: number): Uint8Array {
  const message = new Uint8Array(length);
  for (let i = 0; i < length; i++) message[i] = (i * 31 + 7) & 0xff;
  return message;
}

function hashInChunks(bits: 256 | 512, message: Uint8Array, chunkSize: number): Uint8Array {
  const hash = createStreebog(bits);
  for (let offset = 0; offset < message.length; offset += chunkSize) {
    hash.update(message.subarray(offset, offset + chunkSize));
  }
  return hash.digest();
}

// RFC 6986 §10, in the RFC's big-endian notation.
const rfcExamples = [
  {
    name: 'M1 (63 bytes, one block)',
    message:
      '323130393837363534333231303938373635343332313039383736353433323130393837363534333231303938373635343332313039383736353433323130',
    hash512:
      '486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b',
    hash256: '00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d',
  },
  {
    name: 'M2 (72 bytes, two blocks)',
    message:
      'fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1',
    hash512:
      '28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f037613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e',
    hash256: '508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d',
  },
];

interface OpenSslVector {
  readonly length: number;
  readonly streebog256: string;
  readonly streebog512: string;
}

const openSslVectors = (
  JSON.parse(
    readFileSync(new URL('../../fixtures/signatures/streebog-vectors.json', import.meta.url), 'utf8'),
  ) as { vectors: OpenSslVector[] }
).vectors;

describe('Streebog, RFC 6986 examples', () => {
  for (const example of rfcExamples) {
    const message = bytesFromRfcHex(example.message);

    it(`${example.name}: 512-bit`, () => {
      expect(hex(streebog512(message))).toBe(hex(bytesFromRfcHex(example.hash512)));
    });

    it(`${example.name}: 256-bit`, () => {
      expect(hex(streebog256(message))).toBe(hex(bytesFromRfcHex(example.hash256)));
    });
  }

  it('M1 is the ASCII digits and hashes to the bytes OpenSSL prints', () => {
    const message = new TextEncoder().encode(
      '012345678901234567890123456789012345678901234567890123456789012',
    );
    expect(message).toEqual(bytesFromRfcHex(rfcExamples[0]?.message ?? ''));
    expect(hex(streebog256(message))).toBe(
      '9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500',
    );
  });
});

describe('Streebog, cross-checked with OpenSSL (gost engine)', () => {
  it('has the fixture vectors', () => {
    expect(openSslVectors.map((v) => v.length)).toEqual([
      0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 1000, 4096, 100000,
    ]);
  });

  for (const vector of openSslVectors) {
    it(`${vector.length}-byte message`, () => {
      const message = fixtureMessage(vector.length);
      expect(hex(streebog256(message))).toBe(vector.streebog256);
      expect(hex(streebog512(message))).toBe(vector.streebog512);
    });
  }
});

describe('Streebog, edge cases', () => {
  it('hashes the empty message', () => {
    const empty = new Uint8Array(0);
    expect(hex(streebog256(empty))).toBe('3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb');
    expect(hex(streebog512(empty))).toBe(
      '8e945da209aa869f0455928529bcae4679e9873ab707b55315f56ceb98bef0a7362f715528356ee83cda5f2aac4c6ad2ba3a715c1bcd81cb8e9f90bf4c1c1a8a',
    );
    expect(createStreebog(256).digest()).toEqual(streebog256(empty));
  });

  it('rejects a size other than 256 or 512 bits', () => {
    expect(() => createStreebog(384 as 256)).toThrow(RangeError);
  });

  it('returns 32 and 64 bytes', () => {
    expect(streebog256(fixtureMessage(10))).toHaveLength(32);
    expect(streebog512(fixtureMessage(10))).toHaveLength(64);
  });

  it('reads a view at its own offset, not its buffer from 0', () => {
    const backing = fixtureMessage(300);
    const view = backing.subarray(3, 203);
    expect(streebog256(view)).toEqual(streebog256(backing.slice(3, 203)));
  });

  it('leaves its input unchanged', () => {
    const message = fixtureMessage(130);
    streebog512(message);
    expect(message).toEqual(fixtureMessage(130));
  });
});

describe('Streebog, streaming', () => {
  const vector = openSslVectors.find((v) => v.length === 1000);

  for (const chunkSize of [1, 7, 63, 64, 65]) {
    it(`${chunkSize}-byte chunks give the one-shot hash`, () => {
      const message = fixtureMessage(1000);
      expect(hex(hashInChunks(256, message, chunkSize))).toBe(vector?.streebog256);
      expect(hex(hashInChunks(512, message, chunkSize))).toBe(vector?.streebog512);
    });
  }

  it('gives the one-shot hash for every split of lengths around block boundaries', () => {
    for (const length of [0, 1, 62, 63, 64, 65, 66, 127, 128, 129, 191, 192, 193]) {
      const message = fixtureMessage(length);
      const expected = hex(streebog512(message));
      for (let split = 0; split <= length; split++) {
        const hash = createStreebog(512);
        hash.update(message.subarray(0, split)).update(message.subarray(split));
        expect(hex(hash.digest()), `length ${length} split at ${split}`).toBe(expected);
      }
    }
  });

  it('accepts empty updates', () => {
    const message = fixtureMessage(100);
    const hash = createStreebog(256);
    hash.update(new Uint8Array(0)).update(message.subarray(0, 64)).update(new Uint8Array(0));
    hash.update(message.subarray(64));
    expect(hash.digest()).toEqual(streebog256(message));
  });

  it('throws on a second digest()', () => {
    const hash = createStreebog(256).update(fixtureMessage(5));
    hash.digest();
    expect(() => hash.digest()).toThrow(/digest/);
  });

  it('throws on update() after digest()', () => {
    const hash = createStreebog(512);
    hash.digest();
    expect(() => hash.update(fixtureMessage(1))).toThrow(/update/);
  });
});
