import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type GostCurve, gostCurveByOid } from '../functions/domain/signatures/gost-curves.ts';
import { readGostPrivateKeyInfo, readGostPublicKeyInfo } from '../functions/domain/signatures/gost-keys.ts';
import {
  encodeGostPublicKey,
  gostGenerateKey,
  gostSign,
  gostVerify,
} from '../functions/domain/signatures/gost3410.ts';
import type { Bench, BenchRow } from './result.ts';

/**
 * GOST R 34.10-2012 verification (functions/domain/signatures/gost3410.ts) on the OpenSSL-made
 * vectors of test/fixtures/signatures/gost: verifications per second for 256 and 512 bits, against
 * node:crypto's native ECDSA P-256 verify and against the npm package node-gost-crypto (the
 * rudonick/crypto code base that every npm GOST package forks), all on the same digests and
 * measured side by side in one run. Every timed call must verify, so no row counts a refusal.
 */

const folder = new URL('../test/fixtures/signatures/gost/', import.meta.url);
const NPM_PACKAGE = 'node-gost-crypto';
const NPM_VERSION = '1.0.2';

const ROUND_MS = 250;
const ROUNDS = 5;

interface Vector {
  readonly name: string;
  readonly privateKeyFile: string;
  readonly publicKeyFile: string;
  readonly signatureFile: string;
  readonly digestHex: string;
}

interface Contestant {
  readonly name: string;
  /** Calls to make before calibrating: JIT warm-up, and the first use of a curve's table. */
  readonly warmup: number;
  /** One verification of the i-th input (inputs taken in turn); false means it refused a valid signature. */
  readonly once: (i: number) => boolean;
}

function runCalls(contestant: Contestant, calls: number): number {
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    if (!contestant.once(i)) throw new Error(`${contestant.name}: a valid signature did not verify`);
  }
  return performance.now() - start;
}

/** Milliseconds per call for each: warm-up, calibration to ROUND_MS, then ROUNDS alternating rounds; the best counts. */
function millisecondsPerCall(contestants: readonly Contestant[]): number[] {
  const plans = contestants.map((contestant) => {
    runCalls(contestant, contestant.warmup);
    const probe = Math.max(3, Math.ceil(contestant.warmup / 4));
    const perCall = runCalls(contestant, probe) / probe;
    return { contestant, calls: Math.max(3, Math.ceil(ROUND_MS / perCall)), best: Number.POSITIVE_INFINITY };
  });
  for (let round = 0; round < ROUNDS; round++) {
    for (const plan of round % 2 === 0 ? plans : [...plans].reverse()) {
      plan.best = Math.min(plan.best, runCalls(plan.contestant, plan.calls) / plan.calls);
    }
  }
  return plans.map((plan) => plan.best);
}

interface GostInput {
  readonly curve: GostCurve;
  readonly parameterSetOid: string;
  readonly publicKey: Uint8Array;
  readonly digest: Uint8Array;
  readonly signature: Uint8Array;
  readonly privateKey: bigint;
}

function loadVectors(): GostInput[] {
  const read = (file: string) => new Uint8Array(readFileSync(new URL(file, folder)));
  const { vectors } = JSON.parse(readFileSync(new URL('vectors.json', folder), 'utf8')) as {
    vectors: Vector[];
  };
  return vectors.map((vector) => {
    const spki = readGostPublicKeyInfo(read(vector.publicKeyFile));
    const curve = gostCurveByOid(spki.parameterSetOid);
    if (curve === undefined) throw new Error(`${vector.name}: unknown parameter set`);
    return {
      curve,
      parameterSetOid: spki.parameterSetOid,
      publicKey: spki.publicKey,
      digest: new Uint8Array(Buffer.from(vector.digestHex, 'hex')),
      signature: read(vector.signatureFile),
      privateKey: readGostPrivateKeyInfo(read(vector.privateKeyFile)).privateKey,
    };
  });
}

const pick = <T>(items: readonly T[], i: number) => items[i % items.length] as T;

