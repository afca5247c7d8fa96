import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigFileError } from '../../functions/adapters/config/load-config.ts';
import { type StoreSettings, storeSettingsFrom } from './external-stores.ts';

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface ServiceSettings {
  readonly port: number;
  readonly dataDir: string;
  readonly configPath: string;
  /** Caps the workflows' time limits (DOCROUTE_WORKFLOW_TIME_LIMIT_SECONDS); leases follow. */
  readonly timeLimitSeconds?: number;
  /** An SMTP server for notifications (DOCROUTE_SMTP_URL), besides the outbox folder. */
  readonly smtpUrl?: string;
  /** External DynamoDB and S3 (DOCROUTE_DYNAMODB_ENDPOINT, DOCROUTE_S3_ENDPOINT) and the names' prefix. */
  readonly stores: StoreSettings;
}

/**
 * Reads PORT, DOCROUTE_DATA_DIR, DOCROUTE_CONFIG, DOCROUTE_SMTP_URL and the external stores'
 * variables, with the defaults the README promises.
 */
export function settingsFrom(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): ServiceSettings {
  const port = Number(env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65533) {
    throw new ConfigFileError(`PORT: must be a port number from 0 to 65533, got '${env['PORT']}'`);
  }
  const limit = env['DOCROUTE_WORKFLOW_TIME_LIMIT_SECONDS'];
  const timeLimitSeconds = limit === undefined ? undefined : Number(limit);
  if (timeLimitSeconds !== undefined && !(Number.isInteger(timeLimitSeconds) && timeLimitSeconds >= 1)) {
    throw new ConfigFileError(
      `DOCROUTE_WORKFLOW_TIME_LIMIT_SECONDS: must be a whole number of seconds, at least 1, got '${limit}'`,
    );
  }
  const smtpUrl = env['DOCROUTE_SMTP_URL'];
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl))
    throw new ConfigFileError(
      `DOCROUTE_SMTP_URL: must be smtp://host:port or smtps://user:password@host:port, got '${smtpUrl}'`,
    );
  const stores = storeSettingsFrom(env);
  return {
    ...(timeLimitSeconds === undefined ? {} : { timeLimitSeconds }),
    stores,
    ...(smtpUrl === undefined ? {} : { smtpUrl }),
    port,
    dataDir: resolve(cwd, env['DOCROUTE_DATA_DIR'] ?? '.docroute'),
    configPath: resolve(cwd, env['DOCROUTE_CONFIG'] ?? resolve(projectRoot, 'docroute.config.json')),
  };
}
