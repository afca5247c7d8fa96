import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { folderTrustSource } from '../../adapters/trust/folder-trust-source.ts';
import type { Config } from '../../domain/config.ts';
import type { TrustSource } from '../../ports/trust-source.ts';
import { config } from './config.ts';
import { besideBundle, carriedFolders, type DepFactory, once } from './factory.ts';

/** Where docroute.config.json lies in the sources: its `trust` and `crl` are relative to it. */
const configDir = fileURLToPath(new URL('../../../', import.meta.url));

/** The folder the function carries for this setting, else the configuration's own (running from the sources). */
function folderOf(carried: string, configured: string): string {
  const beside = fileURLToPath(besideBundle(carried));
  return existsSync(beside) ? beside : resolve(configDir, configured);
}

/**
 * The configuration's `trust` and `crl` folders, as the local stack reads them: loaded at start (a
 * broken or missing file fails the start, naming it) and again every five minutes. A configuration
 * that names neither keeps the empty list, so every signature is refused with the reason that no
 * trusted chain vouches for it.
 */
export function lambdaTrustSource(settings: Pick<Config, 'trust' | 'crl'>): Promise<TrustSource> {
  return folderTrustSource({
    paths: {
      ...(settings.trust === undefined ? {} : { trust: [folderOf(carriedFolders.trust, settings.trust)] }),
      ...(settings.crl === undefined ? {} : { crl: [folderOf(carriedFolders.crl, settings.crl)] }),
    },
    baseDir: configDir,
  });
}

export const trust: DepFactory<'trust'> = once(async () => lambdaTrustSource(await config()));
