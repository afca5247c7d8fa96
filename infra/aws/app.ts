import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Duration } from 'aws-cdk-lib';
import defaultConfig from '../../docroute.config.json' with { type: 'json' };
import { parseConfig } from '../../functions/domain/config.ts';
import { workflows } from '../../workflows/registry.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The whole AWS deployment: stores that persist, and the compute that can be replaced at will. */
export function buildApp(props: AppProps = {}) {
  const app = new App(props);
  const config = parseConfig(defaultConfig);
  const stateful = new StatefulStack(app, 'DocrouteStateful', {
    archiveRetention: Duration.days(config.archiveRetentionYears * 365),
  });
  const stateless = new StatelessStack(app, 'DocrouteStateless', {
    projectRoot,
    workflows,
    tables: stateful.tables,
    archive: stateful.archive,
    cache: stateful.cache,
    tokenSecret: stateful.tokenSecret,
    timeZone: config.timeZone,
    remindersAt: config.reminders.at,
  });
  return { app, stateful, stateless };
}
