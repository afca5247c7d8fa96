import { parseArgs } from 'node:util';
import { isRole, issueToken, roles } from '../../functions/api/auth.ts';
import { settingsFrom } from '../../infra/local/settings.ts';
import { localTokenSecret } from '../../infra/local/token-secret.ts';
import { type Command, UsageError } from '../io.ts';

/** `docroute token --role clerk [--sub name] [--ttl hours]`: a token for the local API. */
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
  const { dataDir } = settingsFrom(io.env, io.cwd);
  const secret = await localTokenSecret(dataDir);
  io.out(
    await issueToken(
      secret,
      { sub: values.sub ?? `local-${values.role}`, role: values.role, ttlSeconds: Math.round(hours * 3600) },
      new Date(),
    ),
  );
  return 0;
};
