/**
 * The letter as DOCX with `docx`, for editing a draft in Word or LibreOffice: the same layout as
 * the PDF (../pdf/pdf-letter-renderer.ts) built from Word's own means (borderless tables, a frame
 * paragraph, a first-page header), in Times New Roman, which is not embedded. Column widths are
 * measured with Tinos, whose metrics are Times New Roman's.
 */

import {
  AlignmentType,
  BorderStyle,
  Document,
  FrameAnchorType,
  FrameWrap,
  Header,
  HorizontalPositionAlign,
  HorizontalPositionRelativeFrom,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  TextWrappingType,
  VerticalAlignTable,
  VerticalPositionAlign,
  VerticalPositionRelativeFrom,
  WidthType,
} from 'docx';
import QRCode from 'qrcode';
import { type Letter, letterLayout, registrationLine } from '../../domain/letter/letter.ts';
import { letterFonts } from '../pdf/fonts.ts';

export const docxContentType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface RenderedDocx {
  readonly bytes: Uint8Array;
  readonly contentType: typeof docxContentType;
}

const L = letterLayout;
const FONT = 'Times New Roman';
/** docx's own conversion floors: 210 mm would be 11905, not A4's 11906. */
const twip = (mm: number) => Math.round((mm * 1440) / 25.4);
/** Half-points, as w:sz takes a size. */
const half = (pt: number) => Math.round(pt * 2);
const ptTwip = (pt: number) => Math.round(pt * 20);
const EMU_PER_MM = 36000;

const contentWidthMm = L.page.widthMm - L.marginsMm.left - L.marginsMm.right;
const contentWidth = twip(contentWidthMm);

/** fontkit's font as far as measuring goes. */
interface Metrics {
  readonly unitsPerEm: number;
  layout(text: string): { readonly advanceWidth: number };
}

function measurer(): (text: string, sizePt: number, bold?: boolean) => number {
  const fonts = letterFonts();
  const regular = fonts.regular as unknown as Metrics;
  const bold = fonts.bold as unknown as Metrics;
  // In twips, as the table grid takes widths.
  return (text, sizePt, isBold = false) => {
    const font = isBold ? bold : regular;
    return (font.layout(text).advanceWidth / font.unitsPerEm) * sizePt * 20;
  };
}

const none = { style: BorderStyle.NONE, size: 0, color: 'auto' } as const;
const noBorders = {
  top: none,
  bottom: none,
  left: none,
  right: none,
  insideHorizontal: none,
  insideVertical: none,
} as const;
const noMargins = { top: 0, bottom: 0, left: 0, right: 0 } as const;

interface LineOptions {
  readonly size: number;
  readonly bold?: boolean;
  readonly alignment?: (typeof AlignmentType)[keyof typeof AlignmentType];
  readonly before?: number;
  readonly after?: number;
  readonly keepNext?: boolean;
  /** Runs before the text, such as a floating image anchored here. */
  readonly lead?: readonly ParagraphChild[];
}

/** One requisite line as a paragraph of its own; Word wraps it at spaces (no hyphenation is on). */
function line(text: string, options: LineOptions): Paragraph {
  return new Paragraph({
    alignment: options.alignment ?? AlignmentType.LEFT,
    spacing: { before: options.before ?? 0, after: options.after ?? 0 },
    ...(options.keepNext ? { keepNext: true } : {}),
    children: [
      ...(options.lead ?? []),
      ...(text === '' ? [] : [new TextRun({ text, size: half(options.size), bold: options.bold ?? false })]),
    ],
    run: { size: half(options.size) },
  });
}

/** The registered date and number underlined as on the form; a draft keeps the blanks. */
function registrationParagraph(letter: Letter): Paragraph {
  const size = half(L.registrationSizePt);
  const children: ParagraphChild[] = letter.registration
    ? [
        new TextRun({ text: letter.registration.date, size, underline: {} }),
        new TextRun({ text: ' № ', size }),
        new TextRun({ text: letter.registration.number, size, underline: {} }),
      ]
    : [new TextRun({ text: `${'_'.repeat(14)} № ${'_'.repeat(14)}`, size })];
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: ptTwip(10), after: ptTwip(4) },
    children,
  });
}

