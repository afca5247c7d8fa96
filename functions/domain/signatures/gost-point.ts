/**
 * Point arithmetic on a short Weierstrass curve y² = x³ + a·x + b over GF(p), on BigInt.
 *
 * Points being built up are kept in Jacobian coordinates (X, Y, Z) for (X/Z², Y/Z³), so adding and
 * doubling need no modular inversion; only the result is turned back into affine (x, y). Additions
 * are always "mixed" (Jacobian + affine), which is why precomputed tables are stored affine.
 * Every value is kept in [0, p). A difference u − v is written u + (p − v) before reducing, so
 * that the field's reduction only ever sees nonnegative numbers.
 */
import type { GostCurve } from './gost-curves.ts';
import type { CurveField } from './gost-field.ts';

export interface AffinePoint {
  readonly x: bigint;
  readonly y: bigint;
}

/** Mutable on purpose: the multiplication loops update one accumulator in place. Z = 0 is infinity. */
export interface JacobianPoint {
  x: bigint;
  y: bigint;
  z: bigint;
}

export function infinity(): JacobianPoint {
  return { x: 1n, y: 1n, z: 0n };
}

export function fromAffine(point: AffinePoint): JacobianPoint {
  return { x: point.x, y: point.y, z: 1n };
}

export function isOnCurve(curve: GostCurve, point: AffinePoint): boolean {
  const { p, a, b } = curve;
  const { x, y } = point;
  if (x < 0n || x >= p || y < 0n || y >= p) return false;
  return (y * y - (x * x * x + a * x + b)) % p === 0n;
}

/** The inverse of a modulo m (m prime, a not a multiple of m), by the extended Euclidean algorithm. */
export function invert(a: bigint, m: bigint): bigint {
  let r0 = m;
  let r1 = a % m;
  if (r1 < 0n) r1 += m;
  let t0 = 0n;
  let t1 = 1n;
  while (r1 !== 0n) {
    const quotient = r0 / r1;
    const r2 = r0 - quotient * r1;
    r0 = r1;
    r1 = r2;
    const t2 = t0 - quotient * t1;
    t0 = t1;
    t1 = t2;
  }
  if (r0 !== 1n) throw new RangeError('invert: the value has no inverse');
  return t0 < 0n ? t0 + m : t0;
}

/**
 * P := 2^times · P. Verification is mostly runs of doublings, so T = a·Z⁴ is carried from one
 * doubling to the next (modified Jacobian coordinates, Cohen–Miyaji–Ono 1998): each then costs
 * 4M + 4S, for any a, instead of 4M + 6S.
 */
export function doubleInPlace(field: CurveField, point: JacobianPoint, times = 1): void {
  const { p, reduce } = field;
  let { x, y, z } = point;
  if (z === 0n || times === 0) return;
  const zz = reduce(z * z);
  let t = reduce(field.a * reduce(zz * zz));
  for (let i = 0; i < times && z !== 0n; i++) {
    const yy = reduce(y * y);
    const eightY4 = reduce(8n * yy * yy);
    const s = reduce(4n * x * yy);
    const m = reduce(3n * x * x + t);
    const x3 = reduce(m * m + 2n * (p - s)); // m² − 2s
    z = reduce(2n * y * z); // 0 when y = 0: a point of order 2 doubles to infinity
    y = reduce(m * (s + p - x3) + (p - eightY4)); // m(s − x3) − 8y⁴
    x = x3;
    t = reduce(2n * eightY4 * t); // a·(2yz)⁴ = 2·8y⁴·a·z⁴
  }
  point.x = x;
  point.y = y;
  point.z = z;
}

/** P := P + Q with Q affine and (x, y) = Q or −Q (pass y = p − Q.y to subtract). 8M + 3S. */
export function addAffineInPlace(field: CurveField, point: JacobianPoint, qx: bigint, qy: bigint): void {
  const { p, reduce } = field;
  const { x, y, z } = point;
  if (z === 0n) {
    point.x = qx;
    point.y = qy;
    point.z = 1n;
    return;
  }
  const zz = reduce(z * z);
  const h = reduce(qx * zz + p - x); // U2 − X1
  const r = reduce(reduce(qy * z) * zz + p - y); // S2 − Y1
  if (h === 0n) {
    // Same x: either the same point (double it) or its negative (the sum is infinity).
    if (r === 0n) doubleInPlace(field, point);
    else point.z = 0n;
    return;
  }
  const hh = reduce(h * h);
  const hhh = reduce(h * hh);
  const v = reduce(x * hh);
  const x3 = reduce(r * r + (p - hhh) + 2n * (p - v)); // r² − h³ − 2v
  point.x = x3;
  point.y = reduce(r * (v + p - x3) + y * (p - hhh)); // r(v − x3) − y·h³
  point.z = reduce(z * h);
}

/** Whether P is a finite point with affine x-coordinate x (in [0, p)): X = x·Z², with no inversion. */
export function hasAffineX(field: CurveField, point: JacobianPoint, x: bigint): boolean {
  const { z } = point;
  return z !== 0n && field.reduce(x * field.reduce(z * z)) === point.x;
}

/** The affine form of P, or null for the point at infinity. One inversion. */
export function toAffine(field: CurveField, point: JacobianPoint): AffinePoint | null {
  if (point.z === 0n) return null;
  const { p, reduce } = field;
  const zInverse = invert(point.z, p);
  const zInverse2 = reduce(zInverse * zInverse);
  return { x: reduce(point.x * zInverse2), y: reduce(reduce(point.y * zInverse2) * zInverse) };
}

/**
 * The affine forms of many points with a single inversion (Montgomery's trick: invert the product
 * of all Z, then peel off one Z at a time). None of the points may be infinity.
 */
export function toAffineAll(field: CurveField, points: readonly JacobianPoint[]): AffinePoint[] {
  const { p, reduce } = field;
  const prefix: bigint[] = new Array(points.length);
  let product = 1n;
  points.forEach((point, i) => {
    if (point.z === 0n) throw new RangeError('toAffineAll: point at infinity');
    prefix[i] = product;
    product = reduce(product * point.z);
  });
  let inverse = invert(product, p); // 1 / (z0 · z1 · … · z[i])
  const result: AffinePoint[] = new Array(points.length);
  for (let i = points.length - 1; i >= 0; i--) {
    const point = points[i] as JacobianPoint;
    const zInverse = reduce(inverse * (prefix[i] as bigint));
    inverse = reduce(inverse * point.z);
    const zInverse2 = reduce(zInverse * zInverse);
    result[i] = { x: reduce(point.x * zInverse2), y: reduce(reduce(point.y * zInverse2) * zInverse) };
  }
  return result;
}
