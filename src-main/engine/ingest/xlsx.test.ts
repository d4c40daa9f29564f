import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refusal } from '../../test-support/refusal.js'
import { backends, suiteScratch } from '../../test-support/scratch.js'
import type { Db } from '../db/types.js'
import { LANTERN_ROW } from './bronze-rows.fixture.js'
import { COLUMNS } from './header.js'
import { ingestFile } from './ingest.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-xlsx-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const at = (d: number, h: number, m: number) => new Date(Date.UTC(2010, 11, d, h, m))

/** Data rows as the real workbook has them: numeric invoice/stock/customer cells beside text ones, Excel dates. */
const ROWS: unknown[][] = [
  [536365, '85123A', 'WHITE HANGING HEART T-LIGHT HOLDER', 6, at(1, 8, 26), 2.55, 17850, 'United Kingdom'],
  [536365, 71053, 'WHITE METAL LANTERN', 6, at(1, 8, 26), 3.39, 17850, 'United Kingdom'],
  [536366, 22633, null, 6, at(1, 8, 28), 1.85, null, 'United Kingdom'],
  [null, 22633, 'NO INVOICE', 6, at(1, 8, 28), 1.85, null, 'United Kingdom'],
  [536367, 22633, 'BAD QUANTITY', 'x', at(1, 8, 28), 1.85, null, 'United Kingdom'],
  [536368, 22633, 'EXTRA CELL', 1, at(1, 8, 28), 1.85, null, 'United Kingdom', 'note'],
  ['C536369', 22633, 'CANCELLED', -1, at(2, 9, 0), 1.85, 12583, 'France'],
]

async function workbook(name: string, sheets: { name: string; rows: unknown[][] }[]): Promise<string> {
  const book = new ExcelJS.Workbook()
  for (const sheet of sheets) {
    const ws = book.addWorksheet(sheet.name)
    for (const row of sheet.rows) ws.addRow(row)
  }
  const path = join(dir, name)
  await book.xlsx.writeFile(path)
  return path
}

/** Excel's own part order: the workbook and its relationships first, then sheets, styles, shared strings. */
function excelOrder(names: string[]): string[] {
  const rank = (name: string) =>
    ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels'].indexOf(name) +
      1 ||
    (name.startsWith('xl/worksheets/')
      ? 10
      : name === 'xl/styles.xml'
        ? 20
        : name === 'xl/sharedStrings.xml'
          ? 30
          : 40)
  return [...names].sort((a, b) => rank(a) - rank(b))
}

/** The workbook at `from` zipped again with its parts in `order`, each part's text passed through `edit`. */
async function restored(
  from: string,
  name: string,
  order: (names: string[]) => string[],
  edit: (file: string, text: string) => string,
): Promise<string> {
  const source = await JSZip.loadAsync(readFileSync(from))
  const names = Object.keys(source.files).filter((file) => !source.files[file]!.dir)
  const zip = new JSZip()
  for (const file of order(names)) zip.file(file, edit(file, await source.file(file)!.async('string')))
  const path = join(dir, name)
  writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }))
  return path
}

async function counts(db: Db): Promise<number[]> {
  const { rows } = await db.query<{ b: number; r: number; f: number }>(
    `SELECT (SELECT count(*) FROM bronze.raw_transactions)::int AS b, (SELECT count(*) FROM bronze.rejected_lines)::int AS r,
            (SELECT count(*) FROM bronze.ingested_files)::int AS f`,
  )
  return [rows[0]!.b, rows[0]!.r, rows[0]!.f]
}

