// biome-ignore-all lint/style/noNonNullAssertion: typed-array indices here are in bounds by construction.
/**
 * GOST R 34.11-2012 "Streebog" hash (RFC 6986), 256- and 512-bit.
 *
 * Byte order: RFC 6986 writes messages, constants and hash codes as big-endian numbers, so each of its
 * hex strings is the byte-reversal of the byte string that implementations consume and produce
 * (OpenSSL's md_gost12_256, CryptoPro, the CMS messageDigest attribute). Here a 64-byte block is that
 * number stored little-endian: byte 0 is the least significant. RFC M1 "3231…3130" is therefore the
 * ASCII string "0123…012", and its RFC hash "00557be5…159d" comes out as the bytes 9d 15 … 55 00.
 *
 * Internally a 512-bit value is 8 little-endian 64-bit words, each held as a lo/hi pair of 32-bit
 * halves in a Uint32Array of 16 (lo of word w at index 2w, hi at 2w + 1), so no BigInt is needed.
 */

const BLOCK_BYTES = 64;
const STATE_WORDS = 16;

/** The S-box π′ (RFC 6986 §6.2; the same one Kuznyechik, GOST R 34.12-2015, uses). */
const PI = [
  252, 238, 221, 17, 207, 110, 49, 22, 251, 196, 250, 218, 35, 197, 4, 77, 233, 119, 240, 219, 147, 46, 153,
  186, 23, 54, 241, 187, 20, 205, 95, 193, 249, 24, 101, 90, 226, 92, 239, 33, 129, 28, 60, 66, 139, 1, 142,
  79, 5, 132, 2, 174, 227, 106, 143, 160, 6, 11, 237, 152, 127, 212, 211, 31, 235, 52, 44, 81, 234, 200, 72,
  171, 242, 42, 104, 162, 253, 58, 206, 204, 181, 112, 14, 86, 8, 12, 118, 18, 191, 114, 19, 71, 156, 183, 93,
  135, 21, 161, 150, 41, 16, 123, 154, 199, 243, 145, 120, 111, 157, 158, 178, 177, 50, 117, 25, 61, 255, 53,
  138, 126, 109, 84, 198, 128, 195, 189, 13, 87, 223, 245, 36, 169, 62, 168, 67, 201, 215, 121, 214, 246, 124,
  34, 185, 3, 224, 15, 236, 222, 122, 148, 176, 188, 220, 232, 40, 80, 78, 51, 10, 74, 167, 151, 96, 115, 30,
  0, 98, 68, 26, 184, 56, 130, 100, 159, 38, 65, 173, 69, 70, 146, 39, 94, 85, 47, 140, 163, 165, 125, 105,
  213, 149, 59, 7, 88, 179, 64, 134, 172, 29, 247, 48, 55, 107, 228, 136, 217, 231, 137, 225, 27, 131, 73, 76,
  63, 248, 254, 141, 83, 170, 144, 202, 216, 133, 97, 32, 113, 103, 164, 45, 43, 9, 91, 203, 155, 37, 208,
  190, 229, 108, 82, 89, 166, 116, 210, 230, 244, 180, 192, 209, 102, 175, 194, 57, 75, 99, 182,
];

