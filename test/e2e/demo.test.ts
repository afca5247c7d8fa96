import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/local/settings.ts';

/**
 * `npm run demo` as a newcomer runs it: the seed letter registered, prepared, signed on 23.12.2021,
 * finalized through the API and written out; then the registered copy read back with pdftotext.
 */

const out = mkdtempSync(join(tmpdir(), 'docroute-demo-out-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const hasPdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).status === 0;
if (!hasPdftotext)
  console.log(
    'demo.test: pdftotext not installed (apt-get install -y poppler-utils): the read-back check passes without running',
  );

describe('npm run demo', () => {
  const run = spawnSync('npm', ['run', '--silent', 'demo', '--', '--out', out], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const file = join(out, '07-04-11180.pdf');

  it('registers the reply as 07-04/11180 of 23.12.2021, prints its archive and history', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('№ 07-04/11180 of 2021-12-23 (Подпись действительна.)');
    for (const name of ['original.pdf', 'signature.p7s', 'certificate-0.cer', 'letter.pdf', 'manifest.json'])
      expect(run.stdout).toContain(`archive/2021/outgoing/07-04-11180/${name}`);
    expect(run.stdout).toMatch(
      /1\. 2021-12-22T07:00:00\.000Z drafted[\s\S]*registered \(kulikov\)[\s\S]*chain intact: true/,
    );
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it.runIf(hasPdftotext)('writes a registered copy whose requisites read back in the seed’s wording', () => {
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    for (const requisite of [
      'АДМИНИСТРАЦИЯ КРАСНОГВАРДЕЙСКОГО МУНИЦИПАЛЬНОГО ОКРУГА СТАВРОПОЛЬСКОГО КРАЯ',
      '23.12.2021 № 07-04/11180',
      'На № 25-24/6781 от 10.06.2014 г.',
      '№ 239-р от 17.04.2013 г.',
      'А.Д.Литовкину',
      'ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ',
      'Сертификат 0118EC5A8BAE6CF293EB11EE5A2E22B808',
      'Владелец Куликов Василий Иванович',
      'Действителен с 20.01.2021 по 20.04.2022',
      'В.И. Куликов',
      'Плаксина Светлана Федоровна',
    ])
      expect(text).toContain(requisite);
  });
});