describe.each(backends)('ingest xlsx on $name', ({ scratch }) => {
  const s = suiteScratch(scratch)

  it('reads the first sheet with the header, Excel dates and numeric cells, and says which sheet', async () => {
    const path = await workbook('retail.xlsx', [
      { name: 'Notes', rows: [['exported by the shop'], ['nothing here']] },
      { name: 'Online Retail', rows: [[...COLUMNS], ...ROWS] },
      { name: 'Pivot', rows: [[...COLUMNS], [1, 'A', 'x', 1, at(3, 1, 1), 1, null, 'UK']] },
    ])
    const report = await ingestFile(s.db, path)
    expect(report).toMatchObject({
      status: 'loaded',
      sheet: 'Online Retail',
      skippedSheets: ['Notes'],
      loaded: 4,
      rejected: 3,
      dateLayout: 'excel',
    })
    const { rows: rejected } = await s.db.query<{ line_number: number; reason: string }>(
      'SELECT line_number, reason FROM bronze.rejected_lines ORDER BY line_number',
    )
    expect(rejected.map((r) => r.line_number)).toEqual([5, 6, 7])
    expect(rejected[2]?.reason).toMatch(/beyond the 8 header columns/)
    const { rows } = await s.db.query(
      `SELECT invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country
       FROM bronze.raw_transactions ORDER BY invoicedate, invoiceno, stockcode`,
    )
    expect(rows).toEqual([
      LANTERN_ROW,
      expect.objectContaining({ stockcode: '85123A', customerid: '17850' }),
      expect.objectContaining({ invoiceno: '536366', description: 'Unknown', customerid: null }),
      expect.objectContaining({
        invoiceno: 'C536369',
        quantity: -1,
        invoicedate: '2010-12-02T09:00:00.000Z',
      }),
    ])
    expect((await ingestFile(s.db, path)).status).toBe('already_ingested')
  })

  it('refuses a workbook without the header, naming what is missing, and writes nothing', async () => {
    const before = await counts(s.db)
    const path = await workbook('wrong.xlsx', [
      {
        name: 'Sales',
        rows: [
          ['Invoice', 'StockCode'],
          [1, 'A'],
        ],
      },
      { name: 'Other', rows: [['nothing']] },
    ])
    const error = await refusal(ingestFile(s.db, path))
    expect(error.code).toBe('no_sheet')
    expect(error.message).toMatch(/looked at: "Sales", "Other".*missing InvoiceNo/)
    expect(await counts(s.db)).toEqual(before)
  })

  it.each([
    ['in the order Excel stores them (workbook first, sheets before shared strings)', excelOrder],
    ['stored last to first', (names: string[]) => [...names].reverse()],
  ])('reads the first tab with the header whatever order its parts are %s', async (label, order) => {
    const written = await workbook('tabs.xlsx', [
      { name: 'Later tab', rows: [[...COLUMNS], ROWS[0]!] },
      { name: 'First tab', rows: [[...COLUMNS], ...ROWS] },
    ])
    const path = await restored(written, `tabs-${label.split(' ')[0]}.xlsx`, order, (file, text) =>
      file === 'xl/workbook.xml'
        ? // The tabs swapped: sheet2.xml is now the first tab.
          text.replace(/(<sheet [^>]*\/>)(<sheet [^>]*\/>)/, '$2$1')
        : file === 'xl/_rels/workbook.xml.rels'
          ? text.replaceAll('Target="worksheets/', 'Target="/xl/worksheets/') // absolute targets, as some writers use
          : text,
    )
    const report = await ingestFile(s.db, path)
    expect(report.status).toBe('loaded')
    if (report.status !== 'loaded') return
    expect(report.sheet).toBe('First tab')
    expect(report.loaded).toBe(4)
  })

  it('refuses a workbook with no sheets', async () => {
    const error = await refusal(ingestFile(s.db, await workbook('none.xlsx', [])))
    expect(error.message).toMatch(/no sheets/)
  })

  it('refuses a truncated workbook and writes nothing', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [
      600000 + i,
      'A',
      'x',
      1,
      at(5, 9, 0),
      1,
      12345,
      'UK',
    ])
    const full = await workbook('big.xlsx', [{ name: 'Data', rows: [[...COLUMNS], ...rows] }])
    const bytes = readFileSync(full)
    const path = join(dir, 'truncated.xlsx')
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)))
    const before = await counts(s.db)
    const error = await refusal(ingestFile(s.db, path, { batchRows: 100 }))
    expect(['xlsx_unreadable', 'no_sheet']).toContain(error.code)
    expect(await counts(s.db)).toEqual(before)
  })

  it.each([
    [
      'a password-protected workbook (an OLE compound file)',
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(4096)]),
      /password-protected or not an xlsx/,
    ],
    [
      'CSV text named .xlsx',
      Buffer.from(`${COLUMNS.join(',')}\n1,A,x,1,01/12/2010 8:26,1,,UK\n`),
      /rename it to \.csv/,
    ],
    ['random bytes', randomBytes(100_000), /not an xlsx workbook/],
  ])('refuses %s', async (_label, content, message) => {
    const path = join(dir, `refused-${Math.random().toString(36).slice(2)}.xlsx`)
    writeFileSync(path, content)
    const before = await counts(s.db)
    expect((await refusal(ingestFile(s.db, path))).message).toMatch(message)
    expect(await counts(s.db)).toEqual(before)
  })
})
