import { randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refusal } from '../../test-support/refusal.js'
import { backends, suiteScratch } from '../../test-support/scratch.js'
import type { Db } from '../db/types.js'
import { LANTERN_ROW } from './bronze-rows.fixture.js'
import { ingestFile } from './ingest.js'
import { MAX_LINE } from './types.js'

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-ingest-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

/** `mb` MiB of random bytes (one random MiB repeated: cheap to make), after an optional first line. */
/** `n` bytes that look like random data, the same every run. */
function noise(n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919 + 13) % 251))
}

function bigRandomFile(name: string, mb: number, head = ''): string {
  const path = join(dir, name)
  const chunk = randomBytes(2 ** 20)
  const fd = openSync(path, 'w')
  try {
    writeSync(fd, head)
    for (let i = 0; i < mb; i++) writeSync(fd, chunk)
  } finally {
    closeSync(fd)
  }
  return path
}

/** Row counts of the three tables an ingest writes. */
async function counts(db: Db): Promise<{ bronze: number; rejected: number; files: number }> {
  const { rows } = await db.query<{ bronze: number; rejected: number; files: number }>(
    `SELECT (SELECT count(*) FROM bronze.raw_transactions)::int AS bronze,
            (SELECT count(*) FROM bronze.rejected_lines)::int AS rejected,
            (SELECT count(*) FROM bronze.ingested_files)::int AS files`,
  )
  return rows[0]!
}

/** Every kind of bad line, at known physical line numbers; day-first evidence only arrives on line 15. */
function malformedFile(): Buffer {
  const parts: (string | Buffer)[] = [
    `${HEADER}\r\n`,
    '536365,85123A,"WHITE HANGING HEART T-LIGHT HOLDER",6,"01/12/2010 8:26",2.55,17850,"United Kingdom"\r\n', // 2 ok
    '536365,71053,WHITE METAL LANTERN,6,01/12/2010 8:26,3.39,17850.0,United Kingdom\r\n', // 3 ok
    '536366,22633,,6,02/12/2010 8:28,1.85,,France\r\n', // 4 ok: Unknown, NULL customer
    ',22633,X,6,02/12/2010 8:28,1.85,,France\r\n', // 5 no invoice
    '536366,,X,6,02/12/2010 8:28,1.85,,France\r\n', // 6 no stock code
    '536366,22633,X,6,,1.85,,France\r\n', // 7 no date
    '536366,22633,X,six,02/12/2010 8:28,1.85,,France\r\n', // 8 quantity
    '536366,22633,X,6,02/12/2010 8:28,abc,,France\r\n', // 9 price
    '536366,22633,X,6,02/12/2010 8:28,-1.00,,France\r\n', // 10 negative price
    '536366,22633,X,6,02/12/2010 8:28,10000.50,,France\r\n', // 11 price too high
    '536366,22633,X,6,31/02/2011 8:28,1.00,,France\r\n', // 12 impossible date
    '536366,22633,X,6,02/12/2010 8:28,1.00,,France,extra\r\n', // 13 field count
    '536366,22633,"BROKEN,6,02/12/2010 8:28,1.00,,France\r\n', // 14 broken quoting
    '536367,22633,HAND WARMER,1,13/12/2010 9:00,2.10,12583,France\r\n', // 15 ok (day-first evidence)
    '53636700000,22633,X,1,13/12/2010 9:00,2.10,,France\r\n', // 16 invoice too long
    `536368,22633,${'D'.repeat(256)},1,13/12/2010 9:00,2.10,,France\r\n`, // 17 description too long
    Buffer.from([0x35, 0x33, 0x36, 0x2c, 0xc3, 0x28, 0x2c, 0x0d, 0x0a]), // 18 invalid UTF-8
    '\r\n', // 19 blank
    `${'L'.repeat(MAX_LINE + 10)}\r\n`, // 20 over-long line
    '536369,POST,POSTAGE,2,14/12/2010 10:00,18.00,12583,France', // 21 ok, no newline at the end
  ]
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)))
}

