import './polyfills.ts';
import { ConfigFileError } from '../../functions/adapters/config/load-config.ts';
import { runLocalService } from './service.ts';
import { settingsFrom } from './settings.ts';
import { StartupError } from './startup-error.ts';

try {
  await runLocalService(settingsFrom(process.env, process.cwd()), (line) => console.log(line));
} catch (error) {
  if (!(error instanceof ConfigFileError || error instanceof StartupError)) throw error;
  console.error(`docroute: ${error.message}`);
  process.exit(2);
}
