import { dirname } from 'node:path';
import { ConfigFileError, loadConfig } from '../functions/adapters/config/load-config.ts';
import type { Config } from '../functions/domain/config.ts';
import { projectRoot, settingsFrom } from '../infra/local/settings.ts';
import { type LocalStack, startLocalStack } from '../infra/local/stack.ts';
import { StartupError } from '../infra/local/startup-error.ts';
import { type CliIo, UsageError } from './io.ts';

/** The service's settings and configuration, as `npm start` reads them; a problem is a usage error. */
export async function serviceConfig(io: CliIo) {
  const settings = (() => {
    try {
      return settingsFrom(io.env, projectRoot);
    } catch (error) {
      throw error instanceof ConfigFileError ? new UsageError(error.message) : error;
    }
  })();
  const config = await loadConfig(settings.configPath).catch((error: unknown) => {
    throw error instanceof ConfigFileError ? new UsageError(error.message) : error;
  });
  return { settings, config };
}

/**
 * Runs `work` on the embedded stack over the service's data directory (DOCROUTE_DATA_DIR), with no
 * schedule, and stops it after. While the service itself runs, the directory is its own: the command
 * says so, with `whenBusy` (where to go instead), and exits 2.
 */
export async function withDataDirStack<T>(
  io: CliIo,
  whenBusy: string,
  work: (stack: LocalStack, context: Awaited<ReturnType<typeof serviceConfig>>) => Promise<T>,
  loaded?: { readonly config: Config },
): Promise<T> {
  const context = await serviceConfig(io);
  const config = loaded?.config ?? context.config;
  const stack = await startLocalStack({
    dataDir: context.settings.dataDir,
    config,
    configDir: dirname(context.settings.configPath),
    port: 0,
    schedule: false,
    ...(context.settings.smtpUrl === undefined ? {} : { smtpUrl: context.settings.smtpUrl }),
    stores: context.settings.stores,
  }).catch((error: unknown) => {
    throw error instanceof StartupError ? new UsageError(`${error.message} (${whenBusy})`) : error;
  });
  try {
    return await work(stack, { ...context, config });
  } finally {
    await stack.stop();
  }
}