/** Rows A_0…A_63 of the linear transform l (RFC 6986 §6.4): bit 63 − i of a word selects row A_i. */
// biome-ignore format: four rows a line, as RFC 6986 prints them
const LINEAR_ROWS = [
  '8e20faa72ba0b470', '47107ddd9b505a38', 'ad08b0e0c3282d1c', 'd8045870ef14980e',
  '6c022c38f90a4c07', '3601161cf205268d', '1b8e0b0e798c13c8', '83478b07b2468764',
  'a011d380818e8f40', '5086e740ce47c920', '2843fd2067adea10', '14aff010bdd87508',
  '0ad97808d06cb404', '05e23c0468365a02', '8c711e02341b2d01', '46b60f011a83988e',
  '90dab52a387ae76f', '486dd4151c3dfdb9', '24b86a840e90f0d2', '125c354207487869',
  '092e94218d243cba', '8a174a9ec8121e5d', '4585254f64090fa0', 'accc9ca9328a8950',
  '9d4df05d5f661451', 'c0a878a0a1330aa6', '60543c50de970553', '302a1e286fc58ca7',
  '18150f14b9ec46dd', '0c84890ad27623e0', '0642ca05693b9f70', '0321658cba93c138',
  '86275df09ce8aaa8', '439da0784e745554', 'afc0503c273aa42a', 'd960281e9d1d5215',
  'e230140fc0802984', '71180a8960409a42', 'b60c05ca30204d21', '5b068c651810a89e',
  '456c34887a3805b9', 'ac361a443d1c8cd2', '561b0d22900e4669', '2b838811480723ba',
  '9bcf4486248d9f5d', 'c3e9224312c8c1a0', 'effa11af0964ee50', 'f97d86d98a327728',
  'e4fa2054a80b329c', '727d102a548b194e', '39b008152acb8227', '9258048415eb419d',
  '492c024284fbaec0', 'aa16012142f35760', '550b8e9e21f7a530', 'a48b474f9ef5dc18',
  '70a6a56e2440598e', '3853dc371220a247', '1ca76e95091051ad', '0edd37c48a08a6d8',
  '07e095624504536c', '8d70c431ac02a736', 'c83862965601dd1b', '641c314b2b8ee083',
];

/** Iteration constants C_1…C_12 (RFC 6986 §6.5), in the RFC's big-endian notation. */
const ROUND_CONSTANTS_RFC_HEX = [
  'b1085bda1ecadae9ebcb2f81c0657c1f2f6a76432e45d016714eb88d7585c4fc4b7ce09192676901a2422a08a460d31505767436cc744d23dd806559f2a64507',
  '6fa3b58aa99d2f1a4fe39d460f70b5d7f3feea720a232b9861d55e0f16b501319ab5176b12d699585cb561c2db0aa7ca55dda21bd7cbcd56e679047021b19bb7',
  'f574dcac2bce2fc70a39fc286a3d843506f15e5f529c1f8bf2ea7514b1297b7bd3e20fe490359eb1c1c93a376062db09c2b6f443867adb31991e96f50aba0ab2',
  'ef1fdfb3e81566d2f948e1a05d71e4dd488e857e335c3c7d9d721cad685e353fa9d72c82ed03d675d8b71333935203be3453eaa193e837f1220cbebc84e3d12e',
  '4bea6bacad4747999a3f410c6ca923637f151c1f1686104a359e35d7800fffbdbfcd1747253af5a3dfff00b723271a167a56a27ea9ea63f5601758fd7c6cfe57',
  'ae4faeae1d3ad3d96fa4c33b7a3039c02d66c4f95142a46c187f9ab49af08ec6cffaa6b71c9ab7b40af21f66c2bec6b6bf71c57236904f35fa68407a46647d6e',
  'f4c70e16eeaac5ec51ac86febf240954399ec6c7e6bf87c9d3473e33197a93c90992abc52d822c3706476983284a05043517454ca23c4af38886564d3a14d493',
  '9b1f5b424d93c9a703e7aa020c6e41414eb7f8719c36de1e89b4443b4ddbc49af4892bcb929b069069d18d2bd1a5c42f36acc2355951a8d9a47f0dd4bf02e71e',
  '378f5a541631229b944c9ad8ec165fde3a7d3a1b258942243cd955b7e00d0984800a440bdbb2ceb17b2b8a9aa6079c540e38dc92cb1f2a607261445183235adb',
  'abbedea680056f52382ae548b2e4f3f38941e71cff8a78db1fffe18a1b3361039fe76702af69334b7a1e6c303b7652f43698fad1153bb6c374b4c7fb98459ced',
  '7bcd9ed0efc889fb3002c6cd635afe94d8fa6bbbebab076120018021148466798a1d71efea48b9caefbacd1d7d476e98dea2594ac06fd85d6bcaa4cd81f32d1b',
  '378ee767f11631bad21380b00449b17acda43c32bcdf1d77f82012d430219f9b5d80ef9d1891cc86e71da4aa88e12852faf417d5d9b21b9948bc924af11bd720',
];

