import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'

/** Bad files, generated at run time in a temporary folder (nothing big is committed). */
export const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'
const COLUMNS = HEADER.split(',')

export class FixtureDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'assay-bad-input-'))

  path(name: string): string {
    return join(this.dir, name)
  }

  write(name: string, content: string | Buffer): string {
    const file = this.path(name)
    writeFileSync(file, content)
    return file
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** CSV text: the header then `lines`. */
export function csv(...lines: string[]): string {
  return `${[HEADER, ...lines].join('\n')}\n`
}

const ROW = [
  '536365',
  '85123A',
  'WHITE HANGING HEART T-LIGHT HOLDER',
  6,
  '',
  2.55,
  17850,
  'United Kingdom',
] as const

/** A workbook with the given sheets; `data` sheets get the Online Retail header and two rows. */
export async function workbook(file: string, sheets: { name: string; data?: boolean; rows?: unknown[][] }[]) {
  const book = new ExcelJS.Workbook()
  for (const sheet of sheets) {
    const ws = book.addWorksheet(sheet.name)
    if (sheet.data) {
      ws.addRow(COLUMNS)
      ws.addRow([...ROW.slice(0, 4), new Date(Date.UTC(2010, 11, 1, 8, 26)), ...ROW.slice(5)])
      ws.addRow([
        '536366',
        '22633',
        'HAND WARMER UNION JACK',
        6,
        new Date(Date.UTC(2010, 11, 13, 8, 28)),
        1.85,
        17850,
        'United Kingdom',
      ])
    }
    for (const row of sheet.rows ?? []) ws.addRow(row)
  }
  await book.xlsx.writeFile(file)
  return file
}

/**
 * About `mb` MiB of printable garbage after a valid header, streamed to disk: lines of ~100 kB (each longer
 * than the reader's line limit) or, with `oneLine`, a single line with no newline at all.
 */
export async function garbageFile(file: string, mb: number, oneLine: boolean): Promise<string> {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 ,;"\'/.-'
  const raw = randomBytes(1 << 20)
  const chunk = Buffer.alloc(1 << 20)
  for (let i = 0; i < chunk.length; i++) chunk[i] = alphabet.charCodeAt(raw[i]! % alphabet.length)
  if (!oneLine) for (let i = 100_000; i < chunk.length; i += 100_000) chunk[i] = 10
  const out = createWriteStream(file)
  out.write(`${HEADER}\n`)
  for (let i = 0; i < mb; i++) {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  )
  return file
}

/** The first bytes of an OLE compound file: what Excel writes for a password-protected workbook. */
export function encryptedWorkbookBytes(): Buffer {
  return Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(4088)])
}
