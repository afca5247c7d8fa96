/**
 * GOST R 34.10-2012 keys in their X.509 / PKCS#8 containers, read and written the way OpenSSL's
 * GOST engine does:
 *
 *   SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { keyOid, SEQUENCE { paramSetOid, digestOid? } },
 *                                       BIT STRING { OCTET STRING (x‖y, little-endian) } }
 *   PrivateKeyInfo ::= SEQUENCE { INTEGER 0, (the same AlgorithmIdentifier), OCTET STRING key }
 *
 * The private key OCTET STRING holds the key little-endian as raw bytes (what `openssl genpkey`
 * writes), or wrapped in an inner OCTET STRING (little-endian) or INTEGER (big-endian), which
 * other tools write and the engine also reads. CryptoPro's masked keys are refused.
 * Malformed input throws UnreadableInputError, like the module's other readers.
 */
import { UnreadableInputError } from '../errors.ts';
import { Oid } from './algorithms.ts';
import {
  type Asn1Node,
  binaryToBytes,
  bytesToBinary,
  isUniversal,
  parseAsn1,
  primitiveContent,
  readOid,
  readSmallInteger,
  sequenceOf,
  Tag,
} from './asn1.ts';
import { bitString, integer, octetString, oid, sequence, toDer } from './asn1-writer.ts';
import { bigIntFromBytes, bigIntToBytes } from './gost-bytes.ts';
import { type GostCurve, gostParameterSet } from './gost-curves.ts';
import type { AffinePoint } from './gost-point.ts';

export interface GostKeyAlgorithm {
  /** 1.2.643.7.1.1.1.1 (256 bit) or 1.2.643.7.1.1.1.2 (512 bit). */
  readonly keyOid: string;
  readonly bits: 256 | 512;
  readonly parameterSetOid: string;
  /** The optional digestParamSet (Streebog OID); absent for TC26-256 and TC26-512-C keys. */
  readonly digestParameterSetOid: string | null;
}

export interface GostPublicKeyInfo extends GostKeyAlgorithm {
  /** x‖y, little-endian, 64 or 128 bytes: pass as gostVerify's publicKey. */
  readonly publicKey: Uint8Array;
}

export interface GostPrivateKeyInfo extends GostKeyAlgorithm {
  readonly privateKey: bigint;
}

const keyBits: Record<string, 256 | 512> = { [Oid.gost2012Key256]: 256, [Oid.gost2012Key512]: 512 };
const streebogOid: Record<256 | 512, string> = { 256: '1.2.643.7.1.1.2.2', 512: '1.2.643.7.1.1.2.3' };

/** Reads a GOST SubjectPublicKeyInfo (DER or PEM "PUBLIC KEY"). */
export function readGostPublicKeyInfo(bytes: Uint8Array): GostPublicKeyInfo {
  const what = 'открытый ключ ГОСТ';
  const [algorithmNode, bitString, ...rest] = sequenceOf(parseAsn1(bytesToBinary(derOf(bytes)), what), what);
  const algorithm = readKeyAlgorithm(algorithmNode, what);
  if (bitString === undefined || !isUniversal(bitString, Tag.bitString) || rest.length > 0) {
    throw new UnreadableInputError(
      `${what}: ожидалась структура SubjectPublicKeyInfo {алгоритм, BIT STRING}`,
    );
  }
  const bits = primitiveContent(bitString, what);
  if (bits.charCodeAt(0) !== 0) throw new UnreadableInputError(`${what}: BIT STRING с неполным байтом`);
  const inner = parseAsn1(bits.slice(1), `${what}: BIT STRING`);
  if (!isUniversal(inner, Tag.octetString)) {
    throw new UnreadableInputError(`${what}: в BIT STRING ожидалась OCTET STRING`);
  }
  const publicKey = binaryToBytes(primitiveContent(inner, what));
  const expected = algorithm.bits / 4;
  if (publicKey.length !== expected) {
    throw new UnreadableInputError(
      `${what}: длина ключа ${algorithm.bits} бит в байтах ${publicKey.length} вместо ${expected}`,
    );
  }
  return { ...algorithm, publicKey };
}

