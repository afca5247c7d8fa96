import { ConfigFileError } from '../../functions/adapters/config/load-config.ts';
import { runLocalService } from '../../infra/local/service.ts';
import { projectRoot, settingsFrom } from '../../infra/local/settings.ts';
import { StartupError } from '../../infra/local/startup-error.ts';
import { type Command, UsageError } from '../io.ts';

/**
 * `docroute serve`: the same as `npm start`, wherever it is typed: npm runs scripts in the project
 * root, so relative paths (DOCROUTE_DATA_DIR, DOCROUTE_CONFIG) are taken from there, as `docroute
 * token` takes them. Returns only when the service stops.
 */
export const serve: Command = async (args, io) => {
  if (args.length > 0)
    throw new UsageError('takes no arguments; set PORT, DOCROUTE_DATA_DIR or DOCROUTE_CONFIG');
  try {
    await runLocalService(settingsFrom(io.env, projectRoot), io.out);
  } catch (error) {
    if (error instanceof ConfigFileError || error instanceof StartupError)
      throw new UsageError(error.message);
    throw error;
  }
  await new Promise(() => {});
  return 0;
};
