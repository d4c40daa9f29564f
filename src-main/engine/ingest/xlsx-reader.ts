import type { Readable } from 'node:stream'
import { AssayError, messageOf } from '../errors.js'
import type { BronzeWriter } from './bronze-writer.js'
import { csvField } from './bronze-writer.js'
import { type ColumnMap, DATE_COLUMN, matchHeader } from './header.js'
import type { LineProcessor } from './processor.js'
import { partStream, type ZipEntry, zipEntries } from './zip-parts.js'

type Cell = string | Date

/** Excel's day 0 is 1899-12-30; serial dates count days from it. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30)

/** A cell value as exceljs gives it (number, string, Date, rich text, formula, hyperlink, error) as text or a Date. */
export function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value.replaceAll('\u0000', '')
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value instanceof Date) return value
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>
    if (Array.isArray(v.richText))
      return v.richText.map((part: { text?: string }) => part.text ?? '').join('')
    if ('result' in v) return cellValue(v.result)
    if ('formula' in v || 'sharedFormula' in v) return ''
    if ('text' in v) return cellValue(v.text)
    if ('error' in v) return String(v.error)
  }
  return String(value)
}

function rawLine(cells: Cell[]): string {
  return cells.map((c) => csvField(typeof c === 'string' ? c : c.toISOString())).join(',')
}

export interface XlsxResult {
  sheet: string
  skippedSheets: string[]
  processor: LineProcessor
}

/** A sheet of the workbook, in tab order, and the zip part that holds it. */
interface SheetPart {
  name: string
  sheetNo: string
  entry: ZipEntry
}

/**
 * The parts of exceljs's streaming WorkbookReader that parse one zip part each. Its own `parse()` streams the
 * archive front to back through unzipper's Parse, which emits 'end' once the file is written in, not once its
 * entries are read out, so the last parts can be lost (exceljs#3064). exceljs writes `xl/workbook.xml` last, and
 * CI once saw such a workbook refused as unreadable. It also copied every sheet stored before the shared strings
 * (Excel's order) to a temporary file. Handing the parts over from the zip's directory, in dependency order, reads
 * each once and the same way every time. exceljs is pinned exactly for these internals; xlsx.test.ts goes through
 * each of them.
 */
interface WorkbookParts {
  _parseRels(part: Readable): Promise<void>
  _parseWorkbook(part: Readable): Promise<void>
  _parseSharedStrings(part: Readable): AsyncGenerator<unknown>
  _parseStyles(part: Readable): Promise<void>
  _parseWorksheet(rows: AsyncIterable<unknown>, sheetNo: string): Generator<{ value: WorksheetRows }>
  model?: { sheets?: { name: string; rId: string }[] }
  workbookRels?: { Id: string; Target: string }[]
}

type WorksheetRows = AsyncIterable<{ number: number; values: unknown }>

/** The workbook's sheets in tab order, each with its part; a sheet whose part is missing is left out. */
function sheetParts(book: WorkbookParts, entries: Map<string, ZipEntry>): SheetPart[] {
  const out: SheetPart[] = []
  for (const sheet of book.model?.sheets ?? []) {
    const target = book.workbookRels?.find((rel) => rel.Id === sheet.rId)?.Target
    if (!target) continue
    const name = target.startsWith('/') ? target.slice(1) : `xl/${target}`
    const entry = entries.get(name)
    const sheetNo = /sheet(\d+)\.xml$/.exec(name)?.[1]
    if (entry && sheetNo) out.push({ name: sheet.name, sheetNo, entry })
  }
  return out
}

/**
 * Streams the first sheet (in tab order) whose first row is the Online Retail header into the processor
 * (styles cached so date cells arrive as Dates). Line numbers are sheet row numbers.
 */
