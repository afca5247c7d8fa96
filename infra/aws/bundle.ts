/**
 * Bundles a function exactly as TaskFunction's NodejsFunction does (the esbuild options of
 * bundle-options.ts, then its afterBundling copies), into a folder of its own: for the tests that
 * run a bundle where no node_modules can be found, and for the bundle budgets of `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { assetCopyCommands, type BundleAsset, lambdaBundling } from './bundle-options.ts';

export interface BundledFunction {
  /** The folder holding index.mjs, its source map and the assets, as Lambda unpacks it. */
  readonly folder: string;
  readonly file: string;
  /** Size of index.mjs, without its source map. */
  readonly bytes: number;
  readonly metafile: Metafile;
}

export interface BundleOptions {
  readonly projectRoot: string;
  /** The handler file, relative to the project root (or absolute). */
  readonly entry: string;
  readonly assets?: readonly BundleAsset[];
  /** Where to write; a fresh temporary folder when left out. */
  readonly folder?: string;
  /** esbuild plugins, for a test that swaps a module (the configuration) for its own. */
  readonly plugins?: readonly Plugin[];
}

export async function bundleFunction(options: BundleOptions): Promise<BundledFunction> {
  const folder = options.folder ?? mkdtempSync(join(tmpdir(), 'docroute-bundle-'));
  const file = join(folder, 'index.mjs');
  const result = await build({
    absWorkingDir: options.projectRoot,
    entryPoints: [resolve(options.projectRoot, options.entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: lambdaBundling.format,
    target: lambdaBundling.target,
    minify: lambdaBundling.minify,
    sourcemap: lambdaBundling.sourceMap,
    external: [...lambdaBundling.externalModules],
    banner: { js: lambdaBundling.banner },
    metafile: true,
    logLevel: 'silent',
    plugins: [...(options.plugins ?? [])],
  });
  for (const command of assetCopyCommands(options.projectRoot, folder, options.assets ?? []))
    execFileSync('bash', ['-c', command], { cwd: options.projectRoot, stdio: 'pipe' });
  return { folder, file, bytes: statSync(file).size, metafile: result.metafile };
}

/**
 * The npm packages a bundle carries, from its metafile (`@aws-sdk/client-s3`, `pdfkit`), each
 * named once even when nested copies are bundled.
 */
export function packagesOf(metafile: Metafile): Set<string> {
  const packages = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
    if (match?.[1] !== undefined) packages.add(match[1]);
  }
  return packages;
}

/** The project's own files in a bundle (relative paths such as `functions/handlers/lambda.ts`). */
export function projectFilesOf(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).filter((input) => !input.includes('node_modules/'));
}
