import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type GostCurve,
  gostCurveByOid,
  gostCurves,
  gostParameterSets,
} from '../../../functions/domain/signatures/gost-curves.ts';
import { type CurveField, fieldOf } from '../../../functions/domain/signatures/gost-field.ts';
import {
  multiplyAdd,
  multiplyBase,
  nonAdjacentForm,
  signedBaseDigits,
} from '../../../functions/domain/signatures/gost-multiply.ts';
import {
  type AffinePoint,
  addAffineInPlace,
  doubleInPlace,
  infinity,
  invert,
  isOnCurve,
  type JacobianPoint,
  toAffine,
} from '../../../functions/domain/signatures/gost-point.ts';

/** The curve's field reduced by plain `%`, independent of gost-field.ts's folding. */
const plain = (curve: GostCurve): CurveField => ({ p: curve.p, a: curve.a, reduce: (x) => x % curve.p });

/** Plain double-and-add, independent of the tables, the NAF and the folding: the reference for the fast paths. */
function naiveMultiply(curve: GostCurve, k: bigint, point: AffinePoint): JacobianPoint {
  const field = plain(curve);
  const accumulator = infinity();
  for (const bit of k.toString(2)) {
    doubleInPlace(field, accumulator);
    if (bit === '1') addAffineInPlace(field, accumulator, point.x, point.y);
  }
  return accumulator;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** Miller-Rabin with fixed bases: a typo in p or q would make it composite. */
function isProbablePrime(n: bigint): boolean {
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n]) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < r && composite; i++) {
      x = (x * x) % n;
      if (x === n - 1n) composite = false;
    }
    if (composite) return false;
  }
  return true;
}

const base = (curve: GostCurve): AffinePoint => ({ x: curve.x, y: curve.y });