export async function readXlsx(
  path: string,
  makeProcessor: (columns: ColumnMap) => LineProcessor,
  writer: BronzeWriter,
  onBytes: (bytes: number) => void,
): Promise<XlsxResult> {
  // Loaded on demand: exceljs costs every CLI start ~0.2 s, and only .xlsx files need it.
  const { default: ExcelJS } = await import('exceljs')
  const book = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    styles: 'cache',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as WorkbookParts
  const skipped: string[] = []
  const problems: string[] = []
  let bytes = 0
  const read = (n: number) => {
    bytes += n
    onBytes(bytes)
  }
  try {
    const entries = new Map((await zipEntries(path)).map((entry) => [entry.name, entry]))
    const part = (name: string) => {
      const entry = entries.get(name)
      return entry && partStream(path, entry, read)
    }
    if (!entries.has('xl/_rels/workbook.xml.rels') || !entries.has('xl/workbook.xml')) {
      throw new Error(
        entries.size === 0 ? 'its zip directory is missing or damaged' : 'it has no workbook part',
      )
    }
    // Each part is opened only when it is parsed, so a failure leaves no other part's file stream open.
    await book._parseRels(part('xl/_rels/workbook.xml.rels')!)
    await book._parseWorkbook(part('xl/workbook.xml')!)
    const strings = part('xl/sharedStrings.xml')
    if (strings) for await (const _ of book._parseSharedStrings(strings)); // 'cache': fills the book, yields nothing
    const styles = part('xl/styles.xml')
    if (styles) await book._parseStyles(styles)

    for (const sheet of sheetParts(book, entries)) {
      const rows = partStream(path, sheet.entry, read)
      let columns: ColumnMap | undefined
      let processor: LineProcessor | undefined
      let first = true
      try {
        for (const { value: worksheet } of book._parseWorksheet(rows, sheet.sheetNo)) {
          for await (const row of worksheet) {
            const values = row.values as unknown[]
            if (first) {
              first = false
              const header = headerOf(values, sheet.name)
              if (typeof header === 'string') {
                problems.push(header)
                break // not the data: the next sheet is read from its own part, so this one can stop here
              }
              columns = header
              processor = makeProcessor(header)
              continue
            }
            dataRow(row.number, values, columns!, processor!)
            if (writer.full) await writer.flush()
          }
        }
      } finally {
        rows.destroy()
      }
      if (processor) return { sheet: sheet.name, skippedSheets: skipped, processor }
      skipped.push(sheet.name)
    }
  } catch (error) {
    if (error instanceof AssayError) throw error
    const why = messageOf(error) === 'unexpected end of file' ? 'the file ends early' : messageOf(error)
    throw new AssayError(
      'xlsx_unreadable',
      `cannot read the workbook: ${why} (is the .xlsx file corrupt or truncated?); nothing was written`,
      { cause: error },
    )
  }
  throw new AssayError(
    'no_sheet',
    skipped.length === 0
      ? 'the workbook has no sheets; nothing was written'
      : `no sheet has the Online Retail header in its first row (looked at: ${skipped.map((s) => `"${s}"`).join(', ')}${problems[0] ? `; ${problems[0]}` : ''}); nothing was written`,
  )
}

/** The sheet's column map, or why its first row is not the header. */
function headerOf(values: unknown[], sheet: string): ColumnMap | string {
  const names = values.slice(1).map((v) => {
    const cell = cellValue(v)
    return typeof cell === 'string' ? cell : ''
  })
  while (names.length > 0 && names[names.length - 1]!.trim() === '') names.pop()
  try {
    return matchHeader(names, `sheet "${sheet}"`)
  } catch (error) {
    return messageOf(error)
  }
}

function dataRow(line: number, values: unknown[], columns: ColumnMap, processor: LineProcessor): void {
  const width = columns.width
  const cells: Cell[] = []
  for (let i = 1; i <= width; i++) cells.push(cellValue(values[i]))
  const datePosition = columns.positions[DATE_COLUMN]!
  const date = values[datePosition + 1]
  // A date cell without a date style arrives as its serial number: read it as Excel would.
  if (typeof date === 'number' && date > 1 && date < 2958466) {
    cells[datePosition] = new Date(EXCEL_EPOCH_MS + Math.round(date * 86400) * 1000)
  }
  let extra = 0
  for (let i = width + 1; i < values.length; i++) if (cellValue(values[i]) !== '') extra++
  if (cells.every((c) => c === '') && extra === 0) {
    processor.blank()
    return
  }
  if (extra > 0) {
    processor.reject({
      line,
      kind: 'field_count',
      reason: `wrong field count: ${extra} value(s) beyond the ${width} header columns`,
      raw: rawLine([...cells, ...values.slice(width + 1).map(cellValue)]),
    })
    return
  }
  processor.record(line, cells, rawLine(cells))
}
