/** What `keygen`, `issue`, `crl` and `sign` share: reading keys and certificates, times, writing files. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodeInput } from '../../functions/domain/signatures/input.ts';
import {
  type CertificateIssuer,
  issuerOf,
  keyMatchesCertificate,
} from '../../functions/domain/signatures/issue-certificate.ts';
import { readSigningKey, type SigningKey } from '../../functions/domain/signatures/signing-key.ts';
import { type CliIo, UsageError } from '../io.ts';
import { readInputFile, readOrExplain } from './verify.ts';

export async function readKeyFile(io: CliIo, path: string): Promise<SigningKey> {
  return readOrExplain(path, await readInputFile(io, path), readSigningKey);
}

/** A certificate file (PEM, DER or base64) as DER. */
export async function readCertificateFile(io: CliIo, path: string): Promise<Uint8Array> {
  return readOrExplain(path, await readInputFile(io, path), (bytes) => decodeInput(bytes, 'certificate').der);
}

const isoInstant = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** An ISO 8601 instant with its zone (2021-12-23T12:00:00+03:00), or a date, read as midnight UTC. */
export function instantOption(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const instant = isoInstant.test(value)
    ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value)
    : null;
  if (instant === null || Number.isNaN(instant.getTime()))
    throw new UsageError(
      `${name}: must be an ISO 8601 time with its zone (2021-12-23T12:00:00+03:00) or a date`,
    );
  return instant;
}

/** The key, if it is the one the certificate names; otherwise the user is told so. */
export function ensureKeyMatches(
  key: SigningKey,
  keyPath: string,
  certificate: Uint8Array,
  certificatePath: string,
) {
  if (!keyMatchesCertificate(key, certificate))
    throw new UsageError(`${keyPath}: this key does not match the certificate ${certificatePath}`);
}

/** The CA that --ca-key and --ca-cert name, its key checked against its certificate. */
export async function readCaIssuer(
  io: CliIo,
  values: { readonly 'ca-key'?: string | undefined; readonly 'ca-cert'?: string | undefined },
): Promise<CertificateIssuer> {
  const keyPath = requiredOption('--ca-key', values['ca-key']);
  const certificatePath = requiredOption('--ca-cert', values['ca-cert']);
  const key = await readKeyFile(io, keyPath);
  const certificate = await readCertificateFile(io, certificatePath);
  ensureKeyMatches(key, keyPath, certificate, certificatePath);
  return issuerOf(certificate, key);
}

export function requiredOption<T>(name: string, value: T | undefined): T {
  if (value === undefined) throw new UsageError(`${name} is required`);
  return value;
}

/** Writes a file; a private key is never written over an existing file, and only its owner may read it. */
export async function writeOutput(io: CliIo, path: string, content: string | Uint8Array, secret = false) {
  try {
    await writeFile(resolve(io.cwd, path), content, secret ? { flag: 'wx', mode: 0o600 } : {});
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${path}: already exists; a key is never overwritten`);
    throw new UsageError(`${path}: cannot write (${String(code ?? error)})`);
  }
}