describe('GOST R 34.10-2012 curve constants', () => {
  it.each(gostCurves.map((curve) => [curve.name, curve] as const))(
    '%s: p and q prime, sizes right',
    (_, curve) => {
      expect(isProbablePrime(curve.p)).toBe(true);
      expect(isProbablePrime(curve.q)).toBe(true);
      expect(curve.p.toString(2).length).toBeLessThanOrEqual(curve.bits);
      expect(curve.p.toString(2).length).toBeGreaterThan(curve.bits - 2);
      // Hasse: |cofactor·q − (p + 1)| <= 2√p, so cofactor·q is within 2^(bits/2 + 1) of p.
      const difference = curve.cofactor * curve.q - (curve.p + 1n);
      expect(difference * difference).toBeLessThanOrEqual(4n * curve.p);
      // A nonsingular curve: 4a³ + 27b² ≠ 0 (mod p).
      expect((4n * curve.a ** 3n + 27n * curve.b ** 2n) % curve.p).not.toBe(0n);
    },
  );

  it.each(gostCurves.map((curve) => [curve.name, curve] as const))(
    '%s: P on the curve, q·P = infinity',
    (_, curve) => {
      expect(isOnCurve(curve, base(curve))).toBe(true);
      expect(naiveMultiply(curve, curve.q, base(curve)).z).toBe(0n);
      expect(toAffine(plain(curve), naiveMultiply(curve, curve.q - 1n, base(curve)))).toEqual({
        x: curve.x,
        y: curve.p - curve.y,
      });
    },
  );

  it('twisted Edwards sets have cofactor 4 and the rest 1', () => {
    const cofactors = Object.fromEntries(gostCurves.map((curve) => [curve.name, curve.cofactor]));
    expect(cofactors).toEqual({
      'CryptoPro test': 1n,
      'CryptoPro-A': 1n,
      'CryptoPro-B': 1n,
      'CryptoPro-C': 1n,
      'TC26-256-A': 4n,
      'TC26-512 Test': 1n,
      'TC26-512-A': 1n,
      'TC26-512-B': 1n,
      'TC26-512-C': 4n,
    });
  });

  it('maps every OID of the SIGNATURES.md table to its curve', () => {
    const curveOf = (oid: string) => gostCurveByOid(oid)?.name;
    expect(curveOf('1.2.643.2.2.35.0')).toBe('CryptoPro test');
    for (const oid of ['1.2.643.2.2.35.1', '1.2.643.2.2.36.0', '1.2.643.7.1.2.1.1.2']) {
      expect(curveOf(oid)).toBe('CryptoPro-A');
    }
    for (const oid of ['1.2.643.2.2.35.2', '1.2.643.7.1.2.1.1.3']) expect(curveOf(oid)).toBe('CryptoPro-B');
    for (const oid of ['1.2.643.2.2.35.3', '1.2.643.2.2.36.1', '1.2.643.7.1.2.1.1.4']) {
      expect(curveOf(oid)).toBe('CryptoPro-C');
    }
    expect(curveOf('1.2.643.7.1.2.1.1.1')).toBe('TC26-256-A');
    expect(curveOf('1.2.643.7.1.2.1.2.0')).toBe('TC26-512 Test');
    expect(curveOf('1.2.643.7.1.2.1.2.1')).toBe('TC26-512-A');
    expect(curveOf('1.2.643.7.1.2.1.2.2')).toBe('TC26-512-B');
    expect(curveOf('1.2.643.7.1.2.1.2.3')).toBe('TC26-512-C');
    expect(curveOf('1.2.643.7.1.2.1.2.4')).toBeUndefined();
    expect(gostParameterSets).toHaveLength(14);
  });

  it('matches RFC 7836 for TC26-256-A: the Edwards base point (u, v) maps to the Weierstrass (x, y)', () => {
    // RFC 7836 A.2: e = 1, d, and base point (u, v); s = (e − d)/4, t = (e + d)/6, x = s(1 + v)/(1 − v) + t.
    const curve = gostCurveByOid('1.2.643.7.1.2.1.1.1') as GostCurve;
    const { p } = curve;
    const d = 0x0605f6b7c183fa81578bc39cfad518132b9df62897009af7e522c32d6dc7bffbn;
    const u = 0x0dn;
    const v = 0x60ca1e32aa475b348488c38fab07649ce7ef8dbe87f22e81f92b2592dba300e7n;
    const s = ((1n - d + p) * invert(4n, p)) % p;
    const t = ((1n + d) * invert(6n, p)) % p;
    const x = (((s * (1n + v)) % p) * invert((1n - v + p) % p, p) + t) % p;
    const y = (((s * (1n + v)) % p) * invert((((1n - v + p) % p) * u) % p, p)) % p;
    expect({ x, y }).toEqual({ x: curve.x, y: curve.y });
  });
});

describe('GOST field reduction', () => {
  it.each(gostCurves.map((curve) => [curve.name, curve] as const))(
    '%s: reduce(x) = x mod p up to 2^(2n+4)',
    (_, curve) => {
      const { reduce } = fieldOf(curve);
      const bits = BigInt(curve.p.toString(2).length);
      const top = (1n << (2n * bits + 4n)) - 1n;
      const edges = [
        0n,
        1n,
        curve.p - 1n,
        curve.p,
        curve.p + 1n,
        2n * curve.p,
        curve.p * curve.p,
        top,
        (1n << bits) - 1n,
        1n << bits,
      ];
      for (const x of edges) expect(reduce(x)).toBe(x % curve.p);
      fc.assert(fc.property(fc.bigInt({ min: 0n, max: top }), (x) => reduce(x) === x % curve.p));
    },
  );
});

