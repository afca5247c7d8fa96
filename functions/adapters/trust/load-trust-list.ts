/**
 * Reads the office's trust material from disk: files or folders of CA certificates (.cer, .crt,
 * .pem, .der) and of CRLs (.crl, .pem, .der). A folder is read one level deep, in name order; a
 * file named outright is read whatever its extension. Anything unreadable stops the load with a
 * TrustFileError naming the file, so a broken trust list is never half-used in silence.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { UnreadableInputError } from '../../domain/errors.ts';
import { type TrustFile, type TrustList, trustListFrom } from '../../domain/signatures/trust-list.ts';

export class TrustFileError extends Error {
  override readonly name = 'TrustFileError';
}

export interface TrustPaths {
  /** Trust anchors: the accredited CAs' certificates. */
  readonly trust?: readonly string[];
  /** Untrusted CA certificates that may complete a chain. */
  readonly intermediates?: readonly string[];
  readonly crl?: readonly string[];
}

const certificateExtensions = new Set(['.cer', '.crt', '.pem', '.der']);
const crlExtensions = new Set(['.crl', '.pem', '.der']);

/** Paths are resolved against `baseDir` (the working directory, or the configuration's folder). */
export async function loadTrustList(paths: TrustPaths, baseDir: string): Promise<TrustList> {
  const read = (list: readonly string[] | undefined, extensions: ReadonlySet<string>) =>
    readAll(
      (list ?? []).map((path) => resolve(baseDir, path)),
      extensions,
    );
  const files = {
    anchors: await read(paths.trust, certificateExtensions),
    intermediates: await read(paths.intermediates, certificateExtensions),
    crls: await read(paths.crl, crlExtensions),
  };
  try {
    return trustListFrom(files);
  } catch (error) {
    if (error instanceof UnreadableInputError) throw new TrustFileError(error.message, { cause: error });
    throw error;
  }
}

async function readAll(paths: readonly string[], extensions: ReadonlySet<string>): Promise<TrustFile[]> {
  const files: TrustFile[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new TrustFileError(`${path}: ${problemOf(error)}`);
    });
    const names = info.isDirectory()
      ? (await readdir(path)).filter((name) => extensions.has(extname(name).toLowerCase())).sort()
      : [null];
    for (const name of names) {
      const file = name === null ? path : join(path, name);
      const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
        throw new TrustFileError(`${file}: ${problemOf(error)}`);
      });
      files.push({ name: file, bytes: new Uint8Array(bytes) });
    }
  }
  return files;
}

function problemOf(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'нет такого файла или каталога';
    case 'EACCES':
      return 'нет доступа';
    case 'EISDIR':
      return 'это каталог, а не файл';
    default:
      return String(error.code ?? error.message);
  }
}