/** Reads a 512-bit number written in RFC big-endian hex into the little-endian lo/hi word layout. */
function wordsFromRfcHex(hex: string): Uint32Array {
  const words = new Uint32Array(STATE_WORDS);
  for (let i = 0; i < STATE_WORDS; i++) {
    // 32-bit word i holds bits 32i…32i+31, which are hex digits counted from the right-hand end.
    const end = hex.length - 8 * i;
    words[i] = Number.parseInt(hex.slice(end - 8, end), 16);
  }
  return words;
}

const ROUND_CONSTANTS = ROUND_CONSTANTS_RFC_HEX.map(wordsFromRfcHex);
const ZERO = new Uint32Array(STATE_WORDS);

/**
 * The combined L∘P∘S transform as 8 tables of 256 64-bit entries (low and high halves apart).
 * After S and the byte transposition P, byte i of output word j is π′(byte j of input word i), and l is
 * linear, so output word j is the XOR over i of TABLE[i][byte j of input word i], where TABLE[i][x] is
 * l applied to a word holding π′(x) in byte i. Entry (i, x) sits at index 256·i + x.
 */
const [TABLE_LO, TABLE_HI] = buildTables();

function buildTables(): [Uint32Array, Uint32Array] {
  const rowLo = LINEAR_ROWS.map((row) => Number.parseInt(row.slice(8), 16));
  const rowHi = LINEAR_ROWS.map((row) => Number.parseInt(row.slice(0, 8), 16));
  const lo = new Uint32Array(8 * 256);
  const hi = new Uint32Array(8 * 256);
  for (let bytePosition = 0; bytePosition < 8; bytePosition++) {
    for (let x = 0; x < 256; x++) {
      const substituted = PI[x]!;
      let entryLo = 0;
      let entryHi = 0;
      for (let bit = 0; bit < 8; bit++) {
        if ((substituted >>> bit) & 1) {
          const row = 63 - (8 * bytePosition + bit);
          entryLo ^= rowLo[row]!;
          entryHi ^= rowHi[row]!;
        }
      }
      lo[256 * bytePosition + x] = entryLo;
      hi[256 * bytePosition + x] = entryHi;
    }
  }
  return [lo, hi];
}

/**
 * out = L(P(S(a ⊕ b))). `out` may alias `a` or `b`: every input word is read before any is written.
 * One call-free body on purpose: with a per-column helper, V8 sometimes declined to inline it, boxed its
 * arguments, and throughput fell by a third.
 */