describe('GOST scalar multiplication', () => {
  const scalar = (curve: GostCurve) => fc.bigInt({ min: 1n, max: curve.q - 1n });

  it.each(gostCurves.map((curve) => [curve.name, curve] as const))(
    '%s: tables and NAF agree with double-and-add',
    (_, curve) => {
      fc.assert(
        fc.property(scalar(curve), scalar(curve), scalar(curve), (k, z1, z2) => {
          const expectedBase = toAffine(plain(curve), naiveMultiply(curve, k, base(curve)));
          expect(toAffine(plain(curve), multiplyBase(curve, k))).toEqual(expectedBase);
          const q = expectedBase as AffinePoint;
          const expected = naiveMultiply(curve, z1, base(curve));
          const z2q = toAffine(plain(curve), naiveMultiply(curve, z2, q));
          if (z2q !== null) addAffineInPlace(plain(curve), expected, z2q.x, z2q.y);
          expect(toAffine(plain(curve), multiplyAdd(curve, z1, z2, q))).toEqual(
            toAffine(plain(curve), expected),
          );
        }),
        { numRuns: 5 },
      );
    },
  );

  it.each(gostCurves.map((curve) => [curve.name, curve] as const))(
    '%s: a public key met again gets its own table, and the sums stay those of double-and-add',
    (_, curve) => {
      const q = toAffine(plain(curve), naiveMultiply(curve, 0x1234567n, base(curve))) as AffinePoint;
      // The table comes with the fourth use: the first three take the NAF path, the rest the table.
      for (let use = 1; use <= 6; use++) {
        const z1 = (BigInt(use) * 0x9e3779b97f4a7c15n) % curve.q;
        const z2 = curve.q - ((BigInt(use) * 0x7f4a7c159e3779b9n) % curve.q);
        const expected = naiveMultiply(curve, z1, base(curve));
        const z2q = toAffine(plain(curve), naiveMultiply(curve, z2, q)) as AffinePoint;
        addAffineInPlace(plain(curve), expected, z2q.x, z2q.y);
        expect(toAffine(plain(curve), multiplyAdd(curve, z1, z2, q)), `use ${use}`).toEqual(
          toAffine(plain(curve), expected),
        );
      }
    },
  );

  it('handles the edge scalars: 0, 1, q − 1, and z1·P + z2·Q summing to infinity', () => {
    const curve = gostCurveByOid('1.2.643.7.1.2.1.1.1') as GostCurve;
    expect(multiplyBase(curve, 0n).z).toBe(0n);
    expect(toAffine(plain(curve), multiplyBase(curve, 1n))).toEqual(base(curve));
    expect(toAffine(plain(curve), multiplyBase(curve, curve.q - 1n))).toEqual({
      x: curve.x,
      y: curve.p - curve.y,
    });
    // Q = P: z1·P + (q − z1)·P = infinity.
    expect(multiplyAdd(curve, 5n, curve.q - 5n, base(curve)).z).toBe(0n);
    expect(toAffine(plain(curve), multiplyAdd(curve, 0n, 2n, base(curve)))).toEqual(
      toAffine(plain(curve), multiplyBase(curve, 2n)),
    );
  });

  it('signed base-32 digits reconstruct their scalar, each in [−16, 16]', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 512n) - 1n }), (k) => {
        const digits = signedBaseDigits(k, 103);
        let value = 0n;
        for (let i = digits.length - 1; i >= 0; i--) value = 32n * value + BigInt(digits[i] as number);
        expect(value).toBe(k);
        for (const digit of digits) expect(Math.abs(digit)).toBeLessThanOrEqual(16);
      }),
    );
    expect(() => signedBaseDigits(1n << 260n, 52)).toThrow(RangeError);
  });

  it('the width-5 NAF reconstructs its scalar, with odd digits below 16 in size', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 512n) - 1n }), (k) => {
        const digits = nonAdjacentForm(k, 5);
        let value = 0n;
        for (let i = digits.length - 1; i >= 0; i--) value = 2n * value + BigInt(digits[i] as number);
        expect(value).toBe(k);
        for (const digit of digits)
          expect(digit === 0 || (Math.abs(digit) % 2 === 1 && Math.abs(digit) < 16)).toBe(true);
      }),
    );
  });
});
