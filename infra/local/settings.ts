import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigFileError } from '../../functions/adapters/config/load-config.ts';

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface ServiceSettings {
  readonly port: number;
  readonly dataDir: string;
  readonly configPath: string;
}

/** Reads PORT, DOCROUTE_DATA_DIR and DOCROUTE_CONFIG, with the defaults the README promises. */
export function settingsFrom(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): ServiceSettings {
  const port = Number(env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65533) {
    throw new ConfigFileError(`PORT: must be a port number from 0 to 65533, got '${env['PORT']}'`);
  }
  return {
    port,
    dataDir: resolve(cwd, env['DOCROUTE_DATA_DIR'] ?? '.docroute'),
    configPath: resolve(cwd, env['DOCROUTE_CONFIG'] ?? resolve(projectRoot, 'docroute.config.json')),
  };
}