function lpsXor(out: Uint32Array, a: Uint32Array, b: Uint32Array): void {
  const lo0 = a[0]! ^ b[0]!;
  const hi0 = a[1]! ^ b[1]!;
  const lo1 = a[2]! ^ b[2]!;
  const hi1 = a[3]! ^ b[3]!;
  const lo2 = a[4]! ^ b[4]!;
  const hi2 = a[5]! ^ b[5]!;
  const lo3 = a[6]! ^ b[6]!;
  const hi3 = a[7]! ^ b[7]!;
  const lo4 = a[8]! ^ b[8]!;
  const hi4 = a[9]! ^ b[9]!;
  const lo5 = a[10]! ^ b[10]!;
  const hi5 = a[11]! ^ b[11]!;
  const lo6 = a[12]! ^ b[12]!;
  const hi6 = a[13]! ^ b[13]!;
  const lo7 = a[14]! ^ b[14]!;
  const hi7 = a[15]! ^ b[15]!;
  // Output word c takes byte c of every input word's low half, output word c + 4 byte c of its high half.
  for (let c = 0; c < 4; c++) {
    const shift = 8 * c;
    const l0 = (lo0 >>> shift) & 0xff;
    const l1 = 0x100 | ((lo1 >>> shift) & 0xff);
    const l2 = 0x200 | ((lo2 >>> shift) & 0xff);
    const l3 = 0x300 | ((lo3 >>> shift) & 0xff);
    const l4 = 0x400 | ((lo4 >>> shift) & 0xff);
    const l5 = 0x500 | ((lo5 >>> shift) & 0xff);
    const l6 = 0x600 | ((lo6 >>> shift) & 0xff);
    const l7 = 0x700 | ((lo7 >>> shift) & 0xff);
    const h0 = (hi0 >>> shift) & 0xff;
    const h1 = 0x100 | ((hi1 >>> shift) & 0xff);
    const h2 = 0x200 | ((hi2 >>> shift) & 0xff);
    const h3 = 0x300 | ((hi3 >>> shift) & 0xff);
    const h4 = 0x400 | ((hi4 >>> shift) & 0xff);
    const h5 = 0x500 | ((hi5 >>> shift) & 0xff);
    const h6 = 0x600 | ((hi6 >>> shift) & 0xff);
    const h7 = 0x700 | ((hi7 >>> shift) & 0xff);
    out[2 * c] =
      TABLE_LO[l0]! ^
      TABLE_LO[l1]! ^
      TABLE_LO[l2]! ^
      TABLE_LO[l3]! ^
      TABLE_LO[l4]! ^
      TABLE_LO[l5]! ^
      TABLE_LO[l6]! ^
      TABLE_LO[l7]!;
    out[2 * c + 1] =
      TABLE_HI[l0]! ^
      TABLE_HI[l1]! ^
      TABLE_HI[l2]! ^
      TABLE_HI[l3]! ^
      TABLE_HI[l4]! ^
      TABLE_HI[l5]! ^
      TABLE_HI[l6]! ^
      TABLE_HI[l7]!;
    out[2 * c + 8] =
      TABLE_LO[h0]! ^
      TABLE_LO[h1]! ^
      TABLE_LO[h2]! ^
      TABLE_LO[h3]! ^
      TABLE_LO[h4]! ^
      TABLE_LO[h5]! ^
      TABLE_LO[h6]! ^
      TABLE_LO[h7]!;
    out[2 * c + 9] =
      TABLE_HI[h0]! ^
      TABLE_HI[h1]! ^
      TABLE_HI[h2]! ^
      TABLE_HI[h3]! ^
      TABLE_HI[h4]! ^
      TABLE_HI[h5]! ^
      TABLE_HI[h6]! ^
      TABLE_HI[h7]!;
  }
}

// Scratch for the compression function. It holds nothing between calls, and JavaScript runs one call at
// a time, so a single set serves every hash in flight without allocating per block.
const roundKey = new Uint32Array(STATE_WORDS);
const cipherState = new Uint32Array(STATE_WORDS);
const messageWords = new Uint32Array(STATE_WORDS);

/** h = g_N(h, m) = E(LPS(h ⊕ N), m) ⊕ h ⊕ m, where E is the 12-round cipher keyed from h ⊕ N. */
function compress(h: Uint32Array, counter: Uint32Array, message: Uint32Array): void {
  lpsXor(roundKey, h, counter);
  cipherState.set(message);
  for (let round = 0; round < 12; round++) {
    lpsXor(cipherState, roundKey, cipherState);
    lpsXor(roundKey, roundKey, ROUND_CONSTANTS[round]!);
  }
  for (let i = 0; i < STATE_WORDS; i++) {
    h[i] = h[i]! ^ roundKey[i]! ^ cipherState[i]! ^ message[i]!;
  }
}

/** sum = (sum + addend) mod 2^512. */
function add512(sum: Uint32Array, addend: Uint32Array): void {
  let carry = 0;
  for (let i = 0; i < STATE_WORDS; i++) {
    const total = sum[i]! + addend[i]! + carry;
    sum[i] = total;
    carry = total > 0xffffffff ? 1 : 0;
  }
}

/** counter = (counter + bits) mod 2^512, for 0 ≤ bits ≤ 512. */
function addToCounter(counter: Uint32Array, bits: number): void {
  let carry = bits;
  for (let i = 0; i < STATE_WORDS && carry !== 0; i++) {
    const total = counter[i]! + carry;
    counter[i] = total;
    carry = total > 0xffffffff ? 1 : 0;
  }
}

