import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Duration, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import defaultConfig from '../../docroute.config.json' with { type: 'json' };
import { parseConfig } from '../../functions/domain/config.ts';
import { type WorkflowRegistration, workflows } from '../../workflows/registry.ts';
import { importedArns, StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';
import type { FunctionAccess } from './task-access.ts';

/** What a test may put in place of the project's own tables (the deployment always uses those). */
export interface BuildOverrides {
  readonly workflows?: readonly WorkflowRegistration[];
  readonly taskAccess?: Readonly<Record<string, FunctionAccess>>;
}

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The CDK context value (`-c alarmEmail=ops@example.org`) that subscribes an address to the alarms. */
export const alarmEmailContextKey = 'alarmEmail';

/**
 * Behaviours the stacks rely on, set here rather than in cdk.json so that tests, `npm run synth`
 * and the CDK CLI synthesize the same template.
 */
const featureFlags = {
  // S3 writes server access logs under a bucket policy, not an ACL (ACLs stay disabled everywhere).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // The stateless stack reads the stateful one's exports; a producer keeps them while they are used.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

/**
 * The whole AWS deployment: stores that persist, and the compute that can be replaced at will.
 * cdk-nag's AWS Solutions checks run on every synthesis: an unacknowledged finding fails it.
 */
export function buildApp(props: AppProps = {}, overrides: BuildOverrides = {}) {
  const app = new App({ ...props, context: { ...featureFlags, ...props.context } });
  // Acknowledgements go into the template's metadata too, where a reviewer reads them beside the resource.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  const config = parseConfig(defaultConfig);
  const stateful = new StatefulStack(app, 'DocrouteStateful', {
    archiveRetention: Duration.days(config.archiveRetentionYears * 365),
  });
  const alarmEmail: unknown = app.node.tryGetContext(alarmEmailContextKey);
  const stateless = new StatelessStack(app, 'DocrouteStateless', {
    projectRoot,
    workflows: overrides.workflows ?? workflows,
    ...(overrides.taskAccess === undefined ? {} : { taskAccess: overrides.taskAccess }),
    tables: stateful.tables,
    archive: stateful.archive,
    cache: stateful.cache,
    arns: importedArns(),
    users: stateful.users,
    timeZone: config.timeZone,
    remindersAt: config.reminders.at,
    mailFrom: config.mail.from ?? config.organization.email,
    alarmEmail: typeof alarmEmail === 'string' ? alarmEmail : undefined,
  });
  // The policies name the stateful stack's resources by export name, which CDK cannot see as a reference.
  stateless.addStackDependency(stateful);
  return { app, stateful, stateless };
}
