/**
 * The letter as a PDF with pdfkit: A4, ГОСТ Р 7.0.97 margins, Tinos embedded as a subset, a text
 * layer pdftotext reads back. Requisites are wrapped here word by word and never hyphenated; only
 * the body paragraphs are left to pdfkit's justification.
 */

import PDFDocument from 'pdfkit';
import { type Letter, letterLayout, registrationLine } from '../../domain/letter/letter.ts';
import type { LetterRenderer, RenderedLetter } from '../../ports/letter-renderer.ts';
import { letterFonts } from './fonts.ts';
import { qrRects } from './qr.ts';

const MM = 72 / 25.4;
const mm = (value: number) => value * MM;

const REGULAR = 'Tinos';
const BOLD = 'Tinos-Bold';

const L = letterLayout;
const pageWidth = mm(L.page.widthMm);
const pageHeight = mm(L.page.heightMm);
const margins = {
  left: mm(L.marginsMm.left),
  right: mm(L.marginsMm.right),
  top: mm(L.marginsMm.top),
  bottom: mm(L.marginsMm.bottom),
};
const contentWidth = pageWidth - margins.left - margins.right;
const contentBottom = pageHeight - margins.bottom;
const qrSize = mm(L.qrSizeMm);

type Doc = PDFKit.PDFDocument;

/** Greedy wrapping at spaces only: a word longer than the width stays whole (never hyphenated). */
export function wrapWords(measure: (text: string) => number, text: string, width: number): string[] {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && measure(candidate) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line !== '') lines.push(line);
  return lines;
}

interface LineOptions {
  readonly x: number;
  readonly width: number;
  readonly align: 'left' | 'center' | 'right';
}

/** Prints `text` wrapped at spaces, line by line, from doc.y; returns the y below it. */
function requisite(doc: Doc, text: string, options: LineOptions): number {
  for (const line of wrapWords((t) => doc.widthOfString(t), text, options.width)) {
    const w = doc.widthOfString(line);
    const x =
      options.align === 'left'
        ? options.x
        : options.align === 'center'
          ? options.x + (options.width - w) / 2
          : options.x + options.width - w;
    const y = doc.y;
    doc.text(line, x, y, { lineBreak: false });
    doc.y = y + doc.currentLineHeight(true);
  }
  return doc.y;
}

function blankLine(doc: Doc, from: number, to: number, y: number): void {
  doc.moveTo(from, y).lineTo(to, y).lineWidth(0.5).stroke();
}

/** The corner letterhead, the date and number, the references: the left column of page 1. */
function letterheadColumn(doc: Doc, letter: Letter): number {
  const x = margins.left;
  const width = mm(L.letterheadWidthMm);
  const centre = { x, width, align: 'center' } as const;
  doc.y = margins.top;
  doc.font(BOLD).fontSize(L.letterheadNameSizePt);
  for (const line of letter.letterhead.nameLines) requisite(doc, line, centre);
  doc.y += 4;
  doc.font(REGULAR).fontSize(L.letterheadDetailSizePt);
  for (const line of letter.letterhead.detailLines) requisite(doc, line, centre);

  doc.y += 10;
  doc.font(REGULAR).fontSize(L.registrationSizePt);
  const y = doc.y;
  const baseline = y + doc.currentLineHeight() * 0.85;
  if (letter.registration) {
    const line = registrationLine(letter.registration);
    const start = x + (width - doc.widthOfString(line)) / 2;
    doc.text(line, start, y, { lineBreak: false });
    const dateWidth = doc.widthOfString(letter.registration.date);
    const numberWidth = doc.widthOfString(letter.registration.number);
    blankLine(doc, start, start + dateWidth, baseline + 1.5);
    const numberStart = start + doc.widthOfString(`${letter.registration.date} № `);
    blankLine(doc, numberStart, numberStart + numberWidth, baseline + 1.5);
  } else {
    // The draft keeps the form: blanks for the date and the number around the «№».
    const sign = doc.widthOfString(' № ');
    const blank = (width - sign) / 2 - mm(6);
    const start = x + mm(6);
    blankLine(doc, start, start + blank, baseline + 1.5);
    doc.text('№', start + blank + (sign - doc.widthOfString('№')) / 2, y, { lineBreak: false });
    blankLine(doc, start + blank + sign, start + 2 * blank + sign, baseline + 1.5);
  }
  doc.y = y + doc.currentLineHeight(true) + 4;
  for (const line of letter.referenceLines) requisite(doc, line, centre);
  return doc.y;
}

