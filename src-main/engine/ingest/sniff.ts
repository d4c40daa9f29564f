import { isUtf8 } from 'node:buffer'
import { open, stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { AssayError, UsageError } from '../errors.js'
import { type ColumnMap, matchCsvHeader } from './header.js'
import { type FileFormat, MAX_LINE } from './types.js'

export const SUPPORTED_EXTENSIONS = ['.csv', '.xlsx'] as const

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04])
const CFB = Buffer.from([0xd0, 0xcf, 0x11, 0xe0])

/** The format from the extension; anything else is a usage error that lists what is supported. */
export function formatOf(path: string): FileFormat {
  const ext = extname(path).toLowerCase()
  if (ext === '.csv') return 'csv'
  if (ext === '.xlsx') return 'xlsx'
  const hint = ext === '.xls' ? ' (save a legacy .xls as .xlsx first)' : ''
  throw new UsageError(
    `cannot ingest "${basename(path)}": unsupported file type "${ext || '(none)'}"${hint}; supported: ${SUPPORTED_EXTENSIONS.join(', ')}`,
  )
}

export interface Probe {
  bytes: number
  /** CSV only: the validated header. */
  columns?: ColumnMap
}

async function head(path: string, size: number): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const buf = Buffer.alloc(Math.min(size, MAX_LINE + 1))
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/**
 * Looks at the start of a file before anything is hashed or loaded, so that a file that is not what it
 * claims to be (random bytes, a workbook named .csv, an encrypted workbook) fails at once, in bounded memory.
 */
export async function probeFile(path: string, format: FileFormat): Promise<Probe> {
  const name = basename(path)
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new AssayError(
      'file_missing',
      error.code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${error.message}`,
    )
  })
  if (!info.isFile()) throw new AssayError('file_missing', `${path} is not a file`)
  if (info.size === 0) throw new AssayError('empty_file', `${name} is empty; nothing was written`)
  const start = await head(path, info.size)
  const isCfb = start.subarray(0, 4).equals(CFB)
  const isZip = start.subarray(0, 4).equals(ZIP)
  if (format === 'xlsx') {
    if (isCfb) {
      throw new AssayError(
        'xlsx_protected',
        `${name} is password-protected or not an xlsx (it is an OLE compound file, as Excel writes encrypted workbooks and legacy .xls) — remove the password or save it as .xlsx; nothing was written`,
      )
    }
    if (!isZip) {
      const looksCsv = isUtf8(start.subarray(0, 200)) && /invoiceno/i.test(start.subarray(0, 200).toString())
      throw new AssayError(
        'not_xlsx',
        `${name} is not an xlsx workbook (not a zip archive)${looksCsv ? '; it looks like CSV — rename it to .csv' : ''}; nothing was written`,
      )
    }
    return { bytes: info.size }
  }
  if (isZip || isCfb) {
    throw new AssayError(
      'not_csv',
      `${name} is ${isZip ? 'a zip archive (an .xlsx workbook?)' : 'an OLE compound file (.xls or an encrypted workbook)'}, not CSV; nothing was written`,
    )
  }
  let nl = start.indexOf(10)
  if (nl === -1) {
    if (info.size > MAX_LINE) {
      throw new AssayError(
        'not_csv',
        `${name} is not a CSV file: its first line is longer than 64 KiB; nothing was written`,
      )
    }
    nl = start.length
  }
  const first = start.subarray(0, nl)
  if (first.indexOf(0) !== -1 || !isUtf8(first)) {
    throw new AssayError(
      'not_csv',
      `${name} is not a CSV text file (binary data in its first line); nothing was written`,
    )
  }
  const columns = matchCsvHeader(first.toString('utf8'))
  if (start.subarray(nl).toString('utf8').trim() === '' && info.size === start.length) {
    throw new AssayError('no_data', `${name} has a header but no data lines; nothing was written`)
  }
  return { bytes: info.size, columns }
}
