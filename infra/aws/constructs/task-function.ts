import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { assetCopyCommands, type BundleAsset, esmRequireBanner, lambdaBundling } from '../bundle-options.ts';

export { esmRequireBanner };

export interface TaskFunctionProps {
  /** Path of the handler file relative to the project root; it exports `handler`. */
  readonly entry: string;
  readonly projectRoot: string;
  readonly environment: Readonly<Record<string, string>>;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * Files and folders the function reads at run time, relative to the project root
   * (`node_modules/@scope/pkg/file.ttf`, `calendar`), copied next to the bundle under their last
   * name, or under `as` (the configuration's trust folder as `trust`). @default none
   */
  readonly assets?: readonly BundleAsset[];
}

/** A Node.js function bundled from a TypeScript handler with esbuild, the way every docroute function is built. */
export class TaskFunction extends Construct {
  readonly function: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    super(scope, id);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(props.projectRoot, props.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      // The bundle targets Node 22 syntax, so it runs on 24 (here), 22, and 20 locally.
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      tracing: lambda.Tracing.ACTIVE,
      logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR }),
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: lambdaBundling.target,
        sourceMap: lambdaBundling.sourceMap,
        minify: lambdaBundling.minify,
        // Empty: each bundle carries its own pinned SDK clients (why: bundle-options.ts).
        externalModules: [...lambdaBundling.externalModules],
        forceDockerBundling: false,
        banner: lambdaBundling.banner,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => assetCopyCommands(inputDir, outputDir, props.assets ?? []),
        },
      },
    });
  }
}
