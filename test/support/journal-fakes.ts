import { journalExportStream } from '../../functions/adapters/export/journal-stream.ts';
import type { IncomingCard } from '../../functions/domain/documents.ts';
import type { JournalExportContext, JournalExportFormat } from '../../functions/domain/journal-export.ts';
import type { JournalEntry } from '../../functions/domain/numbering.ts';
import type { DocumentStore } from '../../functions/ports/document-store.ts';
import type { JournalStore } from '../../functions/ports/journal-store.ts';

/**
 * The journal export streamed from stores that make entries and cards on the fly (and keep none):
 * rows per second, the process's peak RSS and the peak heap, at 10,000 and 100,000 numbers. The
 * heap at 100,000 over the heap at 10,000 shows whether memory stays flat (about 1).
 */

/** A subject long enough that a buffered export would show: 500 Cyrillic characters. */
export const longSubject = 'О предоставлении сведений о ходе исполнения поручения; '.repeat(10).slice(0, 500);

/** Every `voidEvery`-th number is voided; every `gapEvery`-th number has no entry at all. */
export interface SyntheticJournal {
  readonly numbers: number;
  readonly voidEvery?: number;
  readonly gapEvery?: number;
}

const takenAt = '2024-03-01T07:00:00.000Z';

const regNumberOf = (seq: number) => `01-05/${seq}`;

/** Fake stores for a journal of `numbers` numbers from 1, generating each entry and card when read. */
export function syntheticStores({ numbers, voidEvery = 1000, gapEvery = 0 }: SyntheticJournal): {
  journals: Pick<JournalStore, 'entriesAfter'>;
  documents: Pick<DocumentStore, 'get'>;
  context: JournalExportContext;
} {
  const entryOf = (seq: number): JournalEntry | null => {
    if (gapEvery > 0 && seq % gapEvery === 0) return null;
    if (voidEvery > 0 && seq % voidEvery === 0)
      return { seq, regNumber: regNumberOf(seq), voided: { reason: `SaveCard failed: ${seq}`, at: takenAt } };
    return { seq, regNumber: regNumberOf(seq), regDate: '2024-03-01', documentId: `doc-${seq}`, takenAt };
  };
  const journals: Pick<JournalStore, 'entriesAfter'> = {
    async entriesAfter(_key, afterSeq, limit) {
      const page: JournalEntry[] = [];
      for (let seq = afterSeq + 1; seq <= numbers && page.length < limit; seq++) {
        const entry = entryOf(seq);
        if (entry !== null) page.push(entry);
      }
      return page;
    },
  };
  const documents: Pick<DocumentStore, 'get'> = {
    async get(id) {
      const seq = Number(id.slice(4));
      const card: IncomingCard = {
        id,
        direction: 'incoming',
        journal: 'incoming',
        regNumber: regNumberOf(seq),
        regDate: '2024-03-01',
        regSeq: seq,
        status: 'registered',
        registeredAt: takenAt,
        registeredBy: { sub: 'clerk', role: 'clerk' },
        correspondent: { organization: 'Министерство финансов Ставропольского края', person: 'И.И. Иванов' },
        theirRef: { number: `02-11/${seq}`, date: '2024-02-27' },
        kind: 'request',
        subject: `${seq}: ${longSubject}`,
        receivedAt: takenAt,
        channel: 'medo',
        executor: 'plaksina',
      };
      return card;
    },
  };
  const context: JournalExportContext = {
    direction: 'incoming',
    year: 2024,
    resetsYearly: true,
    firstNumber: 1,
    lastNumber: numbers,
    lastTakenAt: takenAt,
    now: new Date('2024-06-01T00:00:00Z'),
    leaseMs: 60_000,
    executors: {},
    signers: {},
  };
  return { journals, documents, context };
}

/** Streams a synthetic journal to nowhere: its bytes, time and the highest heap seen while it ran. */
export async function drain(
  numbers: number,
  format: JournalExportFormat,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<{ bytes: number; ms: number; peakHeap: number }> {
  const { journals, documents, context } = syntheticStores({ numbers });
  const start = performance.now();
  const reader = journalExportStream(
    { journals, documents },
    { journalKey: 'incoming#2024', context },
    format,
  ).getReader();
  let bytes = 0;
  let peakHeap = 0;
  let chunks = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    onChunk?.(value);
    if (++chunks % 16 === 0) {
      // The heap and the Buffers outside it (the deflater's, the stream's): both would grow if rows piled up.
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      peakHeap = Math.max(peakHeap, heapUsed + arrayBuffers);
    }
  }
  return { bytes, ms: performance.now() - start, peakHeap };
}