function addresseeColumn(doc: Doc, letter: Letter): number {
  const x = margins.left + mm(L.addresseeLeftMm);
  const width = contentWidth - mm(L.addresseeLeftMm);
  doc.font(REGULAR).fontSize(L.bodySizePt);
  doc.y = margins.top;
  for (const line of letter.addresseeLines) {
    if (line === '') doc.y += doc.currentLineHeight(true);
    else requisite(doc, line, { x, width, align: 'left' });
  }
  return doc.y;
}

interface MarkBox {
  readonly width: number;
  readonly height: number;
  readonly size: number;
  readonly padding: number;
}

/** The frame sized from the text: the widest line plus padding, at 8 pt or less if the row is narrow. */
function markBox(doc: Doc, mark: readonly string[], room: number): MarkBox {
  let size: number = L.markSizePt;
  const padding = mm(2.5);
  const widest = (s: number) =>
    Math.max(
      ...mark.map((line, i) =>
        doc
          .font(i < 2 ? BOLD : REGULAR)
          .fontSize(s)
          .widthOfString(line),
      ),
    );
  while (size > 6 && widest(size) + 2 * padding > room) size -= 0.25;
  doc.font(REGULAR).fontSize(size);
  const lineHeight = doc.currentLineHeight(true) + 1;
  return {
    width: widest(size) + 2 * padding,
    height: mark.length * lineHeight + lineHeight * 0.4 + 2 * padding,
    size,
    padding,
  };
}

function drawMark(doc: Doc, mark: readonly string[], box: MarkBox, x: number, y: number): void {
  doc.roundedRect(x, y, box.width, box.height, 3).lineWidth(0.75).stroke();
  let lineY = y + box.padding;
  mark.forEach((line, i) => {
    doc
      .font(i < 2 ? BOLD : REGULAR)
      .fontSize(box.size)
      .text(line, i < 2 ? x + (box.width - doc.widthOfString(line)) / 2 : x + box.padding, lineY, {
        lineBreak: false,
      });
    lineY += doc.currentLineHeight(true) + 1 + (i === 1 ? doc.currentLineHeight(true) * 0.4 : 0);
  });
}

interface SignatureRow {
  readonly lineHeight: number;
  readonly positionWidth: number;
  readonly nameWidth: number;
  readonly gap: number;
  readonly room: number;
  readonly box: MarkBox | null;
  readonly positionHeight: number;
  /** From the text above to the row's bottom: two blank lines, then the row. */
  readonly height: number;
  readonly rowHeight: number;
}

function measureSignature(doc: Doc, letter: Letter): SignatureRow {
  doc.font(REGULAR).fontSize(L.bodySizePt);
  const lineHeight = doc.currentLineHeight(true);
  const positionWidth = Math.max(...letter.signer.positionLines.map((line) => doc.widthOfString(line)));
  const nameWidth = doc.widthOfString(letter.signer.shortName);
  const gap = mm(4);
  const room = contentWidth - positionWidth - nameWidth - 2 * gap;
  const box = letter.mark ? markBox(doc, letter.mark, room) : null;
  const positionHeight = letter.signer.positionLines.length * lineHeight;
  const rowHeight = Math.max(positionHeight, box?.height ?? 0);
  return {
    lineHeight,
    positionWidth,
    nameWidth,
    gap,
    room,
    box,
    positionHeight,
    rowHeight,
    height: 2 * lineHeight + rowHeight,
  };
}

/** Position on the left, the mark between, the short name on the right; never split over pages. */
function signatureBlock(doc: Doc, letter: Letter, row: SignatureRow, limit: number): void {
  let top = doc.y + 2 * row.lineHeight;
  if (top + row.rowHeight > limit) {
    doc.addPage();
    top = doc.y;
  }
  const positionTop = top + (row.rowHeight - row.positionHeight) / 2;
  doc.font(REGULAR).fontSize(L.bodySizePt);
  letter.signer.positionLines.forEach((line, i) => {
    doc.text(line, margins.left, positionTop + i * row.lineHeight, { lineBreak: false });
  });
  const lastLineY = positionTop + (letter.signer.positionLines.length - 1) * row.lineHeight;
  doc.text(letter.signer.shortName, margins.left + contentWidth - row.nameWidth, lastLineY, {
    lineBreak: false,
  });
  if (letter.mark && row.box) {
    const free = row.room - row.box.width;
    drawMark(
      doc,
      letter.mark,
      row.box,
      margins.left + row.positionWidth + row.gap + free / 2,
      top + (row.rowHeight - row.box.height) / 2,
    );
  }
  doc.y = top + row.rowHeight;
}

function executorHeight(doc: Doc): number {
  doc.font(REGULAR).fontSize(L.executorSizePt);
  return 2 * doc.currentLineHeight(true);
}

