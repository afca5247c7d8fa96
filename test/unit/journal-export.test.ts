import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { journalExportStream } from '../../functions/adapters/export/journal-stream.ts';
import {
  csvCell,
  csvLine,
  type JournalExportContext,
  type JournalPage,
  type JournalRow,
  journalColumns,
  journalRows,
} from '../../functions/domain/journal-export.ts';
import type { JournalEntry } from '../../functions/domain/numbering.ts';
import { syntheticStores } from '../support/journal-fakes.ts';

/**
 * The journal export without stores: rows from pages of entries (every number, gaps included), the
 * CSV encoding, and the stream over fake stores that make entries and cards when read, so that a
 * year of 100,000 numbers is exported with a flat heap.
 */

const now = new Date('2024-06-01T12:00:00Z');
const leaseMs = 60_000;

const context = (over: Partial<JournalExportContext> = {}): JournalExportContext => ({
  direction: 'incoming',
  year: 2024,
  resetsYearly: true,
  firstNumber: 1,
  lastNumber: 6,
  lastTakenAt: '2024-06-01T11:59:50Z',
  now,
  leaseMs,
  executors: { plaksina: { fullName: 'Плаксина Анна Сергеевна', phone: '1' } },
  signers: {},
  ...over,
});

async function* pagesOf(...pages: JournalPage[]): AsyncGenerator<JournalPage> {
  yield* pages;
}

async function collect(rows: AsyncIterable<JournalRow>): Promise<JournalRow[]> {
  const all: JournalRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

const registered = (seq: number, takenAt = '2024-05-01T10:00:00Z'): JournalEntry => ({
  seq,
  regNumber: `01-05/${seq}`,
  regDate: '2024-05-01',
  documentId: `doc-${seq}`,
  takenAt,
});

describe('journalRows', () => {
  it('gives one row per number in order across pages: documents, voided numbers, and gaps by their age', async () => {
    const { documents } = syntheticStores({ numbers: 10 });
    const card = async (seq: number) => [`doc-${seq}`, await documents.get(`doc-${seq}`)] as const;
    const rows = await collect(
      journalRows(
        context(),
        pagesOf(
          {
            // 2 was taken and never recorded, long ago: interrupted.
            entries: [
              registered(1),
              registered(3),
              { seq: 4, regNumber: '01-05/4', voided: { reason: 'SaveCard: DiskOnFire', at: 'x' } },
            ],
            cards: new Map([await card(1), await card(3)]),
          },
          // 5 has a card that is gone; 6 was taken seconds ago and is not recorded yet: in progress.
          { entries: [registered(5)], cards: new Map() },
        ),
      ),
    );
    expect(rows.map((r) => [r[0], r[1], r[11]])).toEqual([
      [1, '01-05/1', 'зарегистрирован'],
      [2, '(№ 2)', 'прерван'],
      [3, '01-05/3', 'зарегистрирован'],
      [4, '01-05/4', 'аннулирован: SaveCard: DiskOnFire'],
      [5, '01-05/5', 'зарегистрирован'],
      [6, '(№ 6)', 'в работе'],
    ]);
    expect(rows[0]).toEqual([
      1,
      '01-05/1',
      '01.05.2024',
      'Министерство финансов Ставропольского края, И.И. Иванов',
      '№ 02-11/1 от 27.02.2024',
      'Запрос',
      expect.stringMatching(/^1: О предоставлении сведений/),
      'МЭДО',
      'Плаксина Анна Сергеевна',
      '',
      'на исполнении',
      'зарегистрирован',
    ]);
    expect(rows.every((r) => r.length === journalColumns('incoming').length)).toBe(true);
  });

  it('starts at the first number, and lists a journal with no numbers as empty', async () => {
    const rows = await collect(
      journalRows(
        context({ firstNumber: 500, lastNumber: 501 }),
        pagesOf({ entries: [registered(500)], cards: new Map() }),
      ),
    );
    expect(rows.map((r) => r[1])).toEqual(['01-05/500', '(№ 501)']);
    expect(await collect(journalRows(context({ lastNumber: null }), pagesOf()))).toEqual([]);
  });

  it('leaves out other years of a journal that never resets', async () => {
    const old = { ...registered(1), regDate: '2023-12-29' };
    const rows = await collect(
      journalRows(
        context({ resetsYearly: false, lastNumber: 2 }),
        pagesOf({ entries: [old, registered(2)], cards: new Map() }),
      ),
    );
    expect(rows.map((r) => [r[0], r[1]])).toEqual([[1, '01-05/2']]);
  });
});

describe('CSV encoding', () => {
  it('quotes semicolons, quotes and line breaks, ends lines with CRLF', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('ООО «Ромашка» "Лютик"')).toBe('"ООО «Ромашка» ""Лютик"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(42)).toBe('42');
    expect(csvLine(['a', 1, 'b;c'])).toBe('a;1;"b;c"\r\n');
  });
});

