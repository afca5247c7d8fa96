import { EventEmitter, once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { DocumentCard } from '../../domain/documents.ts';
import {
  csvBom,
  csvLine,
  type JournalExportContext,
  type JournalExportFormat,
  type JournalPage,
  type JournalRow,
  journalColumns,
  journalRows,
} from '../../domain/journal-export.ts';
import type { DocumentStore } from '../../ports/document-store.ts';
import type { JournalStore } from '../../ports/journal-store.ts';

/**
 * A registration journal streamed as CSV or XLSX: entries are read a page at a time, and the next
 * page only when the reader has taken the rows of the last one, so memory stays that of a page
 * whatever the size of the year.
 */

export interface JournalExportSpec {
  readonly journalKey: string;
  readonly context: JournalExportContext;
  /** The worksheet's name (Excel allows 31 characters). */
  readonly sheetName?: string;
  /** Entries read per page. */
  readonly pageSize?: number;
  /** Cards read at once within a page. */
  readonly cardReads?: number;
}

export const journalExportContentTypes: Record<JournalExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

type Stores = {
  readonly journals: Pick<JournalStore, 'entriesAfter'>;
  readonly documents: Pick<DocumentStore, 'get'>;
};

export function journalExportStream(
  stores: Stores,
  spec: JournalExportSpec,
  format: JournalExportFormat,
): ReadableStream<Uint8Array> {
  const rows = journalRows(spec.context, pagesOf(stores, spec));
  const header = journalColumns(spec.context.direction);
  return format === 'csv' ? csvStream(header, rows) : xlsxStream(header, rows, spec.sheetName ?? 'Журнал');
}

/** Pages of entries from the first number through the counter's last, each with the cards it names. */
async function* pagesOf(stores: Stores, spec: JournalExportSpec): AsyncGenerator<JournalPage> {
  const { firstNumber, lastNumber } = spec.context;
  if (lastNumber === null) return;
  const pageSize = spec.pageSize ?? 500;
  let after = firstNumber - 1;
  while (after < lastNumber) {
    const entries = await stores.journals.entriesAfter(spec.journalKey, after, pageSize);
    const lastEntry = entries[entries.length - 1];
    if (lastEntry === undefined) return;
    const ids = entries.flatMap((e) => ('documentId' in e ? [e.documentId] : []));
    yield { entries, cards: await cardsOf(stores.documents, ids, spec.cardReads ?? 8) };
    if (entries.length < pageSize) return;
    after = lastEntry.seq;
  }
}

/** Reads the cards with at most `parallel` reads in flight. */
async function cardsOf(
  documents: Stores['documents'],
  ids: readonly string[],
  parallel: number,
): Promise<Map<string, DocumentCard | null>> {
  const cards = new Map<string, DocumentCard | null>();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      cards.set(id, await documents.get(id));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, ids.length) }, worker));
  return cards;
}

/** Rows taken this many at a time make one chunk: big enough to keep the per-chunk cost low. */
const rowsPerChunk = 200;

function csvStream(header: readonly string[], rows: AsyncGenerator<JournalRow>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      // Pull-based: a chunk is made only when the reader asks for one.
      async pull(controller) {
        let text = started ? '' : csvBom + csvLine(header);
        started = true;
        for (let n = 0; n < rowsPerChunk; n++) {
          const { value, done } = await rows.next();
          if (done) {
            if (text !== '') controller.enqueue(encoder.encode(text));
            controller.close();
            return;
          }
          text += csvLine(value);
        }
        controller.enqueue(encoder.encode(text));
      },
      async cancel() {
        await rows.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}

function xlsxStream(
  header: readonly string[],
  rows: AsyncGenerator<JournalRow>,
  sheetName: string,
): ReadableStream<Uint8Array> {
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  let cancelled = false;
  const write = async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: false,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
    sheet.addRow([...header]).commit();
    let n = 0;
    for await (const row of rows) {
      if (cancelled) {
        await rows.return(undefined);
        return;
      }
      sheet.addRow([...row]).commit();
      if (++n % rowsPerChunk === 0) await settle(sheet, out);
    }
    await sheet.commit();
    await workbook.commit();
  };
  void write().catch((error: unknown) =>
    out.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  out.once('close', () => {
    cancelled = true;
  });
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

type WorksheetWriter = ReturnType<ExcelJS.stream.xlsx.WorkbookWriter['addWorksheet']>;

/** Until `event` or the stream's close, whichever first; the other listener is removed. */
async function untilEither(stream: EventEmitter, event: string, also?: PassThrough): Promise<void> {
  const done = new AbortController();
  const waiting = [event, 'close'].map((name) => once(stream, name, { signal: done.signal }));
  // A reader that went away closes the output: stop waiting on the inner stream then too.
  if (also !== undefined) waiting.push(once(also, 'close', { signal: done.signal }));
  try {
    await Promise.race(waiting);
  } finally {
    done.abort();
    // The aborted wait rejects with AbortError; nobody is waiting for it.
    for (const w of waiting) w.catch(() => {});
  }
}

/**
 * Waits until the rows written so far have moved on. exceljs writes a sheet into a buffer that
 * ignores backpressure and pipes it, through the zip archiver's PassThrough, into the deflater: if
 * rows are added faster than they are deflated, that PassThrough fills without bound. Its fill level
 * is read from exceljs's internals (the sheet stream's pipes), and the output's as the last word.
 */
async function settle(sheet: WorksheetWriter, out: PassThrough): Promise<void> {
  const inner = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0];
  // archiver's PassThrough is readable-stream 2's, which has no writableNeedDrain: its state tells.
  const state = (inner as { _writableState?: { length: number; highWaterMark: number } } | undefined)
    ?._writableState;
  if (inner instanceof EventEmitter && state !== undefined) {
    while (
      state.length > state.highWaterMark &&
      !(inner as { destroyed?: boolean }).destroyed &&
      !out.destroyed
    )
      await untilEither(inner, 'drain', out);
  }
  if (out.writableNeedDrain) await untilEither(out, 'drain');
  // A turn of the event loop lets the deflater run before more rows go in.
  await new Promise<void>((resolve) => setImmediate(resolve));
}
