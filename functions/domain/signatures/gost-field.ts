/**
 * Reduction modulo the curve prime p, the operation point arithmetic spends most of its time in.
 *
 * BigInt `%` is a long division. Most GOST primes sit next to a power of two, and there a shift,
 * a mask and a small multiplication "fold" the high part down instead:
 * - p = 2^n − c (CryptoPro-A = XchA = TC26-256-B, TC26-256-A, TC26-512-A and -C): 2^n ≡ c;
 * - p = 2^k + d (TC26-512-B): 2^k ≡ −d. Measured worth it only for the 512-bit prime; the
 *   256-bit ones of this form (CryptoPro-B, the test set) are as fast with `%`.
 * The rest (CryptoPro-C, TC26-512 Test) use `%`. Measured: folding is 1.2-1.5x faster per verify.
 */
import type { GostCurve } from './gost-curves.ts';

export interface CurveField {
  readonly p: bigint;
  /** The curve coefficient a, in [0, p). */
  readonly a: bigint;
  /**
   * x mod p, into [0, p), for 0 <= x < 2^(2n+4) where n is p's bit length: what the point formulas
   * produce (a product of two reduced values times a small constant, plus a few such).
   */
  readonly reduce: (x: bigint) => bigint;
}

/** The largest c (or d) folded: the bounds in the comments below rely on it. */
const MAX_FOLD_CONSTANT = 1n << 16n;

const fields = new WeakMap<GostCurve, CurveField>();

export function fieldOf(curve: GostCurve): CurveField {
  const cached = fields.get(curve);
  if (cached !== undefined) return cached;
  const { p, a } = curve;
  const n = BigInt(p.toString(2).length);
  const c = (1n << n) - p;
  const d = p - (1n << (n - 1n));
  let reduce = (x: bigint) => x % p;
  if (c < MAX_FOLD_CONSTANT) reduce = minusFolding(p, n, c);
  else if (d < MAX_FOLD_CONSTANT && n > 256n) reduce = plusFolding(p, n - 1n, d);
  const field: CurveField = { p, a, reduce };
  fields.set(curve, field);
  return field;
}

/** p = 2^n − c: x = high·2^n + low ≡ low + high·c. */
function minusFolding(p: bigint, n: bigint, c: bigint): (x: bigint) => bigint {
  const mask = (1n << n) - 1n;
  return (x) => {
    // For x < 2^(2n+4): the first fold leaves < 2^(n+21), the second < 2^n + 2^37 < 2p.
    let folded = (x & mask) + (x >> n) * c;
    folded = (folded & mask) + (folded >> n) * c;
    return folded >= p ? folded - p : folded;
  };
}

/** p = 2^k + d: x = high·2^k + low ≡ low − high·d; a multiple of p is added to stay nonnegative. */
function plusFolding(p: bigint, k: bigint, d: bigint): (x: bigint) => bigint {
  const mask = (1n << k) - 1n;
  // For x < 2^(2k+6): high·d < 2^(k+22) <= p·2^22 at the first fold, and < 2^40 < p at the second.
  const firstOffset = p << 22n;
  return (x) => {
    let folded = (x & mask) + firstOffset - (x >> k) * d;
    folded = (folded & mask) + p - (folded >> k) * d; // now < 2^k + p < 2p
    return folded >= p ? folded - p : folded;
  };
}