describe.each(backends)('ingest CSV on $name', ({ scratch }) => {
  const s = suiteScratch(scratch)

  it('loads the good lines and records every bad one with its line number and reason', async () => {
    const path = file('malformed.csv', malformedFile())
    const report = await ingestFile(s.db, path, { batchRows: 3 })
    expect(report).toMatchObject({
      status: 'loaded',
      loaded: 5,
      rejected: 14,
      blankLines: 1,
      dateLayout: 'dmy',
    })
    const kinds = Object.fromEntries(report.groups.map((g) => [g.kind, g.count]))
    expect(kinds).toEqual({
      missing_invoice: 1,
      missing_stockcode: 1,
      missing_date: 1,
      bad_quantity: 1,
      bad_price: 1,
      negative_price: 1,
      price_too_high: 1,
      bad_date: 1,
      field_count: 1,
      broken_quoting: 1,
      too_long: 2,
      invalid_utf8: 1,
      line_too_long: 1,
    })
    const { rows: rejected } = await s.db.query<{ line_number: number; reason: string; file_name: string }>(
      'SELECT line_number, reason, file_name FROM bronze.rejected_lines WHERE file_sha256 = $1 ORDER BY line_number',
      [report.sha256],
    )
    expect(rejected.map((r) => r.line_number)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 20])
    expect(rejected.find((r) => r.line_number === 8)?.reason).toMatch(/quantity is not a whole number: "six"/)
    expect(rejected[0]?.file_name).toBe('malformed.csv')
    const { rows } = await s.db.query(
      `SELECT invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country, source_file
       FROM bronze.raw_transactions WHERE source_file = 'malformed.csv' ORDER BY invoicedate, stockcode`,
    )
    expect(rows).toEqual([
      { ...LANTERN_ROW, source_file: 'malformed.csv' },
      expect.objectContaining({ stockcode: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER' }),
      expect.objectContaining({
        invoiceno: '536366',
        description: 'Unknown',
        customerid: null,
        country: 'France',
      }),
      expect.objectContaining({ invoiceno: '536367', invoicedate: '2010-12-13T09:00:00.000Z' }),
      expect.objectContaining({ stockcode: 'POST', unitprice: '18.00' }),
    ])
    const { rows: files } = await s.db.query(
      'SELECT file_name, rows_loaded, rows_rejected, date_layout FROM bronze.ingested_files',
    )
    expect(files).toEqual([
      { file_name: 'malformed.csv', rows_loaded: 5, rows_rejected: 14, date_layout: 'dmy' },
    ])
    // Lineage: each bronze line names its file (by hash, the key of ingested_files) and its physical line.
    const { rows: lineage } = await s.db.query<{ source_line: number; stockcode: string; file: string }>(
      `SELECT b.source_line, b.stockcode, f.file_name AS file
       FROM bronze.raw_transactions b JOIN bronze.ingested_files f ON f.file_sha256 = b.source_sha256
       WHERE b.source_file = 'malformed.csv' ORDER BY b.source_line`,
    )
    expect(lineage.map((r) => [r.source_line, r.stockcode])).toEqual([
      [2, '85123A'],
      [3, '71053'],
      [4, '22633'],
      [15, '22633'],
      [21, 'POST'],
    ])
    expect(new Set(lineage.map((r) => r.file))).toEqual(new Set(['malformed.csv']))
  })

  it('adds nothing when the same content is ingested again, under any name', async () => {
    const before = await counts(s.db)
    const report = await ingestFile(s.db, file('copy-of-malformed.csv', malformedFile()))
    expect(report.status).toBe('already_ingested')
    expect(report.previous?.fileName).toBe('malformed.csv')
    expect(await counts(s.db)).toEqual(before)
  })

  it('detects month-first dates and reads ISO dates', async () => {
    const mdy = file('mdy.csv', `${HEADER}\n1,A,x,1,12/1/2010 8:26,1,,UK\n2,A,x,1,12/13/2010 9:05,1,,UK\n`)
    expect(await ingestFile(s.db, mdy)).toMatchObject({ loaded: 2, rejected: 0, dateLayout: 'mdy' })
    const iso = file('iso.csv', `${HEADER}\n3,A,x,1,2011-03-04 05:06:07,1,,UK\n`)
    expect(await ingestFile(s.db, iso)).toMatchObject({ loaded: 1, dateLayout: 'iso' })
    const { rows } = await s.db.query<{ d: string }>(
      `SELECT invoicedate AS d FROM bronze.raw_transactions WHERE source_file IN ('mdy.csv', 'iso.csv') ORDER BY 1`,
    )
    expect(rows.map((r) => r.d)).toEqual([
      '2010-12-01T08:26:00.000Z',
      '2010-12-13T09:05:00.000Z',
      '2011-03-04T05:06:07.000Z',
    ])
  })

  it('refuses a file whose dates never tell the layout, and --date-format settles it', async () => {
    const path = file(
      'ambiguous.csv',
      `${HEADER}\n1,A,x,1,01/12/2010 8:26,1,,UK\n2,A,x,1,05/06/2011 8:26,1,,UK\n`,
    )
    const before = await counts(s.db)
    const error = await refusal(ingestFile(s.db, path))
    expect(error.code).toBe('date_layout_unknown')
    expect(error.message).toMatch(/--date-format dmy or --date-format mdy/)
    expect(await counts(s.db)).toEqual(before)
    const report = await ingestFile(s.db, path, { dateFormat: 'mdy' })
    expect(report).toMatchObject({ loaded: 2, dateLayout: 'mdy' })
    const { rows } = await s.db.query<{ d: string }>(
      `SELECT min(invoicedate) AS d FROM bronze.raw_transactions WHERE source_file = 'ambiguous.csv'`,
    )
    expect(rows[0]?.d).toBe('2010-01-12T08:26:00.000Z')
  })

  it.each([
    ['an empty file', 'empty.csv', '', 'empty_file', /is empty/],
    ['a header-only file', 'header.csv', `${HEADER}\n`, 'no_data', /no data lines/],
    ['a header and blank lines', 'blank.csv', `${HEADER}\n\n\n`, 'no_data', /no data lines/],
    [
      'a wrong header',
      'wrong.csv',
      'InvoiceNo,StockCode,Description,Qty,InvoiceDate,UnitPrice,CustomerID,Country,Extra\n1,A,x,1,01/12/2010 8:26,1,,UK,1\n',
      'bad_header',
      /missing Quantity; unexpected "Qty", "Extra"/,
    ],
    [
      'a semicolon-separated file',
      'semi.csv',
      `${HEADER.replace(/,/g, ';')}\n1;A;x;1;01/12/2010 8:26;1;;UK\n`,
      'wrong_delimiter',
      /semicolon-separated/,
    ],
    [
      'a tab-separated file',
      'tab.csv',
      `${HEADER.replace(/,/g, '\t')}\n1\tA\tx\t1\t01/12/2010 8:26\t1\t\tUK\n`,
      'wrong_delimiter',
      /tab-separated/,
    ],
    ['a zip named .csv', 'zip.csv', Buffer.from('PK\u0003\u0004rest'), 'not_csv', /zip archive/],
    [
      'binary data',
      'binary.csv',
      Buffer.from([0x00, 0x01, 0xff, 0x0a, 0x41]),
      'not_csv',
      /not a CSV text file/,
    ],
    // Random bytes whose first line happens to be short, clean text: still binary, not a bad header or CR line ends.
    [
      'binary data after an empty first line',
      'empty-first.csv',
      Buffer.concat([Buffer.from('\n'), noise(4096)]),
      'not_csv',
      /binary data in its first 5 KiB/,
    ],
    [
      'binary data after a clean first line with a CR',
      'cr-first.csv',
      Buffer.concat([Buffer.from('A\rB\n'), noise(4096)]),
      'not_csv',
      /binary data/,
    ],
  ])('refuses %s and writes nothing', async (_label, name, content, code, message) => {
    const before = await counts(s.db)
    const error = await refusal(ingestFile(s.db, file(name, content)))
    expect(error.code).toBe(code)
    expect(error.message).toMatch(message)
    expect(await counts(s.db)).toEqual(before)
  })

  it('rolls back batches already copied when the file is refused late', async () => {
    const good = Array.from({ length: 50 }, (_, i) => `${600000 + i},A,x,1,13/12/2010 8:26,1,,UK`)
    const bad = Array.from({ length: 1200 }, (_, i) => `bad line ${i}`)
    const before = await counts(s.db)
    const error = await refusal(
      ingestFile(s.db, file('late.csv', [HEADER, ...good, ...bad].join('\n')), { batchRows: 10 }),
    )
    expect(error.code).toBe('not_retail_data')
    expect(await counts(s.db)).toEqual(before)
  })

  it('keeps other work of the same process out of its transaction', async () => {
    // More than one read chunk of good lines, so the load is under way (transaction open) before it fails.
    const good = Array.from({ length: 8000 }, (_, i) => `${700000 + i},A,x,1,13/12/2010 8:26,1,,UK`)
    const bad = Array.from({ length: 9000 }, (_, i) => `bad line ${i}`)
    const before = await counts(s.db)
    let other: Promise<unknown> | undefined
    const ingest = ingestFile(s.db, file('late-2.csv', [HEADER, ...good, ...bad].join('\n')), {
      onProgress: (bytes, total) => {
        // Issued while the ingest's transaction is open: it must neither join it nor be rolled back with it.
        if (!other && bytes > total / 2) {
          other = s.db.query(
            `INSERT INTO ops.pipeline_logs (level, message) VALUES ('INFO', 'during ingest')`,
          )
        }
      },
    })
    expect((await refusal(ingest)).code).toBe('not_retail_data')
    expect(other).toBeDefined()
    await other
    expect(await counts(s.db)).toEqual(before)
    const { rows } = await s.db.query(`SELECT 1 FROM ops.pipeline_logs WHERE message = 'during ingest'`)
    expect(rows).toHaveLength(1)
  })

  // How fast and in how much memory such files are refused is the benchmark's to measure, not a unit test's.
  it('refuses random bytes after a good header, writing nothing', async () => {
    const path = bigRandomFile('garbage.csv', 128, `${HEADER}\n`)
    const before = await counts(s.db)
    const error = await refusal(ingestFile(s.db, path))
    expect(error.code).toBe('not_retail_data')
    expect(error.message).toMatch(/does not look like an Online Retail file/)
    expect(await counts(s.db)).toEqual(before)
  })
})

describe('ingest refusals that never reach the database', () => {
  const db = {} as Db

  it('refuses an unknown extension as bad usage, listing the supported ones', async () => {
    const error = await refusal(ingestFile(db, file('data.json', '{}')))
    expect(error.exitCode).toBe(2)
    expect(error.message).toMatch(/supported: \.csv, \.xlsx/)
  })

  it('refuses a missing file', async () => {
    expect((await refusal(ingestFile(db, join(dir, 'nope.csv')))).code).toBe('file_missing')
  })

  it('refuses 64 MB of random bytes as not CSV', async () => {
    const path = bigRandomFile('random.csv', 64)
    const error = await refusal(ingestFile(db, path))
    expect(error.code).toBe('not_csv')
  })
})
