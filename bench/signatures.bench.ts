import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeInput, readCertificate, readSignedData } from '../functions/domain/signatures/index.ts';
import type { Bench, BenchRow } from './result.ts';

const folder = new URL('../test/fixtures/signatures/generated/', import.meta.url);

interface Manifest {
  readonly certificates: readonly { readonly file: string; readonly algorithm: string }[];
  readonly signatures: readonly {
    readonly file: string;
    readonly certificate: string;
    readonly encoding: string;
    readonly attached: boolean;
  }[];
}

const WARMUP_CALLS = 3000;
const CALIBRATION_CALLS = 500;
const ROUND_MS = 200;
const ROUNDS = 5;

/** Something the optimiser cannot prove unused, so no parse is thrown away as dead code. */
let sink = 0;

interface Contestant {
  readonly name: string;
  /** The inputs; each call handles one, in turn, so every input weighs the same. */
  readonly inputs: readonly Uint8Array[];
  readonly once: (input: Uint8Array) => void;
}

function runCalls(contestant: Contestant, calls: number): number {
  const { inputs, once } = contestant;
  const start = performance.now();
  for (let i = 0; i < calls; i++) once(inputs[i % inputs.length] as Uint8Array);
  return performance.now() - start;
}

/**
 * Microseconds per call for each contestant: warm-up, then calibration to ~ROUND_MS per round, then
 * ROUNDS rounds in which the contestants take turns, so machine noise falls on all of them alike.
 * The best round of each counts: it is the one least disturbed by the machine.
 */
function microsecondsPerCall(contestants: readonly Contestant[]): number[] {
  const plans = contestants.map((contestant) => {
    runCalls(contestant, WARMUP_CALLS);
    const perCallMs = runCalls(contestant, CALIBRATION_CALLS) / CALIBRATION_CALLS;
    const n = contestant.inputs.length;
    const calls = Math.max(n, Math.ceil(ROUND_MS / perCallMs / n) * n);
    return { contestant, calls, bestMs: Number.POSITIVE_INFINITY };
  });
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first, too: the second runner may inherit the first's garbage.
    const order = round % 2 === 0 ? plans : [...plans].reverse();
    for (const plan of order) {
      plan.bestMs = Math.min(plan.bestMs, runCalls(plan.contestant, plan.calls) / plan.calls);
    }
  }
  return plans.map((plan) => plan.bestMs * 1000);
}

const ours = (inputs: readonly Uint8Array[]): Contestant => ({
  name: 'readCertificate',
  inputs,
  once: (der) => {
    const c = readCertificate(der);
    sink +=
      c.serial.length +
      c.subject.attributes.length +
      c.issuer.attributes.length +
      c.notBefore.getTime() +
      c.notAfter.getTime() +
      c.thumbprint.length;
  },
});

/** Reads the fields readCertificate gives us, so Node's lazy field decoding is paid for too. */
const native = (inputs: readonly Uint8Array[]): Contestant => ({
  name: 'X509Certificate',
  inputs,
  once: (der) => {
    const x = new X509Certificate(der);
    sink +=
      x.serialNumber.length +
      x.subject.length +
      x.issuer.length +
      x.validFrom.length +
      x.validTo.length +
      x.fingerprint.length;
  },
});

const readSigned: Contestant['once'] = (bytes) => {
  const signed = readSignedData(bytes);
  sink += signed.certificates.length + signed.signers.length;
};

function certificateRows(label: string, ders: readonly Uint8Array[]): BenchRow[] {
  const [ourUs, nativeUs] = microsecondsPerCall([ours(ders), native(ders)]) as [number, number];
  const what = `${label} certificates, ${ders.length} files`;
  return [
    { name: `readCertificate, ${what}`, value: ourUs, unit: 'µs/cert' },
    { name: `X509Certificate + fields, ${what}`, value: nativeUs, unit: 'µs/cert' },
    {
      name: `readCertificate / X509Certificate, ${label}`,
      value: ourUs / nativeUs,
      unit: 'x',
      target: '<= 0.5',
    },
  ];
}

/**
 * Certificate parsing by readCertificate against Node's native X509Certificate on the same DER bytes,
 * GOST and RSA apart; then readSignedData on the detached generated signatures, DER and BER.
 */
const bench: Bench = async () => {
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', folder), 'utf8')) as Manifest;
  const read = (file: string) => new Uint8Array(readFileSync(new URL(file, folder)));
  const familyOf = new Map(
    manifest.certificates.map((c) => [c.file, c.algorithm.startsWith('gost') ? 'GOST' : c.algorithm]),
  );

  // PEM is decoded once here, so both parsers get the same DER bytes and neither pays for base64.
  const certificateDers = (prefix: string) =>
    [...new Set(manifest.certificates.map((c) => c.file))]
      .filter((file) => file.startsWith(prefix) && file.includes('.cert'))
      .sort()
      .map((file) => decodeInput(read(file), 'certificate').der);
  const gost = certificateDers('gost');
  const rsa = certificateDers('rsa');
  if (gost.length === 0 || rsa.length === 0) throw new Error('no generated certificates found');

  const groups = new Map<string, Uint8Array[]>();
  const seen = new Set<string>();
  for (const signature of manifest.signatures) {
    const family = familyOf.get(signature.certificate);
    if (signature.attached || seen.has(signature.file) || (family !== 'GOST' && !family?.startsWith('rsa'))) {
      continue;
    }
    seen.add(signature.file);
    const key = `${family === 'GOST' ? 'GOST' : 'RSA'} ${signature.encoding === 'der' ? 'DER' : 'BER-indefinite'}`;
    groups.set(key, [...(groups.get(key) ?? []), read(signature.file)]);
  }
  const signatureGroups = [...groups].sort(([a], [b]) => a.localeCompare(b));
  const signatureUs = microsecondsPerCall(
    signatureGroups.map(([key, inputs]) => ({ name: key, inputs, once: readSigned })),
  );

  const rows = [
    ...certificateRows('GOST', gost),
    ...certificateRows('RSA', rsa),
    ...signatureGroups.map(([key, inputs], i) => ({
      name: `readSignedData, detached ${key}, ${inputs.length} files`,
      value: signatureUs[i] ?? Number.NaN,
      unit: 'µs/sig',
    })),
  ];
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the parsed results alive');
  return rows;
};

export default bench;
