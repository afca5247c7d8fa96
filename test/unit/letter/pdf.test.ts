/**
 * The PDF of the reference letter, read back with Debian's poppler-utils (pdftotext, pdffonts,
 * pdfinfo, pdftoppm), qpdf and zbar-tools (zbarimg). Where they are not installed the read-back
 * checks say so once and do not run (CI installs them); the rendering checks run everywhere.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLetterPdf, wrapWords } from '../../../functions/adapters/pdf/pdf-letter-renderer.ts';
import { parseConfig } from '../../../functions/domain/config.ts';
import {
  type Letter,
  letterLayout,
  referenceDraftLetter,
  referenceLetter,
  requisiteLines,
} from '../../../functions/domain/letter/index.ts';
import type { RenderedLetter } from '../../../functions/ports/letter-renderer.ts';

const config = parseConfig(
  JSON.parse(readFileSync(new URL('../../../docroute.config.json', import.meta.url), 'utf8')) as unknown,
);

const packages: Record<string, string> = {
  pdftotext: 'poppler-utils',
  pdffonts: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  qpdf: 'qpdf',
  zbarimg: 'zbar-tools',
};

/** The tools these checks read the PDF back with that this machine lacks. */
const missingTools = Object.keys(packages).filter(
  (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
);
if (missingTools.length > 0)
  console.log(
    `letter pdf.test: ${missingTools.join(', ')} not installed (apt-get install -y poppler-utils qpdf zbar-tools): the read-back checks pass without running`,
  );

/** Runs a tool; when it is not installed, fails saying so and which Debian package brings it. */
function run(tool: string, args: readonly string[], okCodes: readonly number[] = [0]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      `${tool} is not installed: apt-get install -y ${packages[tool] ?? tool}; this check did not run`,
    );
  }
  if (!okCodes.includes(result.status ?? -1))
    throw new Error(`${tool} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
/** A real hyphen at a body line's end reads back followed by a line break; both sides alike. */
const unbroken = (text: string) => flat(text).replace(/- /g, '-');

let folder: string;
const files: Record<string, string> = {};
let letter: Letter;
let draft: Letter;
let rendered: RenderedLetter;
let renderedDraft: RenderedLetter;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'docroute-letter-'));
  letter = referenceLetter(config);
  draft = referenceDraftLetter(config);
  rendered = await renderLetterPdf(letter);
  renderedDraft = await renderLetterPdf(draft);
  files['letter'] = join(folder, 'letter.pdf');
  files['draft'] = join(folder, 'draft.pdf');
  writeFileSync(files['letter'], rendered.bytes);
  writeFileSync(files['draft'], renderedDraft.bytes);
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

const text = (file: string, ...args: string[]) => run('pdftotext', [...args, file, '-']);

describe('the reference letter as PDF', () => {
  it('reads back every requisite in the seed’s wording', () => {
    if (missingTools.length > 0) return;
    const plain = flat(text(files['letter']!));
    const missing = requisiteLines(letter).filter((line) => !plain.includes(flat(line)));
    expect(missing).toEqual([]);
    for (const requisite of [
      '23.12.2021 № 07-04/11180',
      'На № 25-24/6781 от 10.06.2014 г.',
      'ДОКУМЕНТ ПОДПИСАН',
      'ЭЛЕКТРОННОЙ ПОДПИСЬЮ',
      'Сертификат 0118EC5A8BAE6CF293EB11EE5A2E22B808',
      'Владелец Куликов Василий Иванович',
      'Действителен с 20.01.2021 по 20.04.2022',
      'В.И. Куликов',
      'Плаксина Светлана Федоровна',
      '8(86541) 2-52-41',
      'А.Д.Литовкину',
    ])
      expect(plain).toContain(requisite);
  });

  it('reads back the title and the first and the last paragraph whole', () => {
    if (missingTools.length > 0) return;
    const plain = unbroken(text(files['letter']!));
    expect(plain).toContain(flat(letter.titleLines.join(' ')));
    expect(plain).toContain(unbroken(letter.paragraphs[0]!));
    expect(plain).toContain(unbroken(letter.paragraphs.at(-1)!));
  });

  it('never hyphenates a requisite: each one-line requisite stands on one line in the layout', () => {
    if (missingTools.length > 0) return;
    const layout = text(files['letter']!, '-layout')
      .split('\n')
      .map((line) => flat(line))
      .join('\n');
    const oneLine = requisiteLines(letter).filter((line) => line.length < 40);
    expect(oneLine.filter((line) => !layout.includes(line))).toEqual([]);
  });

  it('passes qpdf --check', () => {
    if (missingTools.length > 0) return;
    expect(run('qpdf', ['--check', files['letter']!])).toMatch(/No syntax or stream encoding errors/);
  });

  it('embeds Tinos as a subset and no other font', () => {
    if (missingTools.length > 0) return;
    const rows = run('pdffonts', [files['letter']!]).split('\n').slice(2).filter(Boolean);
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(row).toMatch(/^[A-Z]{6}\+Tinos-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it('is three A4 pages, numbered from page 2, the executor on the last', () => {
    if (missingTools.length > 0) return;
    expect(rendered.pages).toBe(3);
    const info = run('pdfinfo', [files['letter']!]);
    expect(info).toMatch(/Pages:\s+3/);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(info).toMatch(/CreationDate:\s+Thu Dec 23 00:00:00 2021 UTC/);
    const pages = [1, 2, 3].map((page) => text(files['letter']!, '-f', String(page), '-l', String(page)));
    expect(pages[0]!.trim().startsWith('АДМИНИСТРАЦИЯ')).toBe(true);
    expect(pages[1]!.trim().split('\n')[0]).toBe('2');
    expect(pages[2]!.trim().split('\n')[0]).toBe('3');
    expect(pages[2]).toContain('Плаксина Светлана Федоровна');
    expect(pages[2]).toContain('ДОКУМЕНТ ПОДПИСАН');
    expect(pages[0]).not.toContain('Плаксина');
  });

  it('carries a QR code on page 1 that decodes to the document id and the signed original’s SHA-256', () => {
    if (missingTools.length > 0) return;
    run('pdftoppm', ['-png', '-r', '200', '-f', '1', '-l', '1', files['letter']!, join(folder, 'page')]);
    const decoded = run('zbarimg', ['-q', '--raw', join(folder, 'page-1.png')]).trim();
    expect(decoded).toBe(letter.qrPayload);
    run('pdftoppm', ['-png', '-r', '200', '-f', '2', '-l', '2', files['letter']!, join(folder, 'next')]);
    // zbarimg exits 4 when it finds no code.
    expect(run('zbarimg', ['-q', '--raw', join(folder, 'next-2.png')], [0, 4]).trim()).toBe('');
  });

  it('gives the same bytes for the same letter', async () => {
    const again = await renderLetterPdf(referenceLetter(config));
    expect(Buffer.from(again.bytes).equals(Buffer.from(rendered.bytes))).toBe(true);
  });

  it('gives the same bytes when letters are rendered at once, the fonts shared', async () => {
    const all = await Promise.all([letter, draft, letter].map((one) => renderLetterPdf(one)));
    expect(Buffer.from(all[0]!.bytes).equals(Buffer.from(rendered.bytes))).toBe(true);
    expect(Buffer.from(all[1]!.bytes).equals(Buffer.from(renderedDraft.bytes))).toBe(true);
    expect(Buffer.from(all[2]!.bytes).equals(Buffer.from(rendered.bytes))).toBe(true);
  });
});

describe('the draft as PDF', () => {
  it('has no number, no date and no mark, and keeps the rest', () => {
    if (missingTools.length > 0) return;
    const plain = flat(text(files['draft']!));
    expect(plain).not.toContain('07-04/11180');
    expect(plain).not.toContain('23.12.2021');
    expect(plain).not.toContain('ДОКУМЕНТ ПОДПИСАН');
    expect(plain).not.toContain('Сертификат');
    for (const line of requisiteLines(draft)) expect(plain).toContain(flat(line));
    expect(plain).toContain('На № 25-24/6781 от 10.06.2014 г.');
    expect(run('qpdf', ['--check', files['draft']!])).toMatch(/No syntax or stream encoding errors/);
  });

  it('has no QR code', () => {
    if (missingTools.length > 0) return;
    run('pdftoppm', ['-png', '-r', '200', '-f', '1', '-l', '1', files['draft']!, join(folder, 'draft')]);
    expect(run('zbarimg', ['-q', '--raw', join(folder, 'draft-1.png')], [0, 4]).trim()).toBe('');
  });
});

describe('wrapWords', () => {
  const measure = (s: string) => s.length;
  it('breaks at spaces only, a word longer than the width left whole', () => {
    expect(wrapWords(measure, 'аа бб вв', 5)).toEqual(['аа бб', 'вв']);
    expect(wrapWords(measure, 'Красногвардейского округа', 5)).toEqual(['Красногвардейского', 'округа']);
    expect(wrapWords(measure, '  ', 5)).toEqual([]);
  });
});

interface Word {
  readonly page: number;
  readonly text: string;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}

/** Every word with its box, in points from the top left, as pdftotext -bbox reports it. */
function words(file: string): Word[] {
  const html = run('pdftotext', ['-bbox', file, '-']);
  const found: Word[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page++;
    const match = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(
      line,
    );
    if (match)
      found.push({
        page,
        xMin: Number(match[1]),
        yMin: Number(match[2]),
        xMax: Number(match[3]),
        yMax: Number(match[4]),
        text: match[5]!,
      });
  }
  return found;
}

const MM = 72 / 25.4;

describe('the layout', () => {
  it('keeps page 1’s text clear of the QR code, and every word inside the margins', () => {
    if (missingTools.length > 0) return;
    const all = words(files['letter']!);
    const qrLeft = (letterLayout.page.widthMm - letterLayout.marginsMm.right - letterLayout.qrSizeMm) * MM;
    const qrTop = (letterLayout.page.heightMm - letterLayout.marginsMm.bottom - letterLayout.qrSizeMm) * MM;
    const overQr = all.filter((w) => w.page === 1 && w.xMax > qrLeft && w.yMax > qrTop);
    expect(overQr).toEqual([]);
    const left = letterLayout.marginsMm.left * MM - 0.5;
    // Justified lines end up to 1.5 pt (0.5 mm) past the right margin as pdftotext measures them.
    const right = (letterLayout.page.widthMm - letterLayout.marginsMm.right) * MM + 2;
    const bottom = (letterLayout.page.heightMm - letterLayout.marginsMm.bottom) * MM + 0.5;
    const outside = all.filter((w) => w.xMin < left || w.xMax > right || w.yMax > bottom);
    expect(outside).toEqual([]);
  });

  it('sets the signature row above the executor, the mark between the position and the name', () => {
    if (missingTools.length > 0) return;
    const last = words(files['letter']!).filter((w) => w.page === 3);
    const find = (text: string) => last.filter((w) => w.text === text);
    const executor = find('Плаксина')[0]!;
    const markWords = ['ДОКУМЕНТ', 'Сертификат', 'Действителен'].map((t) => find(t)[0]!);
    // The position's line, not the body's words: the lowest «Красногвардейского» on the page.
    const position = find('Красногвардейского').reduce((a, b) => (b.yMin > a.yMin ? b : a));
    const name = find('Куликов').at(-1)!;
    for (const w of [...markWords, position, name]) expect(w.yMax).toBeLessThan(executor.yMin);
    for (const w of markWords) {
      expect(w.xMin).toBeGreaterThan(position.xMax);
      expect(w.xMax).toBeLessThan(name.xMin);
    }
    expect(executor.xMin).toBeCloseTo(letterLayout.marginsMm.left * MM, 0);
    expect(executor.yMax - executor.yMin).toBeLessThan(13); // 10 pt type
  });

  it('keeps the signature row and the executor together on the last page, however long the text', async () => {
    if (missingTools.length > 0) return;
    for (const count of [1, 2, 3, 4, 5, 7, 9, 11, 13]) {
      const paragraphs = Array.from(
        { length: count },
        (_, i) => letter.paragraphs[i % letter.paragraphs.length]!,
      );
      const long = { ...letter, paragraphs };
      const out = await renderLetterPdf(long);
      const file = join(folder, `long-${count}.pdf`);
      writeFileSync(file, out.bytes);
      const pages = Array.from({ length: out.pages }, (_, i) =>
        flat(text(file, '-f', String(i + 1), '-l', String(i + 1))),
      );
      const lastPage = pages.at(-1)!;
      for (const part of [
        'ДОКУМЕНТ ПОДПИСАН',
        'Действителен с 20.01.2021 по 20.04.2022',
        'В.И. Куликов',
        'Плаксина',
      ])
        expect(lastPage, `${count} paragraphs, ${out.pages} pages`).toContain(part);
      for (const page of pages.slice(0, -1)) expect(page).not.toContain('ДОКУМЕНТ ПОДПИСАН');
      // The signature never stands alone: the last paragraph's end is on its page.
      const ending = flat(paragraphs.at(-1)!).split(' ').slice(-3).join(' ');
      expect(unbroken(lastPage), `${count} paragraphs`).toContain(ending);
      if (out.pages === 1) expect(pages[0]).not.toMatch(/^1 /);
      const bad = words(file).filter(
        (w) => w.yMax > (letterLayout.page.heightMm - letterLayout.marginsMm.bottom) * MM + 0.5,
      );
      expect(bad).toEqual([]);
    }
  });
});
