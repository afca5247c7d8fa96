import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps } from 'aws-cdk-lib';
import { workflows } from '../../workflows/registry.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The whole AWS deployment: stores that persist, and the compute that can be replaced at will. */
export function buildApp(props: AppProps = {}) {
  const app = new App(props);
  const stateful = new StatefulStack(app, 'DocrouteStateful');
  const stateless = new StatelessStack(app, 'DocrouteStateless', {
    projectRoot,
    workflows,
    tables: stateful.tables,
    archive: stateful.archive,
    cache: stateful.cache,
    tokenSecret: stateful.tokenSecret,
  });
  return { app, stateful, stateless };
}