describe('journalExportStream over fake stores', () => {
  it('reads XLSX back with exceljs: the header and one row per number', async () => {
    const { journals, documents, context: ctx } = syntheticStores({ numbers: 1200, gapEvery: 700 });
    const stream = journalExportStream(
      { journals, documents },
      { journalKey: 'incoming#2024', context: ctx, pageSize: 100 },
      'xlsx',
    );
    const buffer = Buffer.from(await new Response(stream).arrayBuffer());
    expect(buffer.subarray(0, 2).toString()).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.rowCount).toBe(1201);
    expect(sheet?.getRow(1).values).toEqual([undefined, ...journalColumns('incoming')]);
    expect(sheet?.getRow(701).getCell(2).value).toBe('(№ 700)');
    expect(sheet?.getRow(1001).getCell(12).value).toBe('аннулирован: SaveCard failed: 1000');
    expect(sheet?.getRow(1201).getCell(1).value).toBe(1200);
  });

  // A full collection before each sample makes the heap figures those of live data, not garbage.
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  const live = () => {
    gc?.();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };

  it.each(['csv', 'xlsx'] as const)(
    'streams 100,000 numbers as %s with the heap flat from 20,000 rows on',
    async (format) => {
      const { journals, documents, context: ctx } = syntheticStores({ numbers: 100_000 });
      // Rows made so far, counted by the cards read (a page ahead of the bytes at most).
      let cardsRead = 0;
      const counting = {
        get: (id: string) => {
          cardsRead++;
          return documents.get(id);
        },
      };
      const reader = journalExportStream(
        { journals, documents: counting },
        { journalKey: 'incoming#2024', context: ctx },
        format,
      ).getReader();
      let lines = 0;
      let bytes = 0;
      let nextSample = 20_000;
      let atStart: number | null = null;
      let highest = 0;
      const start = performance.now();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        if (format === 'csv') for (const byte of value) if (byte === 10) lines++;
        if (cardsRead >= nextSample) {
          const heap = live();
          atStart ??= heap;
          highest = Math.max(highest, heap);
          nextSample += 10_000;
        }
      }
      const seconds = (performance.now() - start) / 1000;
      // The header, then every number: every 1000th is voided and has no card.
      if (format === 'csv') expect(lines - 1).toBe(100_000);
      expect(cardsRead).toBe(99_900);
      expect(atStart).not.toBeNull();
      const growthMb = (highest - (atStart ?? 0)) / 1024 / 1024;
      // Buffering every row would hold over 100 MB (100,000 rows with a 500-character subject).
      expect(growthMb, `heap growth ${growthMb.toFixed(1)} MB, ${seconds.toFixed(1)} s`).toBeLessThan(30);
      console.log(
        `${format}: ${bytes} bytes, heap growth ${growthMb.toFixed(1)} MB, ${seconds.toFixed(1)} s`,
      );
    },
    30_000,
  );
});
