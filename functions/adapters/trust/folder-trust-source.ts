import { emptyTrustList, type TrustList } from '../../domain/signatures/trust-list.ts';
import type { TrustSource } from '../../ports/trust-source.ts';
import { loadTrustList, type TrustPaths } from './load-trust-list.ts';

export interface FolderTrustSourceOptions {
  readonly paths: TrustPaths;
  /** What relative paths are relative to: the configuration file's folder. */
  readonly baseDir: string;
  /** CAs publish new CRLs every day or so; the folders are read again after this long. */
  readonly refreshMs?: number;
  readonly now?: () => number;
  readonly warn?: (line: string) => void;
}

/**
 * The trust folders of the configuration, read at start (a broken file stops the start, naming
 * it) and again every `refreshMs`. A reload that fails keeps the list it had and says so: an older
 * CRL is judged by its own nextUpdate, so nothing is trusted that should not be.
 */
export async function folderTrustSource(options: FolderTrustSourceOptions): Promise<TrustSource> {
  const {
    paths,
    baseDir,
    refreshMs = 5 * 60_000,
    now = Date.now,
    warn = (line) => console.warn(line),
  } = options;
  const nothingToRead = [paths.trust, paths.intermediates, paths.crl].every(
    (list) => (list ?? []).length === 0,
  );
  if (nothingToRead) return async () => emptyTrustList;
  let current: TrustList = await loadTrustList(paths, baseDir);
  let loadedAt = now();
  let reloading: Promise<void> | null = null;
  return async () => {
    if (now() - loadedAt >= refreshMs && reloading === null) {
      reloading = loadTrustList(paths, baseDir)
        .then(
          (list) => {
            current = list;
          },
          (error: Error) =>
            warn(
              JSON.stringify({
                level: 'warn',
                trust: 'reload failed, keeping the last list',
                message: error.message,
              }),
            ),
        )
        .finally(() => {
          loadedAt = now();
          reloading = null;
        });
      await reloading;
    }
    return current;
  };
}