function ours(label: string, inputs: readonly GostInput[]): Contestant {
  return {
    name: label,
    warmup: 40,
    once: (i) => {
      const input = pick(inputs, i);
      return gostVerify({
        curve: input.curve,
        publicKey: input.publicKey,
        digest: input.digest,
        signature: input.signature,
      }).ok;
    },
  };
}

/**
 * Signatures by 100 keys, each met in turn: more keys than the verifier keeps tables for, so every
 * verification is of a key it has no table for, as the first signature of a new signer is.
 */
function newKeys(curve: GostCurve): GostInput[] {
  return Array.from({ length: 100 }, (_, i) => {
    const { privateKey, publicKey } = gostGenerateKey(curve);
    const digest = new Uint8Array(curve.bits / 8).fill(i + 1);
    const signature = gostSign({ curve, privateKey, digest });
    return {
      curve,
      parameterSetOid: '',
      publicKey: encodeGostPublicKey(curve, publicKey),
      digest,
      signature,
      privateKey,
    };
  });
}

function signer(label: string, inputs: readonly GostInput[]): Contestant {
  return {
    name: label,
    warmup: 40,
    once: (i) => {
      const input = pick(inputs, i);
      return gostSign({ curve: input.curve, privateKey: input.privateKey, digest: input.digest }).length > 0;
    },
  };
}

function nativeEcdsa(): Contestant {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const messages = Array.from({ length: 8 }, (_, i) =>
    Buffer.from(`docroute ECDSA P-256 bench message ${i}`),
  );
  const signatures = messages.map((message) => sign('sha256', message, privateKey));
  return {
    name: 'ECDSA P-256',
    warmup: 2000,
    once: (i) => verify('sha256', pick(messages, i), publicKey, pick(signatures, i)),
  };
}

/** The part of node-gost-crypto's engine used here (it ships no types). */
interface NpmGostEngine {
  getGostSign(algorithm: object): {
    verify(publicKey: ArrayBuffer, signature: ArrayBuffer, digest: ArrayBuffer): boolean;
  };
}

/**
 * node-gost-crypto's verifier for the same inputs, or why it cannot be had. It knows no OIDs and
 * lacks the twisted Edwards sets by name, so every curve is handed over as explicit parameters.
 * Its byte order: a digest given without a hash algorithm is read little-endian, as here; the
 * signature is r‖s little-endian, the exact byte reversal of the s‖r big-endian value.
 */
function npmContestant(label: string, inputs: readonly GostInput[]): Contestant | string {
  let engine: NpmGostEngine;
  try {
    engine = (createRequire(import.meta.url)(NPM_PACKAGE) as { gostEngine: NpmGostEngine }).gostEngine;
  } catch (error) {
    return `${NPM_PACKAGE} ${NPM_VERSION} not installed (${error instanceof Error ? error.message.split('\n')[0] : error})`;
  }
  const hex = (value: bigint) => value.toString(16);
  const arrayBuffer = (bytes: Uint8Array) => Uint8Array.from(bytes).buffer;
  const prepared = inputs.map((input) => {
    const { p, a, b, q, x, y, bits } = input.curve;
    return {
      signer: engine.getGostSign({
        name: 'GOST R 34.10',
        version: 2012,
        length: bits,
        curve: { p: hex(p), a: hex(a), b: hex(b), q: hex(q), x: hex(x), y: hex(y) },
      }),
      publicKey: arrayBuffer(input.publicKey),
      signature: arrayBuffer(Uint8Array.from(input.signature).reverse()),
      digest: arrayBuffer(input.digest),
    };
  });
  const once = (i: number) => {
    const item = pick(prepared, i);
    return item.signer.verify(item.publicKey, item.signature, item.digest);
  };
  const refused = prepared.findIndex((_, i) => !once(i));
  if (refused >= 0) return `${NPM_PACKAGE} ${NPM_VERSION} does not verify vector ${refused} (${label})`;
  return { name: `${NPM_PACKAGE} ${label}`, warmup: 4, once };
}

