/**
 * Scalar multiplication for GOST R 34.10-2012: k·P for the curve's fixed base point P, and the
 * verifier's z1·P + z2·Q.
 *
 * The base point never changes, so each curve gets, on first use, a table of j·32^i·P for every
 * 5-bit window i and j = 1..16 (affine, cached: 832 points for 256 bits). k is written in signed
 * base-32 digits in [−16, 16], and k·P is one addition (or subtraction) per nonzero digit, with no
 * doublings at all: at most 52 for a 256-bit k. (6-bit windows save a few more additions but
 * double the table and the first verification's cost, which a cold Lambda pays.) A public key Q
 * met for the first time uses a width-5 NAF (signed odd digits, about one addition per six bits)
 * over the precomputed Q, 3Q, …, 15Q; a key met again gets a table like the base point's (see
 * keyTable). The two parts share one accumulator, since point addition commutes.
 */
import type { GostCurve } from './gost-curves.ts';
import { type CurveField, fieldOf } from './gost-field.ts';
import {
  type AffinePoint,
  addAffineInPlace,
  doubleInPlace,
  fromAffine,
  infinity,
  type JacobianPoint,
  toAffine,
  toAffineAll,
} from './gost-point.ts';

const BASE_WINDOW_BITS = 5;
const BASE_RADIX = 1 << BASE_WINDOW_BITS;
/** Digits run over [−16, 16], so a window needs the multiples 1..16. */
const BASE_MULTIPLES = BASE_RADIX / 2;
const NAF_WIDTH = 5;

/** Enough windows for any k < 2^bits plus the carry that signed digits may push out of the top. */
const baseWindows = (curve: GostCurve) => Math.floor(curve.bits / BASE_WINDOW_BITS) + 1;

/** Per curve: baseTables[i][j − 1] = j·32^i·P. */
const baseTables = new WeakMap<GostCurve, AffinePoint[][]>();

function baseTable(curve: GostCurve): AffinePoint[][] {
  let table = baseTables.get(curve);
  if (table === undefined) {
    table = windowTable(curve, { x: curve.x, y: curve.y });
    baseTables.set(curve, table);
  }
  return table;
}

/** table[i][j − 1] = j·32^i·point, affine: what k·point needs, one addition per nonzero digit. */
function windowTable(curve: GostCurve, point: AffinePoint): AffinePoint[][] {
  const field = fieldOf(curve);
  const windows = baseWindows(curve);
  const multiples: JacobianPoint[] = [];
  let windowBase: AffinePoint = point;
  for (let i = 0; i < windows; i++) {
    const sum = fromAffine(windowBase);
    multiples.push({ ...sum });
    for (let j = 2; j <= BASE_MULTIPLES; j++) {
      addAffineInPlace(field, sum, windowBase.x, windowBase.y);
      multiples.push({ ...sum });
    }
    doubleInPlace(field, sum); // 32·windowBase, the next window's base
    const next = toAffine(field, sum);
    if (next === null) throw new Error(`${curve.name}: the point's order is too small`);
    windowBase = next;
  }
  const affine = toAffineAll(field, multiples);
  const table: AffinePoint[][] = [];
  for (let i = 0; i < windows; i++) table.push(affine.slice(i * BASE_MULTIPLES, (i + 1) * BASE_MULTIPLES));
  return table;
}

/**
 * Public keys seen again get a table of their own, as the base point has: CA keys verify every
 * certificate and CRL they sign, so the few that matter repeat. A table costs about four
 * verifications to build, so a key earns one on its fourth verification; the most recent keys are
 * kept, a bounded number.
 */
const KEY_TABLE_AFTER_USES = 4;
const KEY_TABLES_KEPT = 64;
const keyUses = new Map<string, { uses: number; table: AffinePoint[][] | null }>();

function keyTable(curve: GostCurve, q: AffinePoint): AffinePoint[][] | null {
  const id = `${curve.name}:${q.x.toString(16)}:${q.y.toString(16)}`;
  const seen = keyUses.get(id) ?? { uses: 0, table: null };
  keyUses.delete(id); // re-inserted last: the Map's order is the order of use
  seen.uses++;
  if (seen.table === null && seen.uses >= KEY_TABLE_AFTER_USES) seen.table = windowTable(curve, q);
  keyUses.set(id, seen);
  if (keyUses.size > KEY_TABLES_KEPT) keyUses.delete(keyUses.keys().next().value as string);
  return seen.table;
}

