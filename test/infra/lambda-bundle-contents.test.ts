import { beforeAll, describe, expect, it } from 'vitest';
import { tasksById } from '../../functions/handlers/index.ts';
import type { DepName } from '../../functions/handlers/task.ts';
import { type BundledFunction, bundleFunction, packagesOf, projectFilesOf } from '../../infra/aws/bundle.ts';
import { lambdaFunctions } from '../../infra/aws/bundle-options.ts';
import { projectRoot } from '../../infra/local/settings.ts';

/**
 * What each function's bundle carries, read from esbuild's metafile of the very bundles TaskFunction
 * builds: a task carries an SDK client or a library only when it declares the dependency that
 * needs it, and no function carries the infrastructure, the local stack or the tests.
 */

/** The packages a dependency brings; a dependency not listed brings none of its own. */
const packagesOfDep: Partial<Record<DepName, readonly string[]>> = {
  documents: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
  journals: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
  events: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
  claims: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
  notifications: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
  blobs: ['@aws-sdk/client-s3'],
  crlSource: ['@aws-sdk/client-s3'],
  mailer: ['@aws-sdk/client-sesv2', 'nodemailer'],
  letterPdf: ['pdfkit', 'fontkit', 'qrcode'],
  letterDocx: ['docx'],
};
const governed = [...new Set(Object.values(packagesOfDep).flat())];

/** Carried by no function: build and test tooling, the local stack's engines, the API's own libraries in tasks. */
const nowhere = [
  'aws-cdk-lib',
  'constructs',
  'cdk-nag',
  'esbuild',
  'vitest',
  'fast-check',
  'dynalite',
  's3rver',
  'aws-local-stepfunctions',
  'amplify-dynamodb-simulator',
  'smtp-server',
  'tsx',
];

const bundles = new Map<string, BundledFunction>();
beforeAll(async () => {
  const specs = lambdaFunctions(projectRoot);
  // Two at a time: the machine has two cores.
  for (let i = 0; i < specs.length; i += 2)
    await Promise.all(
      specs.slice(i, i + 2).map(async (spec) => {
        bundles.set(spec.id, await bundleFunction({ projectRoot, entry: spec.entry }));
      }),
    );
}, 300_000);

const packages = (id: string) => {
  const bundle = bundles.get(id);
  if (bundle === undefined) throw new Error(`no bundle for ${id}`);
  return packagesOf(bundle.metafile);
};

describe('what each Lambda bundle carries', () => {
  it('bundles every task of the registry and the API', () => {
    expect([...bundles.keys()].sort()).toEqual([...Object.keys(tasksById), 'api'].sort());
  });

  it('carries an SDK client or library only for a dependency the task declares', () => {
    const unexplained = Object.values(tasksById).flatMap((task) => {
      const allowed = new Set(task.uses.flatMap((dep) => packagesOfDep[dep] ?? []));
      return [...packages(task.id)]
        .filter((name) => governed.includes(name) && !allowed.has(name))
        .map((name) => `${task.id}: ${name}`);
    });
    expect(unexplained).toEqual([]);
  });

  it('carries what each declared dependency needs, at the version the lock file pins', () => {
    const missing = Object.values(tasksById).flatMap((task) =>
      task.uses
        .flatMap((dep) => packagesOfDep[dep] ?? [])
        .filter((name) => !packages(task.id).has(name))
        .map((name) => `${task.id}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('keeps the heavy libraries where they are used', () => {
    expect(packages('void-number')).not.toContain('@aws-sdk/client-s3');
    expect(packages('void-number')).not.toContain('pdfkit');
    expect(packages('check-signature')).toContain('@aws-sdk/client-s3');
    expect(packages('check-signature')).not.toContain('@aws-sdk/client-sesv2');
    for (const id of ['render-draft', 'render-letter']) expect(packages(id)).toContain('pdfkit');
    expect(packages('render-letter')).not.toContain('docx');
    expect(packages('archive-letter')).not.toContain('pdfkit');
    expect(packages('release-signing')).not.toContain('@aws-sdk/client-sesv2');
    // Only the API exports journals and reports (XLSX), and it renders no letters.
    const exporting = [...bundles.keys()].filter((id) => packages(id).has('exceljs'));
    expect(exporting).toEqual(['api']);
    for (const name of ['pdfkit', 'fontkit', 'docx']) expect(packages('api')).not.toContain(name);
  });

  it('carries no build, test or local-stack code, and logs with the Lambda logger', () => {
    for (const [id, bundle] of bundles) {
      const carried = packagesOf(bundle.metafile);
      expect(
        nowhere.filter((name) => carried.has(name)),
        id,
      ).toEqual([]);
      expect(
        projectFilesOf(bundle.metafile).filter(
          (file) => file.startsWith('test/') || file.startsWith('bench/') || file.startsWith('infra/local/'),
        ),
        id,
      ).toEqual([]);
      expect(carried, id).toContain('@aws-lambda-powertools/logger');
    }
  });
});