/** Milliseconds of the first verification on each curve: building the base point's table. */
function firstUse(inputs: readonly GostInput[]): number {
  const input = inputs[0] as GostInput;
  const start = performance.now();
  gostVerify({
    curve: input.curve,
    publicKey: input.publicKey,
    digest: input.digest,
    signature: input.signature,
  });
  return performance.now() - start;
}

const bench: Bench = async () => {
  const vectors = loadVectors();
  const gost256 = vectors.filter((v) => v.curve.bits === 256);
  const gost512 = vectors.filter((v) => v.curve.bits === 512);
  const firstUse256 = firstUse(gost256);
  const firstUse512 = firstUse(gost512);

  const npm256 = npmContestant('256', gost256);
  const npm512 = npmContestant('512', gost512);
  const fresh256 = newKeys(gost256[0]?.curve as GostCurve);
  const contestants = [
    ours('GOST 256', gost256),
    ours('GOST 512', gost512),
    ours('GOST 256 new keys', fresh256),
    nativeEcdsa(),
    signer('sign 256', gost256),
    signer('sign 512', gost512),
    ...[npm256, npm512].filter((c): c is Contestant => typeof c !== 'string'),
  ];
  const ms = millisecondsPerCall(contestants);
  const msOf = (name: string) => ms[contestants.findIndex((c) => c.name === name)] ?? Number.NaN;
  const [ours256, ours512, native] = [msOf('GOST 256'), msOf('GOST 512'), msOf('ECDSA P-256')];

  const rows: BenchRow[] = [
    {
      name: `gostVerify 256 bit (${gost256.length} parameter sets, keys met before)`,
      value: 1000 / ours256,
      unit: 'verify/s',
    },
    {
      name: `gostVerify 512 bit (${gost512.length} parameter sets, keys met before)`,
      value: 1000 / ours512,
      unit: 'verify/s',
    },
    {
      name: 'gostVerify 256 bit, each key met for the first time',
      value: 1000 / msOf('GOST 256 new keys'),
      unit: 'verify/s',
    },
    {
      name: 'node:crypto ECDSA P-256 verify (native)',
      value: 1000 / native,
      unit: 'verify/s',
    },
    {
      name: 'gostVerify 256 time / ECDSA P-256 time',
      value: ours256 / native,
      unit: 'x',
      target: '<= 30',
    },
    { name: 'gostVerify 512 time / ECDSA P-256 time', value: ours512 / native, unit: 'x' },
    {
      name: 'gostVerify 256 (a key met for the first time) / ECDSA P-256',
      value: msOf('GOST 256 new keys') / native,
      unit: 'x',
      target: '<= 30',
    },
  ];
  for (const [label, npm, oursMs] of [
    ['256', npm256, ours256],
    ['512', npm512, ours512],
  ] as const) {
    if (typeof npm === 'string') {
      rows.push({ name: `npm GOST verify ${label}: ${npm}`, value: Number.NaN, unit: 'n/a' });
      continue;
    }
    const npmMs = msOf(npm.name);
    rows.push(
      {
        name: `${NPM_PACKAGE} ${NPM_VERSION} verify ${label} bit`,
        value: 1000 / npmMs,
        unit: 'verify/s',
      },
      {
        name: `gostVerify ${label} speed / ${NPM_PACKAGE} speed`,
        value: npmMs / oursMs,
        unit: 'x',
        target: '>= 20',
      },
    );
  }
  rows.push(
    { name: 'gostSign 256 bit', value: 1000 / msOf('sign 256'), unit: 'sign/s' },
    { name: 'gostSign 512 bit', value: 1000 / msOf('sign 512'), unit: 'sign/s' },
    { name: 'first gostVerify 256 (builds the base-point table)', value: firstUse256, unit: 'ms' },
    { name: 'first gostVerify 512 (builds the base-point table)', value: firstUse512, unit: 'ms' },
  );
  return rows;
};

export default bench;
