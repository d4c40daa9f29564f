import { createReadStream } from 'node:fs'
import { AssayError, messageOf } from '../errors.js'
import type { BronzeWriter } from './bronze-writer.js'
import { csvField } from './bronze-writer.js'
import { type ColumnMap, DATE_COLUMN, matchHeader } from './header.js'
import type { LineProcessor } from './processor.js'

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

/**
 * Streams the first sheet whose first row is the Online Retail header into the processor (exceljs's
 * streaming reader, styles cached so date cells arrive as Dates). Line numbers are sheet row numbers.
 */
export async function readXlsx(
  path: string,
  makeProcessor: (columns: ColumnMap) => LineProcessor,
  writer: BronzeWriter,
  onBytes: (bytes: number) => void,
): Promise<XlsxResult> {
  // Loaded on demand (before the stream starts flowing): exceljs costs every CLI start ~0.2 s, and only .xlsx
  // files need it.
  const { default: ExcelJS } = await import('exceljs')
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 })
  let bytes = 0
  stream.on('data', (chunk) => {
    bytes += chunk.length
    onBytes(bytes)
  })
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    styles: 'cache',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  })
  const skipped: string[] = []
  const problems: string[] = []
  try {
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name: string }).name
      let columns: ColumnMap | undefined
      let processor: LineProcessor | undefined
      let first = true
      for await (const row of worksheet) {
        const values = row.values as unknown[]
        if (first) {
          first = false
          const header = headerOf(values, name)
          if (typeof header === 'string') problems.push(header)
          else {
            columns = header
            processor = makeProcessor(header)
          }
          continue
        }
        // Rows of a sheet that is not the data are read through: the streaming reader has to pass them anyway.
        if (!columns || !processor) continue
        dataRow(row.number, values, columns, processor)
        if (writer.full) await writer.flush()
      }
      if (processor) return { sheet: name, skippedSheets: skipped, processor }
      skipped.push(name)
    }
  } catch (error) {
    if (error instanceof AssayError) throw error
    const why = messageOf(error) === 'FILE_ENDED' ? 'the file ends early' : messageOf(error)
    throw new AssayError(
      'xlsx_unreadable',
      `cannot read the workbook: ${why} (is the .xlsx file corrupt or truncated?); nothing was written`,
      { cause: error },
    )
  } finally {
    stream.destroy()
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
