/**
 * How every docroute Lambda function is bundled and what it carries beside its bundle, in one
 * place: TaskFunction (CDK) builds with these options, and test/infra and bench/bundles.bench.ts
 * bundle with the same ones (infra/aws/bundle.ts), so what is measured and tested is what deploys.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import defaultConfig from '../../docroute.config.json' with { type: 'json' };
import { fontFiles } from '../../functions/adapters/pdf/fonts.ts';
import { type Config, parseConfig } from '../../functions/domain/config.ts';
import { carriedFolders } from '../../functions/handlers/lambda/factory.ts';
import { handlerFileOf, workflows } from '../../workflows/registry.ts';

/** The banner every ESM bundle starts with: some dependencies still call require(). */
export const esmRequireBanner =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export const lambdaBundling = {
  format: 'esm',
  // Node 22 syntax runs on the nodejs22.x and nodejs24.x runtimes and on Node 20.11+ locally.
  target: 'node22',
  minify: true,
  sourceMap: true,
  banner: esmRequireBanner,
  /**
   * Nothing is left to the runtime: each function carries the AWS SDK clients it uses, at the
   * versions package-lock.json pins (@aws-sdk/client-dynamodb, lib-dynamodb, client-s3,
   * client-sesv2, client-sfn and their @smithy parts). The SDK inside
   * Lambda's Node.js runtime is updated by AWS on its own schedule, so code tested against the
   * pinned clients could meet another version in production; a function that uses no client
   * carries none.
   */
  externalModules: [] as string[],
} as const;

/**
 * A file or folder copied beside the bundle: a path relative to the project root (or absolute),
 * copied under its last name, or under `as`.
 */
export type BundleAsset = string | { readonly path: string; readonly as: string };

/** The shell commands of TaskFunction's afterBundling hook: one `cp -R` per asset. */
export function assetCopyCommands(
  inputDir: string,
  outputDir: string,
  assets: readonly BundleAsset[],
): string[] {
  return assets.map((asset) => {
    const path = typeof asset === 'string' ? asset : asset.path;
    const source = isAbsolute(path) ? path : join(inputDir, path);
    const target = typeof asset === 'string' ? `${outputDir}/` : join(outputDir, asset.as);
    return `cp -R "${source}" "${target}"`;
  });
}

/** The production calendar, copied as the folder `calendar` (the functions read ./calendar/ru). */
export const calendarAsset: BundleAsset = 'calendar';

/** The letter's fonts, for the functions that render letters. */
export const fontAssets: readonly BundleAsset[] = Object.values(fontFiles).map(
  (file) => `node_modules/${file}`,
);

/**
 * The trust folders the configuration names (`trust` and `crl`, relative to the configuration
 * file), copied as `trust` and `crl`, where functions/handlers/lambda/trust.ts reads them. None when
 * the configuration names none: the functions then keep the empty list and refuse every signature
 * with the reason. A named folder that is missing stops the synthesis, naming it.
 */
export function trustAssets(
  configDir: string,
  config: Pick<Config, 'trust' | 'crl'> = parseConfig(defaultConfig),
): BundleAsset[] {
  const assets: BundleAsset[] = [];
  for (const [setting, as] of [
    ['trust', carriedFolders.trust],
    ['crl', carriedFolders.crl],
  ] as const) {
    const named = config[setting];
    if (named === undefined) continue;
    const path = resolve(configDir, named);
    if (!existsSync(path)) throw new Error(`docroute.config.json ${setting}: ${path} does not exist`);
    assets.push({ path, as });
  }
  return assets;
}

/** The functions that render letters (pdfkit, fontkit, the fonts; docx for the draft). */
export const rendersLetters: ReadonlySet<string> = new Set(['render-draft', 'render-letter']);
/** The functions that judge signatures against the office's trust list. */
export const checksSignatures: ReadonlySet<string> = new Set(['check-signature', 'api']);

export interface LambdaFunctionSpec {
  /** The task's function id, or `api`. */
  readonly id: string;
  /** The handler file, relative to the project root. */
  readonly entry: string;
  readonly assets: readonly BundleAsset[];
}

/** Every function infra/aws deploys, with what it carries, as the stateless stack gives them. */
export function lambdaFunctions(projectRoot: string): LambdaFunctionSpec[] {
  const ids = [...new Set(workflows.flatMap((workflow) => workflow.tasks.map((task) => task.id)))];
  const trust = trustAssets(projectRoot);
  return [
    ...ids.map((id) => ({
      id,
      entry: handlerFileOf(id),
      assets: [
        calendarAsset,
        ...(rendersLetters.has(id) ? fontAssets : []),
        ...(checksSignatures.has(id) ? trust : []),
      ],
    })),
    { id: 'api', entry: 'functions/api/lambda.ts', assets: [calendarAsset, ...trust] },
  ];
}
