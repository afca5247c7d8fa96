/**
 * GOST R 34.10-2012 signatures (256 and 512 bit): verification, signing and keys, in plain
 * TypeScript on BigInt. Byte orders and the check follow SIGNATURES.md ("facts confirmed against
 * OpenSSL's GOST engine"):
 * - digest: the Streebog output bytes as in messageDigest, read as a little-endian integer α;
 *   e = α mod q, and e = 1 when that is 0;
 * - signature: s big-endian, then r big-endian (64 or 128 bytes);
 * - public key: x little-endian, then y little-endian (the SPKI's inner OCTET STRING);
 * - valid when x(z1·P + z2·Q) mod q = r, with v = e⁻¹, z1 = s·v, z2 = −r·v (mod q). The final
 *   "mod q" matters on the cofactor-4 curves, where x often exceeds q.
 * Bad input never throws from gostVerify: it comes back as { ok: false, reason }.
 */
import { bigIntFromBytes, bigIntToBytes } from './gost-bytes.ts';
import { type GostCurve, gostCurveByOid } from './gost-curves.ts';
import { fieldOf } from './gost-field.ts';
import { multiplyAdd, multiplyBase } from './gost-multiply.ts';
import { type AffinePoint, hasAffineX, invert, isOnCurve, toAffine } from './gost-point.ts';

/** A curve, or the parameter-set OID from a key's algorithm parameters. */
export type GostCurveChoice = GostCurve | string;

/** Fills a new array of that many random bytes. */
export type RandomBytes = (byteLength: number) => Uint8Array;

export interface GostVerifyInput {
  readonly curve: GostCurveChoice;
  /** The point, or the 64/128-byte x‖y little-endian blob from the SubjectPublicKeyInfo. */
  readonly publicKey: AffinePoint | Uint8Array;
  /** The Streebog digest bytes exactly as in messageDigest (32 or 64 bytes, per the key size). */
  readonly digest: Uint8Array;
  /** s‖r, both big-endian (64 or 128 bytes). */
  readonly signature: Uint8Array;
}

export type GostVerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface GostSignInput {
  readonly curve: GostCurveChoice;
  readonly privateKey: bigint;
  readonly digest: Uint8Array;
  /** Source of the nonce k; crypto.getRandomValues when absent. */
  readonly random?: RandomBytes;
}

export interface GostKeyPair {
  readonly privateKey: bigint;
  readonly publicKey: AffinePoint;
}

const refuse = (reason: string): GostVerifyResult => ({ ok: false, reason });

export function gostVerify(input: GostVerifyInput): GostVerifyResult {
  const curve = resolveCurve(input.curve);
  if (curve === undefined) {
    return refuse(`Неизвестный набор параметров ГОСТ Р 34.10-2012: ${String(input.curve)}.`);
  }
  const size = curve.bits / 8;
  if (input.digest.length !== size) {
    return refuse(
      `Хэш для ключа ${curve.bits} бит должен занимать ${byteCount(size)}, а занимает ${byteCount(input.digest.length)}.`,
    );
  }
  if (input.signature.length !== 2 * size) {
    return refuse(
      `Значение подписи для ключа ${curve.bits} бит должно занимать ${byteCount(2 * size)}, а занимает ${byteCount(input.signature.length)}.`,
    );
  }
  const publicKey = input.publicKey instanceof Uint8Array ? null : input.publicKey;
  const point = publicKey ?? decodeGostPublicKey(curve, input.publicKey as Uint8Array);
  if (typeof point === 'string') return refuse(point);
  if (!isOnCurve(curve, point)) return refuse(`Открытый ключ не является точкой кривой ${curve.name}.`);

  const { q } = curve;
  const s = bigIntFromBytes(input.signature.subarray(0, size), 'big');
  const r = bigIntFromBytes(input.signature.subarray(size), 'big');
  if (r <= 0n || r >= q) return refuse('Значение подписи повреждено: r вне интервала (0, q).');
  if (s <= 0n || s >= q) return refuse('Значение подписи повреждено: s вне интервала (0, q).');

  const v = invert(digestToScalar(curve, input.digest), q);
  const z1 = (s * v) % q;
  const z2 = q - ((r * v) % q); // r·v is never 0 mod q (q prime, r and v nonzero), so z2 is in (0, q)
  const c = multiplyAdd(curve, z1, z2, point);
  // x_C mod q = r means x_C is one of r, r + q, r + 2q, … below p (up to four on the cofactor-4 curves).
  const field = fieldOf(curve);
  for (let candidate = r; candidate < curve.p; candidate += q) {
    if (hasAffineX(field, c, candidate)) return { ok: true };
  }
  return refuse('Подпись не соответствует хэшу и открытому ключу.');
}

