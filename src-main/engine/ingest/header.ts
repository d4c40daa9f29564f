import { AssayError } from '../errors.js'

/** The Online Retail columns, in the canonical order the cleaner works with. */
export const COLUMNS = [
  'InvoiceNo',
  'StockCode',
  'Description',
  'Quantity',
  'InvoiceDate',
  'UnitPrice',
  'CustomerID',
  'Country',
] as const

export const DATE_COLUMN = 4

/**
 * For each canonical column, its position in the file. `identity` is true when the file has them in
 * the canonical order, which lets the hot loop skip re-ordering.
 */
export interface ColumnMap {
  positions: number[]
  identity: boolean
  width: number
}

const DELIMITERS: [string, string][] = [
  [';', 'semicolon-separated (;)'],
  ['\t', 'tab-separated'],
  ['|', 'pipe-separated (|)'],
]

function normalise(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim()
    .toLowerCase()
}

/**
 * Matches header names (case-insensitive, trimmed, BOM and quotes removed) against the expected columns.
 * Throws an AssayError naming the missing and unexpected columns.
 */
export function matchHeader(names: readonly string[], where = 'the header'): ColumnMap {
  const wanted = COLUMNS.map((c) => c.toLowerCase())
  const seen = names.map(normalise)
  const positions = wanted.map((name) => seen.indexOf(name))
  const missing = COLUMNS.filter((_, i) => positions[i] === -1)
  const unexpected = names.filter((_, i) => !wanted.includes(seen[i] ?? ''))
  const duplicated = wanted.filter((name) => seen.filter((s) => s === name).length > 1)
  if (missing.length === 0 && unexpected.length === 0 && duplicated.length === 0) {
    return { positions, identity: positions.every((p, i) => p === i), width: names.length }
  }
  const parts: string[] = []
  if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`)
  if (unexpected.length > 0) parts.push(`unexpected ${unexpected.map((n) => `"${n.trim()}"`).join(', ')}`)
  if (duplicated.length > 0) parts.push(`duplicated ${duplicated.join(', ')}`)
  throw new AssayError(
    'bad_header',
    `${where} does not match the Online Retail columns (${parts.join('; ')}); expected: ${COLUMNS.join(',')}`,
  )
}

/** Whether a header line is split by another delimiter: returns a description like "semicolon-separated (;)". */
export function otherDelimiter(line: string): string | undefined {
  for (const [delimiter, label] of DELIMITERS) {
    const parts = line.split(delimiter)
    if (parts.length < 4) continue
    const known = parts.map(normalise).filter((p) => COLUMNS.some((c) => c.toLowerCase() === p))
    if (known.length >= 4) return label
  }
  return undefined
}

/** Validates a CSV header line; refuses a file with another delimiter with a message that says which. */
export function matchCsvHeader(line: string): ColumnMap {
  const names = splitHeader(line.replace(/^\uFEFF/, '').replace(/\r$/, ''))
  if (names.length < 3) {
    const other = otherDelimiter(line)
    if (other) {
      throw new AssayError(
        'wrong_delimiter',
        `the file looks ${other}; assay reads comma-separated CSV — re-export it with commas (header: ${preview(line)})`,
      )
    }
  }
  return matchHeader(names)
}

/** Header fields, honouring quotes (a header rarely has commas inside names, but may quote them). */
function splitHeader(line: string): string[] {
  if (!line.includes('"')) return line.split(',')
  const out: string[] = []
  let field = ''
  let quoted = false
  for (const ch of line) {
    if (ch === '"') quoted = !quoted
    else if (ch === ',' && !quoted) {
      out.push(field)
      field = ''
    } else field += ch
  }
  out.push(field)
  return out
}

export function preview(text: string, max = 120): string {
  // Control characters would garble a terminal: show them as spaces.
  const clean = [...text].map((ch) => (ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 ? ' ' : ch)).join('')
  return clean.length > max ? `${clean.slice(0, max)}…` : clean
}