function cell(children: Paragraph[] | Table[], width: number, extra: Partial<{ valign: boolean }> = {}) {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    borders: { top: none, bottom: none, left: none, right: none },
    margins: noMargins,
    ...(extra.valign ? { verticalAlign: VerticalAlignTable.CENTER } : {}),
    children: children.length === 0 ? [new Paragraph({})] : children,
  });
}

function borderless(columns: readonly number[], cells: TableCell[], cantSplit = false): Table {
  return new Table({
    width: { size: columns.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: [...columns],
    layout: TableLayoutType.FIXED,
    borders: noBorders,
    margins: noMargins,
    rows: [new TableRow({ ...(cantSplit ? { cantSplit } : {}), children: cells })],
  });
}

/** The corner letterhead with the registration and the references left, the addressee right. */
function headTable(letter: Letter): Table {
  const left = twip(L.letterheadWidthMm);
  const gap = twip(L.addresseeLeftMm - L.letterheadWidthMm);
  const right = contentWidth - left - gap;
  const centre = AlignmentType.CENTER;
  const names = letter.letterhead.nameLines.map((text, i, all) =>
    line(text, {
      size: L.letterheadNameSizePt,
      bold: true,
      alignment: centre,
      after: i === all.length - 1 ? ptTwip(4) : 0,
    }),
  );
  const details = letter.letterhead.detailLines.map((text) =>
    line(text, { size: L.letterheadDetailSizePt, alignment: centre }),
  );
  const references = letter.referenceLines.map((text) =>
    line(text, { size: L.registrationSizePt, alignment: centre }),
  );
  const addressee = letter.addresseeLines.map((text) => line(text, { size: L.bodySizePt }));
  return borderless(
    [left, gap, right],
    [
      cell([...names, ...details, registrationParagraph(letter), ...references], left),
      cell([], gap),
      cell(addressee, right),
    ],
  );
}

/** The framed five-line mark: the first two lines bold and centred, at 8 pt or less to fit the room. */
function markTable(mark: readonly string[], room: number, measure: ReturnType<typeof measurer>): Table {
  const padding = twip(2.5);
  const widest = (size: number) => Math.max(...mark.map((text, i) => measure(text, size, i < 2)));
  let size: number = L.markSizePt;
  while (size > 6 && widest(size) + 2 * padding > room) size -= 0.5;
  // A little slack: Word's line breaking must not wrap the widest line over a rounding error.
  const width = Math.min(room, Math.ceil(widest(size) + 2 * padding + ptTwip(2)));
  const border = { style: BorderStyle.SINGLE, size: 6, color: '000000' } as const;
  const paragraphs = mark.map(
    (text, i) =>
      new Paragraph({
        alignment: i < 2 ? AlignmentType.CENTER : AlignmentType.LEFT,
        spacing: { before: 0, after: i === 1 ? Math.round(ptTwip(size) * 0.5) : 0 },
        children: [new TextRun({ text, size: half(size), bold: i < 2 })],
      }),
  );
  return new Table({
    width: { size: width, type: WidthType.DXA },
    columnWidths: [width],
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: none,
      insideVertical: none,
    },
    margins: { top: padding, bottom: padding, left: padding, right: padding },
    rows: [
      new TableRow({
        cantSplit: true,
        children: [new TableCell({ width: { size: width, type: WidthType.DXA }, children: paragraphs })],
      }),
    ],
  });
}