function drawExecutor(doc: Doc, letter: Letter): void {
  doc.font(REGULAR).fontSize(L.executorSizePt);
  const lineHeight = doc.currentLineHeight(true);
  const top = contentBottom - 2 * lineHeight;
  // Page 1's bottom margin is taller when it carries the QR code: text there would start a new page.
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.text(letter.executor.name, margins.left, top, { lineBreak: false });
  doc.text(letter.executor.phone, margins.left, top + lineHeight, { lineBreak: false });
  doc.page.margins.bottom = bottom;
}

function drawQr(doc: Doc, payload: string): void {
  const x = pageWidth - margins.right - qrSize;
  const y = contentBottom - qrSize;
  for (const rect of qrRects(payload, x, y, qrSize)) doc.rect(rect.x, rect.y, rect.width, rect.height);
  doc.fillColor('black').fill();
}

function drawPageNumbers(doc: Doc): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.font(REGULAR).fontSize(L.pageNumberSizePt);
    const label = String(i - range.start + 1);
    doc.text(label, margins.left + (contentWidth - doc.widthOfString(label)) / 2, mm(10), {
      lineBreak: false,
    });
  }
}

function collect(doc: Doc): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
}

/** The letter's PDF and its page count. */
export async function renderLetterPdf(letter: Letter): Promise<RenderedLetter> {
  const fonts = letterFonts();
  const created = new Date(`${letter.fileDate}T00:00:00Z`);
  // The QR code takes the bottom right of page 1: the text there stops above it.
  const firstBottom = letter.qrPayload ? margins.bottom + qrSize + mm(4) : margins.bottom;
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    size: 'A4',
    font: fonts.regular as unknown as string,
    lang: 'ru-RU',
    displayTitle: true,
    info: {
      Title: letter.registration
        ? `${registrationLine(letter.registration)} ${letter.subject}`
        : `Проект: ${letter.subject}`,
      Subject: letter.subject,
      Author: letter.letterhead.nameLines.join(' '),
      Creator: 'docroute',
      CreationDate: created,
      ModDate: created,
    },
  });
  const bytes = collect(doc);
  doc.registerFont(REGULAR, fonts.regular as unknown as string);
  doc.registerFont(BOLD, fonts.bold as unknown as string);
  doc.addPage({ size: 'A4', margins: { ...margins, bottom: firstBottom } });
  // Later pages take the ГОСТ margins again, not page 1's taller bottom.
  doc.on('pageAdded', () => {
    doc.page.margins = { ...margins };
  });

  const leftBottom = letterheadColumn(doc, letter);
  const rightBottom = addresseeColumn(doc, letter);
  doc.y = Math.max(leftBottom, rightBottom) + mm(10);

  doc.font(REGULAR).fontSize(L.bodySizePt);
  for (const line of letter.titleLines)
    requisite(doc, line, { x: margins.left, width: contentWidth, align: 'center' });
  doc.y += doc.currentLineHeight(true) * 0.5;

  const executorTop = contentBottom - executorHeight(doc) - mm(3);
  const signatureLimit = () =>
    doc.bufferedPageRange().count === 1 && letter.qrPayload ? contentBottom - qrSize - mm(4) : executorTop;
  const signature = measureSignature(doc, letter);
  const paragraphOptions = {
    width: contentWidth,
    align: 'justify',
    indent: mm(L.paragraphIndentMm),
    lineGap: 0,
  } as const;
  doc.font(REGULAR).fontSize(L.bodySizePt);
  letter.paragraphs.forEach((paragraph, i) => {
    if (i === letter.paragraphs.length - 1 && i > 0) {
      // The signature never stands on a page without text: when the last paragraph would end this
      // page and leave no room for the signature row, the paragraph goes over with it.
      const height = doc.heightOfString(paragraph, paragraphOptions);
      const fits = doc.y + height <= doc.page.height - doc.page.margins.bottom;
      if (fits && doc.y + height + signature.height > signatureLimit()) doc.addPage();
    }
    doc.text(paragraph, margins.left, doc.y, paragraphOptions);
  });
  if (letter.attachmentLines.length > 0) {
    doc.y += doc.currentLineHeight(true) * 0.5;
    for (const line of letter.attachmentLines)
      requisite(doc, line, { x: margins.left, width: contentWidth, align: 'left' });
  }

  signatureBlock(doc, letter, signature, signatureLimit());
  drawExecutor(doc, letter);

  if (letter.qrPayload) {
    doc.switchToPage(doc.bufferedPageRange().start);
    drawQr(doc, letter.qrPayload);
  }
  drawPageNumbers(doc);
  const pages = doc.bufferedPageRange().count;
  doc.end();
  return { bytes: await bytes, contentType: 'application/pdf', pages };
}

export const pdfLetterRenderer: LetterRenderer = { render: renderLetterPdf };
