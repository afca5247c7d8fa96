import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workflowArnEnvVar } from '../functions/adapters/sfn/workflow-runner.ts';
import { bundleFunction } from '../infra/aws/bundle.ts';
import { lambdaFunctions } from '../infra/aws/bundle-options.ts';
import { projectRoot } from '../infra/local/settings.ts';
import {
  type BucketKey,
  bucketEnvVar,
  buckets,
  type TableKey,
  tableEnvVar,
  tables,
} from '../infra/resources.ts';
import { workflows } from '../workflows/registry.ts';
import type { Bench, BenchRow } from './result.ts';

/**
 * Bundle budgets: every function bundled as TaskFunction bundles it (infra/aws/bundle.ts), its
 * size without the source map, and its cold start: the time to import the bundle (its module
 * initialisation, the handler not called) in a fresh Node process, the median of several, as a
 * ratio to an empty handler bundled the same way in the same run.
 */
const RUNS = 7;

const run = promisify(execFile);

/** What the bundles read at import: the API wants its workflows' ARNs and its buckets named. */
const environment = {
  ...process.env,
  AWS_REGION: 'eu-central-1',
  ...Object.fromEntries(Object.keys(tables).map((key) => [tableEnvVar(key as TableKey), `bench-${key}`])),
  ...Object.fromEntries(
    workflows.map((w) => [
      workflowArnEnvVar(w.name),
      `arn:aws:states:eu-central-1:000000000000:stateMachine:${w.name}`,
    ]),
  ),
  ...Object.fromEntries(Object.keys(buckets).map((key) => [bucketEnvVar(key as BucketKey), `bench-${key}`])),
};

async function importMs(folder: string): Promise<number> {
  const script = `const t = performance.now(); await import('./index.mjs'); console.log(performance.now() - t);`;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: folder,
      env: environment,
      encoding: 'utf8',
    });
    times.push(Number(stdout.trim()));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

const bench: Bench = async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'docroute-bench-bundles-'));
  try {
    const emptyEntry = join(scratch, 'empty-handler.ts');
    writeFileSync(emptyEntry, 'export const handler = async () => ({});\n');
    const empty = await bundleFunction({
      projectRoot,
      entry: emptyEntry,
      folder: mkdtempSync(join(scratch, 'e-')),
    });
    const emptyMs = await importMs(empty.folder);
    const rows: BenchRow[] = [
      { name: 'empty handler: bundle', value: empty.bytes / 1024, unit: 'KB' },
      { name: 'empty handler: import (median)', value: emptyMs, unit: 'ms' },
    ];
    let total = 0;
    for (const spec of lambdaFunctions(projectRoot)) {
      const bundled = await bundleFunction({
        projectRoot,
        entry: spec.entry,
        assets: spec.assets,
        folder: mkdtempSync(join(scratch, `${spec.id}-`)),
      });
      total += bundled.bytes;
      const ms = await importMs(bundled.folder);
      rows.push(
        { name: `${spec.id}: bundle`, value: bundled.bytes / 1024, unit: 'KB' },
        { name: `${spec.id}: cold import / empty handler`, value: ms / emptyMs, unit: 'x' },
      );
    }
    rows.push({ name: 'every function: bundles together', value: total / 1024 / 1024, unit: 'MB' });
    return rows;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
};

export default bench;
