/**
 * The office's trust list: the CA certificates it trusts (trust anchors: accredited CAs' roots and
 * intermediates), other CA certificates that may complete a chain, and the CRLs it holds. Built
 * from files' bytes; reading folders is the adapter's job (adapters/trust).
 */
import { UnreadableInputError } from '../errors.ts';
import { type Certificate, readCertificate } from './certificate.ts';
import { type Crl, readCrl } from './crl.ts';

export interface TrustList {
  readonly anchors: readonly Certificate[];
  /** Untrusted CA certificates that may link a signer to an anchor (like the CMS's own). */
  readonly intermediates: readonly Certificate[];
  readonly crls: readonly Crl[];
}

export const emptyTrustList: TrustList = { anchors: [], intermediates: [], crls: [] };

/** One file's name (as the person gave it) and bytes. */
export interface TrustFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface TrustFiles {
  readonly anchors?: readonly TrustFile[];
  readonly intermediates?: readonly TrustFile[];
  readonly crls?: readonly TrustFile[];
}

/** Reads every file; the first that is not what it should be throws, naming the file and why. */
export function trustListFrom(files: TrustFiles): TrustList {
  return {
    anchors: (files.anchors ?? []).flatMap(readCertificateFile),
    intermediates: (files.intermediates ?? []).flatMap(readCertificateFile),
    crls: (files.crls ?? []).flatMap(readCrlFile),
  };
}

/** The certificates in one file: DER, base64 or PEM, where a PEM file may hold a bundle of several. */
export function readCertificateFile(file: TrustFile): Certificate[] {
  return pemBlocksOf(file.bytes).map((bytes) => explained(file, 'сертификат', () => readCertificate(bytes)));
}

/** The CRLs in one file, DER or PEM (one or several blocks). */
export function readCrlFile(file: TrustFile): Crl[] {
  return pemBlocksOf(file.bytes).map((bytes) =>
    explained(file, 'список отозванных сертификатов', () => readCrl(bytes, file.name)),
  );
}

/** The file's bytes split at PEM blocks, so that the readers (one block each) read bundles too. */
function pemBlocksOf(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1');
  const blocks = text.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/g);
  if (blocks === null || blocks.length < 2) return [bytes];
  return blocks.map((block) => new Uint8Array(Buffer.from(`${block}\n`, 'latin1')));
}

function explained<T>(file: TrustFile, expected: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof UnreadableInputError)) throw error;
    throw new UnreadableInputError(`${file.name}: ожидался ${expected}: ${error.message}`, { cause: error });
  }
}