/** Loads 64 bytes at `offset` as the little-endian 512-bit number the standard works on. */
function loadBlock(words: Uint32Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < STATE_WORDS; i++) {
    const at = offset + 4 * i;
    words[i] = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
  }
}

export interface StreebogHash {
  /** Feeds more of the message; chunk boundaries do not affect the result. Returns this hash. */
  update(chunk: Uint8Array): StreebogHash;
  /** Finishes and returns the hash bytes (32 or 64) in wire order. Allowed once. */
  digest(): Uint8Array;
}

class Streebog implements StreebogHash {
  private readonly h = new Uint32Array(STATE_WORDS);
  /** N: message bits compressed so far. */
  private readonly counter = new Uint32Array(STATE_WORDS);
  /** Σ: sum mod 2^512 of the message blocks compressed so far. */
  private readonly checksum = new Uint32Array(STATE_WORDS);
  private readonly pending = new Uint8Array(BLOCK_BYTES);
  private pendingLength = 0;
  private finished = false;

  constructor(private readonly bits: 256 | 512) {
    if (bits !== 256 && bits !== 512) throw new RangeError(`Streebog: bits must be 256 or 512, not ${bits}`);
    // The 256-bit variant starts from 0x01 in every byte instead of zeros, and keeps half of h at the end.
    if (bits === 256) this.h.fill(0x01010101);
  }

  update(chunk: Uint8Array): StreebogHash {
    if (this.finished) throw new Error('Streebog: update() after digest()');
    let offset = 0;
    if (this.pendingLength > 0) {
      const taken = Math.min(BLOCK_BYTES - this.pendingLength, chunk.length);
      this.pending.set(chunk.subarray(0, taken), this.pendingLength);
      this.pendingLength += taken;
      offset = taken;
      if (this.pendingLength < BLOCK_BYTES) return this;
      this.absorb(this.pending, 0);
      this.pendingLength = 0;
    }
    // A full block is compressed at once: the standard pads a final block even when the message fills
    // its last block exactly, so there is never a reason to hold a full block back.
    for (; offset + BLOCK_BYTES <= chunk.length; offset += BLOCK_BYTES) {
      this.absorb(chunk, offset);
    }
    this.pending.set(chunk.subarray(offset), 0);
    this.pendingLength = chunk.length - offset;
    return this;
  }

  digest(): Uint8Array {
    if (this.finished) throw new Error('Streebog: digest() called twice');
    this.finished = true;

    // Pad the tail to a full block: message bytes, one 0x01 byte, then zeros.
    const tailBits = 8 * this.pendingLength;
    this.pending[this.pendingLength] = 0x01;
    this.pending.fill(0, this.pendingLength + 1);
    loadBlock(messageWords, this.pending, 0);
    compress(this.h, this.counter, messageWords);
    addToCounter(this.counter, tailBits);
    add512(this.checksum, messageWords);
    compress(this.h, ZERO, this.counter);
    compress(this.h, ZERO, this.checksum);

    // The 256-bit hash is the most significant half of h, i.e. its upper 32 bytes.
    const firstWord = this.bits === 256 ? STATE_WORDS / 2 : 0;
    const out = new Uint8Array(4 * (STATE_WORDS - firstWord));
    const view = new DataView(out.buffer);
    for (let i = firstWord; i < STATE_WORDS; i++) {
      view.setUint32(4 * (i - firstWord), this.h[i]!, true);
    }
    return out;
  }

  private absorb(bytes: Uint8Array, offset: number): void {
    loadBlock(messageWords, bytes, offset);
    compress(this.h, this.counter, messageWords);
    addToCounter(this.counter, 8 * BLOCK_BYTES);
    add512(this.checksum, messageWords);
  }
}

export function createStreebog(bits: 256 | 512): StreebogHash {
  return new Streebog(bits);
}

export function streebog256(data: Uint8Array): Uint8Array {
  return new Streebog(256).update(data).digest();
}

export function streebog512(data: Uint8Array): Uint8Array {
  return new Streebog(512).update(data).digest();
}
