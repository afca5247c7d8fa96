import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import { parseArgs } from 'node:util';
import { journalExportStream } from '../../functions/adapters/export/journal-stream.ts';
import { calendarDateProblem } from '../../functions/domain/calendar-date.ts';
import { journalExportContext } from '../../functions/domain/journal-export.ts';
import { journalKeyOf } from '../../functions/domain/numbering.ts';
import { serviceConfig, withDataDirStack } from '../data-dir-stack.ts';
import { type Command, UsageError } from '../io.ts';

const usage = 'usage: docroute journal export <journal> <year> [--format csv|xlsx] [--out FILE]';

/**
 * `docroute journal export <journal> <year> [--format csv|xlsx] [--out FILE]`: a registration
 * journal, one row per number, from the service's data directory (DOCROUTE_DATA_DIR) while the
 * service is stopped. CSV goes to stdout without --out; XLSX is binary and needs --out.
 */
export const journal: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'csv' }, out: { type: 'string' } },
  });
  const [action, journalId, yearText, ...extra] = positionals;
  if (action !== 'export' || journalId === undefined || yearText === undefined || extra.length > 0)
    throw new UsageError(usage);
  if (!/^\d{4}$/.test(yearText) || calendarDateProblem(`${yearText}-01-01`) !== null)
    throw new UsageError(`give a four-digit year from 1900 to 2999, not '${yearText}'`);
  const format = values.format;
  if (format !== 'csv' && format !== 'xlsx') throw new UsageError(`--format: csv or xlsx, not '${format}'`);
  if (format === 'xlsx' && values.out === undefined)
    throw new UsageError('--format xlsx writes a binary file: give --out FILE');
  const { config } = await serviceConfig(io);
  const rules = Object.hasOwn(config.journals, journalId) ? config.journals[journalId] : undefined;
  if (rules === undefined)
    throw new UsageError(
      `no journal '${journalId}'; the configuration has ${Object.keys(config.journals).join(', ')}`,
    );
  return withDataDirStack(
    io,
    `export through the API: GET /v1/journals/${journalId}/${yearText}?format=${format}`,
    async (stack) => {
      const year = Number(yearText);
      const journalKey = journalKeyOf(journalId, rules, year);
      const context = journalExportContext(
        config,
        journalId,
        year,
        await stack.deps.journals.counter(journalKey),
        stack.deps.clock.now(),
        stack.deps.registrationLeaseMs,
      );
      const stream = journalExportStream(
        stack.deps,
        { journalKey, context, sheetName: `${journalId} ${yearText}` },
        format,
      );
      const rows = context.lastNumber === null ? 0 : context.lastNumber - context.firstNumber + 1;
      if (values.out === undefined) {
        // CSV text to stdout, chunk by chunk, through the command's own output.
        const decoder = new TextDecoder();
        for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>)
          io.out(decoder.decode(chunk, { stream: true }));
        return 0;
      }
      const path = resolve(io.cwd, values.out);
      await pipeline(Readable.fromWeb(stream as NodeWebReadableStream<Uint8Array>), createWriteStream(path));
      io.err(
        `${rules.title}, ${yearText}: numbers ${context.firstNumber} to ${context.lastNumber ?? '—'} (${rows}) written to ${path}`,
      );
      return 0;
    },
    { config },
  );
};
