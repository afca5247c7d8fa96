import { parseArgs } from 'node:util';
import { isRole, issueToken, roles } from '../../functions/api/auth.ts';
import { projectRoot, settingsFrom } from '../../infra/local/settings.ts';
import { existingTokenSecret, tokenSecretPath } from '../../infra/local/token-secret.ts';
import { type CliIo, type Command, UsageError } from '../io.ts';

/**
 * `docroute token --role clerk [--sub name] [--ttl hours]`: a token for the local API, signed with
 * the secret the running service made (infra/local/token-secret.ts). It never makes a secret of its
 * own: tokens signed with one the service does not have would only get 401.
 */
export const token: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '12' },
    },
  });
  if (!isRole(values.role)) throw new UsageError(`--role must be one of: ${roles.join(', ')}`);
  const hours = Number(values.ttl);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 366)
    throw new UsageError('--ttl must be a number of hours, up to 8784');
  const secret = await serviceTokenSecret(serviceDataDir(io.env));
  io.out(
    await issueToken(
      secret,
      { sub: values.sub ?? `local-${values.role}`, role: values.role, ttlSeconds: Math.round(hours * 3600) },
      new Date(),
    ),
  );
  return 0;
};

/**
 * The data directory of `npm start`. npm runs scripts in the project root, so the service resolves
 * DOCROUTE_DATA_DIR (default `.docroute`) there, wherever the command is typed; so does this.
 * Only DOCROUTE_DATA_DIR is passed on: a bad PORT is no reason to refuse a token.
 */
export function serviceDataDir(env: CliIo['env']): string {
  const dataDirOnly =
    env['DOCROUTE_DATA_DIR'] === undefined ? {} : { DOCROUTE_DATA_DIR: env['DOCROUTE_DATA_DIR'] };
  return settingsFrom(dataDirOnly, projectRoot).dataDir;
}

/** Reads the secret the service keeps in its data directory; never makes one. */
async function serviceTokenSecret(dataDir: string): Promise<string> {
  const secret = await existingTokenSecret(dataDir).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${tokenSecretPath(dataDir)}: ${String(error.code ?? error.message)}`);
  });
  if (secret === null) {
    throw new UsageError(
      `no token secret in ${dataDir}: run \`npm start\` first (it makes one there), or set DOCROUTE_DATA_DIR to the data directory of the running service`,
    );
  }
  return secret;
}
