/**
 * Integers to bytes and back, in the two orders GOST R 34.10-2012 mixes: public key coordinates,
 * private keys and digests are LITTLE-endian; the signature's s and r are BIG-endian
 * (SIGNATURES.md, checked against OpenSSL's GOST engine).
 */

export type ByteOrder = 'big' | 'little';

const hexOfByte = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function bigIntFromBytes(bytes: Uint8Array, order: ByteOrder): bigint {
  if (bytes.length === 0) return 0n;
  let hex = '';
  if (order === 'big') for (let i = 0; i < bytes.length; i++) hex += hexOfByte[bytes[i] as number];
  else for (let i = bytes.length - 1; i >= 0; i--) hex += hexOfByte[bytes[i] as number];
  return BigInt(`0x${hex}`);
}

/** `value` in exactly `length` bytes; throws when it does not fit (a caller's bug, not bad input). */
export function bigIntToBytes(value: bigint, length: number, order: ByteOrder): Uint8Array {
  if (value < 0n) throw new RangeError('bigIntToBytes: negative value');
  const hex = value.toString(16);
  if (hex.length > 2 * length) throw new RangeError(`bigIntToBytes: value does not fit in ${length} bytes`);
  const padded = hex.padStart(2 * length, '0');
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const byte = Number.parseInt(padded.slice(2 * i, 2 * i + 2), 16);
    bytes[order === 'big' ? i : length - 1 - i] = byte;
  }
  return bytes;
}