/** k in signed base-32 digits, least significant first: k = Σ digit[i]·32^i, each digit in [−16, 16]. */
export function signedBaseDigits(k: bigint, windows: number): Int8Array {
  const digits = new Int8Array(windows);
  const mask = BigInt(BASE_RADIX - 1);
  const shift = BigInt(BASE_WINDOW_BITS);
  let rest = k;
  let carry = 0;
  for (let i = 0; i < windows; i++) {
    let digit = Number(rest & mask) + carry;
    rest >>= shift;
    carry = digit > BASE_MULTIPLES ? 1 : 0;
    if (carry === 1) digit -= BASE_RADIX;
    digits[i] = digit;
  }
  if (rest !== 0n || carry !== 0) throw new RangeError('signedBaseDigits: scalar too large');
  return digits;
}

/** accumulator += k·P for the point whose windowTable this is, for 0 <= k < 2^bits. */
function addTableMultiple(
  curve: GostCurve,
  table: AffinePoint[][],
  accumulator: JacobianPoint,
  k: bigint,
): void {
  const field = fieldOf(curve);
  const digits = signedBaseDigits(k, table.length);
  for (let i = 0; i < digits.length; i++) {
    const digit = digits[i] as number;
    if (digit === 0) continue;
    const entry = (table[i] as AffinePoint[])[Math.abs(digit) - 1] as AffinePoint;
    addAffineInPlace(field, accumulator, entry.x, digit > 0 ? entry.y : field.p - entry.y);
  }
}

/** k·P for the curve's base point P; k must be in [0, 2^bits). */
export function multiplyBase(curve: GostCurve, k: bigint): JacobianPoint {
  const accumulator = infinity();
  addTableMultiple(curve, baseTable(curve), accumulator, k);
  return accumulator;
}

/** The width-w NAF of k >= 0, least significant digit first: digits are 0 or odd in (-2^(w-1), 2^(w-1)). */
export function nonAdjacentForm(k: bigint, width: number): Int8Array {
  const digits: number[] = [];
  const modulus = 1 << width;
  const mask = BigInt(modulus - 1);
  let rest = k;
  while (rest > 0n) {
    let digit = 0;
    if ((rest & 1n) === 1n) {
      digit = Number(rest & mask);
      if (digit >= modulus / 2) digit -= modulus;
      rest -= BigInt(digit);
    }
    digits.push(digit);
    rest >>= 1n;
  }
  return Int8Array.from(digits);
}

/**
 * Q, 3Q, 5Q, …, (2^(w-1) − 1)·Q, affine: every multiple up to the last by adding the affine Q
 * again, keeping the odd ones. A few more additions than stepping by 2Q, but 2Q would need an
 * inversion of its own to be added in mixed form; here one batch inversion serves all.
 */
function oddMultiples(field: CurveField, q: AffinePoint, width: number): AffinePoint[] {
  const largest = (1 << (width - 1)) - 1;
  const sum = fromAffine(q);
  const odd: JacobianPoint[] = [{ ...sum }];
  for (let j = 2; j <= largest; j++) {
    addAffineInPlace(field, sum, q.x, q.y);
    if (j % 2 === 1) odd.push({ ...sum });
  }
  return toAffineAll(field, odd);
}

/** z1·P + z2·Q for the base point P and an affine point Q on the curve; z1, z2 in [0, q). */
export function multiplyAdd(curve: GostCurve, z1: bigint, z2: bigint, q: AffinePoint): JacobianPoint {
  const field = fieldOf(curve);
  const accumulator = infinity();
  const table = z2 === 0n ? null : keyTable(curve, q);
  if (table !== null) addTableMultiple(curve, table, accumulator, z2);
  else if (z2 !== 0n) {
    const multiples = oddMultiples(field, q, NAF_WIDTH);
    const digits = nonAdjacentForm(z2, NAF_WIDTH);
    // Doublings are batched between the nonzero digits: doubleInPlace runs them more cheaply.
    let pendingDoublings = 0;
    for (let i = digits.length - 1; i >= 0; i--) {
      pendingDoublings++;
      const digit = digits[i] as number;
      if (digit === 0) continue;
      doubleInPlace(field, accumulator, pendingDoublings);
      pendingDoublings = 0;
      const point = multiples[(Math.abs(digit) - 1) >> 1] as AffinePoint;
      addAffineInPlace(field, accumulator, point.x, digit > 0 ? point.y : field.p - point.y);
    }
    doubleInPlace(field, accumulator, pendingDoublings);
  }
  addTableMultiple(curve, baseTable(curve), accumulator, z1);
  return accumulator;
}