/** Reads a GOST PKCS#8 PrivateKeyInfo (DER or PEM "PRIVATE KEY"), unencrypted. */
export function readGostPrivateKeyInfo(bytes: Uint8Array): GostPrivateKeyInfo {
  const what = 'закрытый ключ ГОСТ';
  const [version, algorithmNode, keyNode] = sequenceOf(parseAsn1(bytesToBinary(derOf(bytes)), what), what);
  if (readSmallInteger(version, `${what}: версия`) > 1) {
    throw new UnreadableInputError(`${what}: неизвестная версия`);
  }
  const algorithm = readKeyAlgorithm(algorithmNode, what);
  if (keyNode === undefined || !isUniversal(keyNode, Tag.octetString)) {
    throw new UnreadableInputError(`${what}: нет OCTET STRING с ключом`);
  }
  const content = binaryToBytes(primitiveContent(keyNode, what));
  const size = algorithm.bits / 8;
  let privateKey: bigint;
  if (content.length === size) {
    privateKey = bigIntFromBytes(content, 'little');
  } else if (content.length % size === 0) {
    throw new UnreadableInputError(`${what}: маскированный ключ (формат CryptoPro) не поддерживается`);
  } else {
    const inner = parseAsn1(bytesToBinary(content), what);
    const innerBytes = binaryToBytes(primitiveContent(inner, what));
    if (isUniversal(inner, Tag.octetString) && innerBytes.length === size) {
      privateKey = bigIntFromBytes(innerBytes, 'little');
    } else if (isUniversal(inner, Tag.integer) && (innerBytes[0] ?? 0x80) < 0x80) {
      privateKey = bigIntFromBytes(innerBytes, 'big');
    } else {
      throw new UnreadableInputError(`${what}: неизвестная форма записи ключа`);
    }
  }
  const curve = gostParameterSet(algorithm.parameterSetOid)?.curve;
  if (privateKey === 0n || (curve !== undefined && privateKey >= curve.q)) {
    throw new UnreadableInputError(`${what}: значение ключа вне интервала (0, q)`);
  }
  return { ...algorithm, privateKey };
}

/** A SubjectPublicKeyInfo as OpenSSL's engine writes it for this parameter set. */
export function encodeGostPublicKeyInfo(parameterSetOid: string, point: AffinePoint): Uint8Array {
  const { curve, algorithm } = algorithmFor(parameterSetOid);
  const size = curve.bits / 8;
  const blob = new Uint8Array(2 * size);
  blob.set(bigIntToBytes(point.x, size, 'little'), 0);
  blob.set(bigIntToBytes(point.y, size, 'little'), size);
  return toDer(sequence(algorithm, bitString(toDer(octetString(blob)))));
}

/** A PKCS#8 PrivateKeyInfo as `openssl genpkey` writes it: the key as raw little-endian bytes. */
export function encodeGostPrivateKeyInfo(parameterSetOid: string, privateKey: bigint): Uint8Array {
  const { curve, algorithm } = algorithmFor(parameterSetOid);
  if (privateKey <= 0n || privateKey >= curve.q) throw new RangeError('the private key is not in (0, q)');
  return toDer(
    sequence(integer(0), algorithm, octetString(bigIntToBytes(privateKey, curve.bits / 8, 'little'))),
  );
}

function readKeyAlgorithm(node: Asn1Node | undefined, what: string): GostKeyAlgorithm {
  const [oidNode, parameters] = sequenceOf(node, `${what}: алгоритм`);
  const keyOid = readOid(oidNode, `${what}: алгоритм`);
  const bits = keyBits[keyOid];
  if (bits === undefined) throw new UnreadableInputError(`${what}: алгоритм ${keyOid} не ГОСТ Р 34.10-2012`);
  const [paramSetNode, digestNode] = sequenceOf(parameters, `${what}: параметры ключа`);
  const parameterSetOid = readOid(paramSetNode, `${what}: набор параметров`);
  const digestParameterSetOid =
    digestNode === undefined ? null : readOid(digestNode, `${what}: параметры хэша`);
  const known = gostParameterSet(parameterSetOid);
  if (known !== undefined && known.curve.bits !== bits) {
    throw new UnreadableInputError(`${what}: набор параметров ${parameterSetOid} не для ключа ${bits} бит`);
  }
  return { keyOid, bits, parameterSetOid, digestParameterSetOid };
}

function algorithmFor(parameterSetOid: string): { curve: GostCurve; algorithm: Asn1Node } {
  const set = gostParameterSet(parameterSetOid);
  if (set === undefined) throw new RangeError(`unknown GOST R 34.10-2012 parameter set ${parameterSetOid}`);
  const { bits } = set.curve;
  const parameters = [oid(parameterSetOid)];
  if (set.writesDigestParamSet) parameters.push(oid(streebogOid[bits]));
  const keyOid = bits === 256 ? Oid.gost2012Key256 : Oid.gost2012Key512;
  const algorithm = sequence(oid(keyOid), sequence(...parameters));
  return { curve: set.curve, algorithm };
}

/** DER as is, or the body of a PEM block. */
function derOf(bytes: Uint8Array): Uint8Array {
  const text = bytesToBinary(bytes.subarray(0, 11));
  if (text !== '-----BEGIN ') return bytes;
  const body = bytesToBinary(bytes)
    .replace(/-----(BEGIN|END) [A-Z ]+-----/g, '')
    .replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}
