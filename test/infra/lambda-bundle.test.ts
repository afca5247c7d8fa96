import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import defaultConfig from '../../docroute.config.json' with { type: 'json' };
import { fontFiles } from '../../functions/adapters/pdf/fonts.ts';
import { renderLetterPdf } from '../../functions/adapters/pdf/pdf-letter-renderer.ts';
import { parseConfig } from '../../functions/domain/config.ts';
import { referenceLetter } from '../../functions/domain/letter/reference-letter.ts';
import { esmRequireBanner } from '../../infra/aws/constructs/task-function.ts';
import { projectRoot } from '../../infra/local/settings.ts';
import { type TableKey, tables as tableDefinitions, tableEnvVar } from '../../infra/resources.ts';

/**
 * What a Lambda function carries: bundled as TaskFunction bundles (esbuild, ESM, node22, the require
 * banner), with the fonts copied beside the bundle as its afterBundling hook does, and run in a
 * folder with no node_modules, so nothing is found that the bundle does not carry.
 */

const require = createRequire(import.meta.url);
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function bundle(entry: string, withFonts: boolean, withCalendar = false): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'docroute-bundle-'));
  folders.push(folder);
  await build({
    entryPoints: [join(projectRoot, entry)],
    outfile: join(folder, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    banner: { js: esmRequireBanner },
    logLevel: 'silent',
  });
  if (withCalendar) cpSync(join(projectRoot, 'calendar'), join(folder, 'calendar'), { recursive: true });
  if (withFonts)
    for (const file of Object.values(fontFiles))
      copyFileSync(require.resolve(file), join(folder, basename(file)));
  return folder;
}

describe('a rendering function’s bundle', () => {
  it('renders the letter with the fonts it carries, the same bytes as in the project', async () => {
    const folder = await bundle('test/support/render-in-bundle.ts', true);
    const printed = execFileSync(process.execPath, [join(folder, 'index.mjs')], {
      cwd: folder,
      encoding: 'utf8',
    });
    const rendered = await renderLetterPdf(referenceLetter(parseConfig(defaultConfig)));
    const { createHash } = await import('node:crypto');
    expect(JSON.parse(printed)).toMatchObject({
      pages: rendered.pages,
      sha256: createHash('sha256').update(rendered.bytes).digest('hex'),
    });
  }, 60_000);

  it('fails plainly without its fonts, naming the missing file', async () => {
    const folder = await bundle('test/support/render-in-bundle.ts', false);
    expect(() =>
      execFileSync(process.execPath, [join(folder, 'index.mjs')], {
        cwd: folder,
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    ).toThrow(/Tinos_400Regular\.ttf|@expo-google-fonts/);
  }, 60_000);

  for (const id of ['render-draft', 'render-letter', 'check-signature', 'archive-letter']) {
    it(`loads the ${id} handler in a folder without node_modules`, async () => {
      const folder = await bundle(`functions/handlers/${id}.ts`, true);
      const loaded = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import('./index.mjs'); console.log(typeof m.handler);`,
        ],
        { cwd: folder, encoding: 'utf8', env: { ...process.env, AWS_REGION: 'eu-central-1' } },
      );
      expect(loaded.trim()).toBe('function');
    }, 60_000);
  }

  it('validates a citizen’s appeal with the calendar it carries: its deadline set', async () => {
    const folder = await bundle('functions/handlers/validate-incoming.ts', false, true);
    const tables = Object.fromEntries(
      Object.keys(tableDefinitions).map((key) => [tableEnvVar(key as TableKey), `t-${key}`]),
    );
    const request = {
      correspondent: { organization: 'Иванов Иван Иванович' },
      theirRef: { number: 'б/н', date: '2021-04-05' },
      kind: 'citizen_appeal',
      subject: 'Обращение',
      receivedAt: '2021-04-05T10:00:00+03:00',
      channel: 'email',
      executor: 'plaksina',
    };
    const script = `const { handler } = await import('./index.mjs');
      const draft = await handler(${JSON.stringify({ request, actor: { sub: 'c', role: 'clerk' } })});
      console.log(JSON.stringify(draft.control));`;
    const printed = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: folder,
      encoding: 'utf8',
      env: { ...process.env, ...tables, AWS_REGION: 'eu-central-1' },
    });
    // 5 May 2021 was a Covid non-working day, which counts as working for a legal deadline.
    expect(JSON.parse(printed)).toMatchObject({
      lastDay: '2021-05-05',
      dueDate: '2021-05-05',
      basis: 'citizen_appeal',
    });
  }, 60_000);
});
