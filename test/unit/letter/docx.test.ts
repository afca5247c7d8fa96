/**
 * The DOCX of the reference letter and its draft, read back from the zip: the parts docx writes,
 * the requisites' text in word/document.xml, the page set-up. LibreOffice, where installed,
 * converts it to PDF for pdftotext to read the registration line; elsewhere that check says so.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  docxContentType,
  docxLetterRenderer,
  renderLetterDocx,
} from '../../../functions/adapters/docx/docx-letter-renderer.ts';
import { parseConfig } from '../../../functions/domain/config.ts';
import {
  type Letter,
  referenceDraftLetter,
  referenceLetter,
  registrationLine,
  requisiteLines,
} from '../../../functions/domain/letter/index.ts';

const config = parseConfig(
  JSON.parse(readFileSync(new URL('../../../docroute.config.json', import.meta.url), 'utf8')) as unknown,
);

/** The entries of a zip file by name, read through its central directory. */
function unzip(bytes: Uint8Array): Map<string, Buffer> {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('no end of central directory');
  const files = new Map<string, Buffer>();
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressedSize);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Each paragraph's text (its w:t runs joined), the way an editor shows the paragraph. */
function paragraphTexts(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    unescapeXml([...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')),
  );
}

interface Unpacked {
  readonly bytes: Uint8Array;
  readonly files: Map<string, Buffer>;
  readonly document: string;
  readonly text: string;
  readonly paragraphs: string[];
}

async function unpack(letter: Letter): Promise<Unpacked> {
  const bytes = await renderLetterDocx(letter);
  const files = unzip(bytes);
  const document = files.get('word/document.xml')?.toString('utf8') ?? '';
  const paragraphs = paragraphTexts(document);
  return { bytes, files, document, paragraphs, text: paragraphs.join('\n') };
}

let letter: Letter;
let draft: Letter;
let registered: Unpacked;
let drafted: Unpacked;

beforeAll(async () => {
  letter = referenceLetter(config);
  draft = referenceDraftLetter(config);
  registered = await unpack(letter);
  drafted = await unpack(draft);
});

const part = (unpacked: Unpacked, name: string) => unpacked.files.get(name)?.toString('utf8') ?? '';

describe('the reference letter as DOCX', () => {
  it('is a zip holding a WordprocessingML document', () => {
    expect(Buffer.from(registered.bytes.subarray(0, 4)).toString('latin1')).toBe('PK\u0003\u0004');
    expect(part(registered, '[Content_Types].xml')).toContain(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    );
    expect(registered.document).toMatch(/^<\?xml[^>]*\?><w:document /);
  });

  it('holds every requisite line and every paragraph whole, each line a paragraph of its own', () => {
    const lines = requisiteLines(letter);
    expect(lines).toContain('23.12.2021 № 07-04/11180');
    expect(lines.filter((line) => !registered.text.includes(line))).toEqual([]);
    // One-line requisites are never joined with a neighbour nor split over paragraphs.
    const standalone = lines.filter(
      (line) => line !== letter.executor.phone && line !== letter.executor.name,
    );
    expect(standalone.filter((line) => !registered.paragraphs.includes(line))).toEqual([]);
    for (const paragraph of letter.paragraphs) expect(registered.paragraphs).toContain(paragraph);
    for (const title of letter.titleLines) expect(registered.paragraphs).toContain(title);
  });

  it('sets the body justified in 14 pt with a 1.25 cm first-line indent', () => {
    const body = [...registered.document.matchAll(/<w:p>[\s\S]*?<\/w:p>/g)]
      .map((p) => p[0])
      .find((p) => unescapeXml(p).includes(letter.paragraphs[0]!.slice(0, 60)));
    expect(body).toBeDefined();
    expect(body).toContain('<w:jc w:val="both"/>');
    expect(body).toContain('<w:ind w:firstLine="709"/>');
    expect(body).toContain('<w:sz w:val="28"/>');
    expect(part(registered, 'word/styles.xml')).toMatch(
      /<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman"[^>]*\/><w:sz w:val="28"\/>/,
    );
    // Times New Roman is named, not embedded.
    expect([...registered.files.keys()].filter((name) => name.startsWith('word/fonts/'))).toEqual([]);
  });

  it('is A4 with the ГОСТ margins (left 30 mm, right 10, top and bottom 20)', () => {
    expect(registered.document).toContain('<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/>');
    expect(registered.document).toMatch(/<w:pgMar w:top="1134" w:right="567" w:bottom="1134" w:left="1701"/);
  });

  it('numbers pages from 2: a PAGE field in the default header, page 1 with its own, empty one', () => {
    expect(registered.document).toContain('<w:titlePg/>');
    const rels = part(registered, 'word/_rels/document.xml.rels');
    const header = (type: string) => {
      const id = new RegExp(`<w:headerReference w:type="${type}" r:id="(rId\\d+)"/>`).exec(
        registered.document,
      )?.[1];
      const target = new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1];
      return part(registered, `word/${target}`);
    };
    expect(header('default')).toMatch(/<w:instrText[^>]*>PAGE<\/w:instrText>/);
    expect(header('first')).not.toContain('PAGE');
    expect(header('first')).toContain('<w:hdr ');
  });

  it('frames the mark, bold heading lines first, between the position and the short name', () => {
    const signature = registered.document.slice(
      registered.document.lastIndexOf('<w:tbl>', registered.document.indexOf('ДОКУМЕНТ ПОДПИСАН')),
    );
    expect(signature).toContain('<w:top w:val="single"');
    const order = ['Ставропольского края', 'ДОКУМЕНТ ПОДПИСАН', 'Действителен с', 'В.И. Куликов'].map((t) =>
      registered.document.lastIndexOf(t),
    );
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(order.every((i) => i > registered.document.indexOf(letter.paragraphs.at(-1)!.slice(0, 40)))).toBe(
      true,
    );
  });

  it('puts the executor last, in a frame at the bottom of the margin, in 10 pt', () => {
    const last = /<w:p>(?:(?!<w:p>)[\s\S])*<\/w:p><w:sectPr>/.exec(registered.document)?.[0] ?? '';
    expect(last).toContain('w:yAlign="bottom"');
    expect(last).toContain('w:vAnchor="margin"');
    expect(last).toContain(letter.executor.name);
    expect(last).toContain(letter.executor.phone);
    expect(last).toContain('<w:sz w:val="20"/>');
  });

  it('carries the QR code as a PNG floating at the bottom right of the margin, 22 mm square', () => {
    const media = [...registered.files.keys()].filter((name) => /^word\/media\/.+\.png$/.test(name));
    expect(media).toHaveLength(1);
    expect(registered.files.get(media[0]!)!.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(registered.document).toMatch(
      /<wp:anchor [^>]*><wp:simplePos[^>]*\/><wp:positionH relativeFrom="margin"><wp:align>right<\/wp:align><\/wp:positionH><wp:positionV relativeFrom="margin"><wp:align>bottom<\/wp:align><\/wp:positionV><wp:extent cx="792000" cy="792000"\/>/,
    );
    expect(registered.document).toContain(`descr="${letter.qrPayload}"`);
  });

  it('carries a QR code that decodes to the document id and the signed original’s SHA-256', () => {
    if (spawnSync('sh', ['-c', 'command -v zbarimg']).status !== 0) {
      console.info(
        'letter docx.test: zbarimg not installed (apt-get install -y zbar-tools): the decoding check passes without running',
      );
      return;
    }
    const folder = mkdtempSync(join(tmpdir(), 'docroute-docx-qr-'));
    try {
      const png = [...registered.files].find(([name]) => name.startsWith('word/media/'))![1];
      writeFileSync(join(folder, 'qr.png'), png);
      const decoded = spawnSync('zbarimg', ['-q', '--raw', join(folder, 'qr.png')], { encoding: 'utf8' });
      expect(decoded.stdout.trim()).toBe(letter.qrPayload);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('dates the file by the registration, not the clock, and gives the same bytes each time', async () => {
    const core = part(registered, 'docProps/core.xml');
    expect(core).toContain(
      '<dcterms:created xsi:type="dcterms:W3CDTF">2021-12-23T00:00:00Z</dcterms:created>',
    );
    expect(core).toContain(
      '<dcterms:modified xsi:type="dcterms:W3CDTF">2021-12-23T00:00:00Z</dcterms:modified>',
    );
    expect(unescapeXml(core)).toContain(
      `<dc:title>${registrationLine(letter.registration!)} ${letter.subject}</dc:title>`,
    );
    const again = await renderLetterDocx(referenceLetter(config));
    expect(Buffer.from(again).equals(Buffer.from(registered.bytes))).toBe(true);
  });

  it('renders through docxLetterRenderer with the DOCX content type', async () => {
    const rendered = await docxLetterRenderer.render(letter);
    expect(rendered.contentType).toBe(docxContentType);
    expect(Buffer.from(rendered.bytes).equals(Buffer.from(registered.bytes))).toBe(true);
  });
});

describe('the draft as DOCX', () => {
  it('has no number, no date, no mark and no QR code, and keeps the rest', () => {
    expect(drafted.text).not.toContain('07-04/11180');
    expect(drafted.text).not.toContain('23.12.2021');
    expect(drafted.text).not.toContain('ДОКУМЕНТ ПОДПИСАН');
    expect(drafted.text).not.toContain('Сертификат');
    expect(drafted.document).not.toContain('<w:drawing>');
    expect([...drafted.files.keys()].filter((name) => name.startsWith('word/media/'))).toEqual([]);
    expect(requisiteLines(draft).filter((line) => !drafted.text.includes(line))).toEqual([]);
    for (const paragraph of draft.paragraphs) expect(drafted.paragraphs).toContain(paragraph);
  });

  it('keeps the form’s blanks for the date and the number', () => {
    expect(drafted.paragraphs.some((p) => /^_{6,} № _{6,}$/.test(p))).toBe(true);
    expect(part(drafted, 'docProps/core.xml')).toContain('2021-12-22T00:00:00Z');
  });
});

describe('the DOCX in LibreOffice', () => {
  const soffice = spawnSync('sh', ['-c', 'command -v soffice']).status === 0;
  const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).status === 0;
  if (!soffice || !pdftotext)
    console.info(
      'letter docx.test: soffice or pdftotext not installed (apt-get install -y libreoffice-writer poppler-utils): the LibreOffice check passes without running',
    );

  it('converts to a PDF that reads back the registration line and the executor', () => {
    if (!soffice || !pdftotext) return;
    const folder = mkdtempSync(join(tmpdir(), 'docroute-docx-'));
    try {
      const file = join(folder, 'letter.docx');
      writeFileSync(file, registered.bytes);
      const converted = spawnSync(
        'soffice',
        ['--headless', '--convert-to', 'pdf', '--outdir', folder, file],
        {
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(converted.status, converted.stderr).toBe(0);
      const text = spawnSync('pdftotext', [join(folder, 'letter.pdf'), '-'], { encoding: 'utf8' }).stdout;
      expect(text).toContain(registrationLine(letter.registration!));
      expect(text).toContain(letter.executor.name);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 150_000);
});