/** Position left, the mark between, the short name right on the position's last line; one row, never split. */
function signatureTable(letter: Letter, measure: ReturnType<typeof measurer>): Table {
  const size = L.bodySizePt;
  const gap = twip(4);
  const slack = ptTwip(2);
  const positionWidth =
    Math.ceil(Math.max(...letter.signer.positionLines.map((t) => measure(t, size)))) + slack;
  const nameWidth = Math.ceil(measure(letter.signer.shortName, size)) + slack;
  const middle = contentWidth - positionWidth - nameWidth;
  const position = letter.signer.positionLines.map((text) => line(text, { size }));
  // Blank lines above the name put it on the position's last line, both cells centred in the row.
  const name = [
    ...letter.signer.positionLines.slice(1).map(() => line('', { size })),
    line(letter.signer.shortName, { size, alignment: AlignmentType.RIGHT }),
  ];
  const mark = letter.mark ? [markTable(letter.mark, middle - 2 * gap, measure)] : [];
  return borderless(
    [positionWidth, middle, nameWidth],
    [
      cell(position, positionWidth, { valign: true }),
      cell(mark, middle, { valign: true }),
      cell(name, nameWidth, { valign: true }),
    ],
    true,
  );
}

/** The executor at the bottom left of the page the signature is on: a frame anchored to the margin. */
function executorParagraph(letter: Letter): Paragraph {
  const size = half(L.executorSizePt);
  return new Paragraph({
    frame: {
      type: 'alignment',
      alignment: { x: HorizontalPositionAlign.LEFT, y: VerticalPositionAlign.BOTTOM },
      anchor: { horizontal: FrameAnchorType.MARGIN, vertical: FrameAnchorType.MARGIN },
      wrap: FrameWrap.NOT_BESIDE,
      space: { horizontal: 0, vertical: twip(3) },
    },
    alignment: AlignmentType.LEFT,
    spacing: { before: 0, after: 0 },
    children: [
      new TextRun({ text: letter.executor.name, size }),
      new TextRun({ text: letter.executor.phone, size, break: 1 }),
    ],
  });
}

/** Requisite 31 as a PNG floating at the bottom right of page 1, text kept above it. */
async function qrImage(payload: string): Promise<ImageRun> {
  // 5 px a module: about 330 dpi at 22 mm, half the time scale 8 takes to encode.
  const png = await QRCode.toBuffer(payload, { errorCorrectionLevel: 'M', margin: 4, scale: 5, type: 'png' });
  // docx takes pixels at 96 to the inch.
  const px = (L.qrSizeMm / 25.4) * 96;
  return new ImageRun({
    type: 'png',
    data: png,
    transformation: { width: px, height: px },
    // A fixed id: docx's default counts drawings across documents, so bytes would differ per render.
    altText: { id: '1', name: 'QR', title: 'QR', description: payload },
    floating: {
      horizontalPosition: {
        relative: HorizontalPositionRelativeFrom.MARGIN,
        align: HorizontalPositionAlign.RIGHT,
      },
      verticalPosition: {
        relative: VerticalPositionRelativeFrom.MARGIN,
        align: VerticalPositionAlign.BOTTOM,
      },
      allowOverlap: false,
      lockAnchor: true,
      wrap: { type: TextWrappingType.TOP_AND_BOTTOM },
      margins: { top: 4 * EMU_PER_MM, bottom: 0, left: 0, right: 0 },
    },
  });
}