/** Signs a Streebog digest; returns s‖r big-endian. Throws on a bad key or digest (the caller's own data). */
export function gostSign(input: GostSignInput): Uint8Array {
  const curve = requireCurve(input.curve);
  const size = curve.bits / 8;
  const { q } = curve;
  const d = input.privateKey;
  if (d <= 0n || d >= q) throw new RangeError('gostSign: the private key is not in (0, q)');
  if (input.digest.length !== size) throw new RangeError(`gostSign: the digest must be ${size} bytes`);
  const e = digestToScalar(curve, input.digest);
  for (;;) {
    const k = randomScalar(curve, input.random ?? defaultRandom);
    const c = toAffine(fieldOf(curve), multiplyBase(curve, k));
    if (c === null) continue; // unreachable for 0 < k < q; kept so a bad table cannot yield r = 0
    const r = c.x % q;
    if (r === 0n) continue;
    const s = (r * d + k * e) % q;
    if (s === 0n) continue;
    const signature = new Uint8Array(2 * size);
    signature.set(bigIntToBytes(s, size, 'big'), 0);
    signature.set(bigIntToBytes(r, size, 'big'), size);
    return signature;
  }
}

/** Q = d·P for a private key d in (0, q). */
export function gostPublicKey(curveChoice: GostCurveChoice, privateKey: bigint): AffinePoint {
  const curve = requireCurve(curveChoice);
  if (privateKey <= 0n || privateKey >= curve.q) {
    throw new RangeError('gostPublicKey: the private key is not in (0, q)');
  }
  const point = toAffine(fieldOf(curve), multiplyBase(curve, privateKey));
  if (point === null) throw new Error('gostPublicKey: d·P is infinity'); // impossible for 0 < d < q
  return point;
}

export function gostGenerateKey(
  curveChoice: GostCurveChoice,
  random: RandomBytes = defaultRandom,
): GostKeyPair {
  const curve = requireCurve(curveChoice);
  const privateKey = randomScalar(curve, random);
  return { privateKey, publicKey: gostPublicKey(curve, privateKey) };
}

/** x‖y, each little-endian in bits/8 bytes: the content of the SPKI's inner OCTET STRING. */
export function encodeGostPublicKey(curveChoice: GostCurveChoice, point: AffinePoint): Uint8Array {
  const curve = requireCurve(curveChoice);
  const size = curve.bits / 8;
  const bytes = new Uint8Array(2 * size);
  bytes.set(bigIntToBytes(point.x, size, 'little'), 0);
  bytes.set(bigIntToBytes(point.y, size, 'little'), size);
  return bytes;
}

/** The point from an x‖y little-endian blob, or the reason it cannot be one (length only; see isOnCurve). */
export function decodeGostPublicKey(curve: GostCurve, bytes: Uint8Array): AffinePoint | string {
  const size = curve.bits / 8;
  if (bytes.length !== 2 * size) {
    return `Открытый ключ ${curve.bits} бит должен занимать ${byteCount(2 * size)}, а занимает ${byteCount(bytes.length)}.`;
  }
  return {
    x: bigIntFromBytes(bytes.subarray(0, size), 'little'),
    y: bigIntFromBytes(bytes.subarray(size), 'little'),
  };
}

/** e = α mod q for the digest read little-endian, and 1 in place of 0. */
export function digestToScalar(curve: GostCurve, digest: Uint8Array): bigint {
  const e = bigIntFromBytes(digest, 'little') % curve.q;
  return e === 0n ? 1n : e;
}

/** "32 байта", "128 байт": a count of bytes with the Russian plural. */
function byteCount(n: number): string {
  const last = n % 10;
  const lastTwo = n % 100;
  return `${n} ${last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14) ? 'байта' : 'байт'}`;
}

function resolveCurve(choice: GostCurveChoice): GostCurve | undefined {
  return typeof choice === 'string' ? gostCurveByOid(choice) : choice;
}

function requireCurve(choice: GostCurveChoice): GostCurve {
  const curve = resolveCurve(choice);
  if (curve === undefined) throw new RangeError(`unknown GOST R 34.10-2012 parameter set ${String(choice)}`);
  return curve;
}

/**
 * A uniform scalar in (0, q) by rejection: draw as many bytes as q has, mask to q's bit length,
 * retry on 0 or >= q. A fixed source (a test's k) is taken as is when it already lies in range.
 */
function randomScalar(curve: GostCurve, random: RandomBytes): bigint {
  const { q } = curve;
  const bitLength = q.toString(2).length;
  const byteLength = Math.ceil(bitLength / 8);
  const mask = (1n << BigInt(bitLength)) - 1n;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const bytes = random(byteLength);
    if (bytes.length !== byteLength) throw new RangeError(`random: expected ${byteLength} bytes`);
    const k = bigIntFromBytes(bytes, 'big') & mask;
    if (k > 0n && k < q) return k;
  }
  throw new Error('random: no usable scalar in 1000 draws (is the source constant?)');
}

function defaultRandom(byteLength: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(byteLength));
}
