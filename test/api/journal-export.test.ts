import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalColumns } from '../../functions/domain/journal-export.ts';
import { namedError, seedRequest, startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * GET /v1/journals/{journal}/{year}?format=csv|xlsx: the journal as the paper journal's columns,
 * one row per number, with its document's card or the reason the number was voided. Letters are
 * registered in 2019, which no other test of this file numbers in.
 */

let stack: TestStack;
const registered: Array<{ id: string; regNumber: string; theirNumber: string }> = [];

async function register(
  theirNumber: string,
  subject: string,
  more: Record<string, unknown> = {},
): Promise<number> {
  const { status, body } = await stack.call('POST', '/v1/incoming', {
    body: seedRequest({
      theirRef: { number: theirNumber, date: '2019-04-01' },
      receivedAt: '2019-04-02T10:00:00+03:00',
      subject,
      ...more,
    }),
  });
  if (status === 201) registered.push({ id: body.id, regNumber: body.regNumber, theirNumber });
  return status;
}

beforeAll(async () => {
  stack = await startTestStack();
  expect(await register('EX-1', 'О субботнике', { dueDate: '2019-05-06' })).toBe(201);
  expect(await register('EX-2', 'Смета; с точкой с запятой и "кавычками"')).toBe(201);
  // The card cannot be saved: the registration fails and its number, 3, is voided with the reason.
  stack.faults['SaveCard'] = namedError('DiskOnFire', 'the archive volume is read-only');
  try {
    expect(await register('EX-3', 'Не сохранится')).toBe(500);
  } finally {
    delete stack.faults['SaveCard'];
  }
  expect(await register('EX-4', 'Многострочное\nсодержание')).toBe(201);
});

afterAll(async () => {
  await stack?.dispose();
});

const exported = async (format: string, year = 2019) => {
  const response = await fetch(`${stack.apiUrl}/v1/journals/incoming/${year}?format=${format}`, {
    headers: { Authorization: `Bearer ${await stack.token('auditor')}` },
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
};

/** A minimal reader of the CSV this export writes: semicolons, quotes doubled, CRLF between rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ';') {
      row.push(cell);
      cell = '';
    } else if (!quoted && ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += ch;
    }
  }
  return rows;
}

describe('GET /v1/journals/{journal}/{year}?format=', () => {
  it('exports CSV: a BOM, the header, one row per number in order, the voided one with its reason', async () => {
    const { response, bytes } = await exported('csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="incoming-2019.csv"');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual(journalColumns('incoming'));
    expect(rows.map((r) => [r[0], r[1], r[11]])).toEqual([
      ['1', '01-05/1', 'зарегистрирован'],
      ['2', '01-05/2', 'зарегистрирован'],
      ['3', '01-05/3', expect.stringMatching(/^аннулирован: .*DiskOnFire/)],
      ['4', '01-05/4', 'зарегистрирован'],
    ]);
    expect(rows[0]).toEqual([
      '1',
      '01-05/1',
      '02.04.2019',
      'Аппарат Правительства Ставропольского края, А.Д. Литовкин',
      '№ EX-1 от 01.04.2019',
      'Запрос',
      'О субботнике',
      'Почта',
      expect.any(String),
      '06.05.2019',
      'на исполнении',
      'зарегистрирован',
    ]);
    // Quoted cells come back as they were written.
    expect(rows[1]?.[6]).toBe('Смета; с точкой с запятой и "кавычками"');
    expect(rows[3]?.[6]).toBe('Многострочное\nсодержание');
    expect(rows[3]?.[4]).toBe('№ EX-4 от 01.04.2019');
    // The voided number has no document, only its reason.
    expect(rows[2]?.slice(3, 11)).toEqual(['', '', '', '', '', '', '', '']);
  });

  it('exports XLSX that exceljs reads back with the same cells', async () => {
    const { response, bytes } = await exported('xlsx');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="incoming-2019.xlsx"');
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (sheet === undefined) throw new Error('the workbook has no sheet');
    expect(sheet.rowCount).toBe(5);
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(row(1)).toEqual(journalColumns('incoming'));
    expect(row(2).slice(0, 7)).toEqual([
      1,
      '01-05/1',
      '02.04.2019',
      'Аппарат Правительства Ставропольского края, А.Д. Литовкин',
      '№ EX-1 от 01.04.2019',
      'Запрос',
      'О субботнике',
    ]);
    expect(row(4)[11]).toMatch(/^аннулирован: .*DiskOnFire/);
    expect(row(5)[6]).toBe('Многострочное\nсодержание');
  });

  it('exports an empty year as the header alone', async () => {
    const { response, bytes } = await exported('csv', 2018);
    expect(response.status).toBe(200);
    expect(parseCsv(bytes.toString('utf8').slice(1))).toEqual([journalColumns('incoming')]);
  });

  it('answers 400 for another format, and JSON without one', async () => {
    for (const format of ['pdf', 'CSV', '']) {
      const { status, body } = await stack.call('GET', `/v1/journals/incoming/2019?format=${format}`, {
        role: 'auditor',
      });
      expect(status, format).toBe(400);
      expect(body).toMatchObject({ error: 'ValidationError', problems: [{ field: 'format' }] });
    }
    const json = await stack.call('GET', '/v1/journals/incoming/2019', { role: 'auditor' });
    expect(json.status).toBe(200);
    expect(json.body.entries).toHaveLength(4);
  });
});