function pageNumberHeader(): Header {
  return new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: [PageNumber.CURRENT], size: half(L.pageNumberSizePt) })],
      }),
    ],
  });
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** docx stamps docProps/core.xml with the clock; this one carries the letter's own date. */
function coreProperties(letter: Letter, title: string): string {
  const date = `${letter.fileDate}T00:00:00Z`;
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"',
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    `<dc:title>${escapeXml(title)}</dc:title>`,
    `<dc:subject>${escapeXml(letter.subject)}</dc:subject>`,
    `<dc:creator>${escapeXml(letter.letterhead.nameLines.join(' '))}</dc:creator>`,
    '<cp:lastModifiedBy>docroute</cp:lastModifiedBy>',
    '<dc:language>ru-RU</dc:language>',
    `<dcterms:created xsi:type="dcterms:W3CDTF">${date}</dcterms:created>`,
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${date}</dcterms:modified>`,
    '</cp:coreProperties>',
  ].join('');
}

/** The letter's DOCX. */
export async function renderLetterDocx(letter: Letter): Promise<Uint8Array> {
  const measure = measurer();
  const size = L.bodySizePt;
  const title = letter.registration
    ? `${registrationLine(letter.registration)} ${letter.subject}`
    : `Проект: ${letter.subject}`;

  const qr = letter.qrPayload ? [await qrImage(letter.qrPayload)] : [];
  // The QR code is anchored in the title's first line, which is always on page 1.
  const titleLines = letter.titleLines.length > 0 ? letter.titleLines : [''];
  const titleBlock = titleLines.map((text, i, all) =>
    line(text, {
      size,
      alignment: AlignmentType.CENTER,
      before: i === 0 ? twip(10) : 0,
      after: i === all.length - 1 ? ptTwip(size * 0.5) : 0,
      keepNext: true,
      ...(i === 0 ? { lead: qr } : {}),
    }),
  );

  const body = letter.paragraphs.map(
    (text, i, all) =>
      new Paragraph({
        alignment: AlignmentType.JUSTIFIED,
        indent: { firstLine: twip(L.paragraphIndentMm) },
        spacing: { before: 0, after: 0 },
        widowControl: true,
        // The signature never stands on a page without text: the last paragraph keeps with it.
        ...(i === all.length - 1 ? { keepNext: true } : {}),
        children: [new TextRun({ text, size: half(size) })],
      }),
  );

  const doc = new Document({
    creator: letter.letterhead.nameLines.join(' '),
    title,
    subject: letter.subject,
    lastModifiedBy: 'docroute',
    styles: {
      default: {
        document: {
          run: { font: FONT, size: half(size), language: { value: 'ru-RU' } },
          paragraph: { spacing: { before: 0, after: 0, line: 240 } },
        },
      },
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: twip(L.page.widthMm), height: twip(L.page.heightMm) },
            margin: {
              top: twip(L.marginsMm.top),
              right: twip(L.marginsMm.right),
              bottom: twip(L.marginsMm.bottom),
              left: twip(L.marginsMm.left),
              // The page number stands 10 mm from the top, as in the PDF.
              header: twip(10),
              footer: twip(10),
            },
          },
        },
        // Page 1 carries no number; a header part without a paragraph is invalid to Word.
        headers: { default: pageNumberHeader(), first: new Header({ children: [new Paragraph({})] }) },
        children: [
          headTable(letter),
          ...titleBlock,
          ...body,
          line('', { size, keepNext: true }),
          line('', { size, keepNext: true }),
          signatureTable(letter, measure),
          executorParagraph(letter),
        ],
      },
    ],
  });
  const zip = await Packer.pack(doc, 'uint8array', false, [
    { path: 'docProps/core.xml', data: coreProperties(letter, title) },
  ]);
  return stampZipDates(zip, letter.fileDate);
}

/**
 * fflate, which docx zips with, stamps each entry with the clock; the entries get the letter's date
 * instead (MS-DOS date, midnight), so the same letter gives the same bytes. The fields are outside
 * the CRC, so they are patched in place.
 */
export function stampZipDates(zip: Uint8Array, isoDate: string): Uint8Array {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const dosDate = ((year - 1980) << 9) | (month << 5) | day;
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('docx gave no zip end record');
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < entries; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('docx gave a broken zip directory');
    view.setUint16(at + 12, 0, true);
    view.setUint16(at + 14, dosDate, true);
    const local = view.getUint32(at + 42, true);
    view.setUint16(local + 10, 0, true);
    view.setUint16(local + 12, dosDate, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return zip;
}

export const docxLetterRenderer = {
  async render(letter: Letter): Promise<RenderedDocx> {
    return { bytes: await renderLetterDocx(letter), contentType: docxContentType };
  },
};
