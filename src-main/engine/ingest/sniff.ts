import { isUtf8 } from 'node:buffer'
import { open, stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { AssayError, UsageError } from '../errors.js'
import { type ColumnMap, matchCsvHeader } from './header.js'
import { type FileFormat, MAX_LINE } from './types.js'
import { checkXlsxBounds } from './xlsx-bounds.js'

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

/** A file that cannot be opened, said in words (EACCES names the permission, not the syscall). */
export function unreadable(path: string, error: NodeJS.ErrnoException): AssayError {
  if (error.code === 'ENOENT') return new AssayError('file_missing', `no such file: ${path}`)
  if (error.code === 'EACCES' || error.code === 'EPERM') {
    return new AssayError(
      'file_unreadable',
      `cannot read ${path}: permission denied (this user may not read it); nothing was written`,
    )
  }
  if (error.code === 'EISDIR') return new AssayError('file_missing', `${path} is not a file`)
  return new AssayError('file_unreadable', `cannot read ${path}: ${error.message}; nothing was written`)
}

/** UTF-16 text: a byte-order mark, or the NUL of every other byte that ASCII text has in UTF-16. */
export function utf16Kind(start: Buffer): 'LE' | 'BE' | undefined {
  if (start[0] === 0xff && start[1] === 0xfe) return 'LE'
  if (start[0] === 0xfe && start[1] === 0xff) return 'BE'
  const sample = start.subarray(0, 64)
  if (sample.length < 8) return undefined
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? evenNul++ : oddNul++
  const half = sample.length / 2
  if (oddNul > half * 0.8 && evenNul === 0) return 'LE'
  if (evenNul > half * 0.8 && oddNul === 0) return 'BE'
  return undefined
}

/**
 * Whether a file's start is binary: more than 1 % control bytes (NUL and C0 controls other than tab, LF and CR;
 * random bytes have 11 %). Text with a stray bad byte is not: its lines are rejected one by one.
 */
function looksBinary(start: Buffer): boolean {
  let control = 0
  for (const byte of start) if (byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 13) control++
  return control >= 8 && control > start.length / 100
}

async function head(path: string, size: number): Promise<Buffer> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw unreadable(path, error)
  })
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
    throw unreadable(path, error)
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
    await checkXlsxBounds(path, name)
    return { bytes: info.size }
  }
  if (isZip || isCfb) {
    throw new AssayError(
      'not_csv',
      `${name} is ${isZip ? 'a zip archive (an .xlsx workbook?)' : 'an OLE compound file (.xls or an encrypted workbook)'}, not CSV; nothing was written`,
    )
  }
  const utf16 = utf16Kind(start)
  if (utf16) {
    throw new AssayError(
      'not_utf8',
      `${name} is UTF-16 (${utf16}) text; Assay reads UTF-8 — save it as "CSV UTF-8" (or convert with iconv -f UTF-16 -t UTF-8); nothing was written`,
    )
  }
  let nl = start.indexOf(10)
  if (nl === -1) {
    // A long CR-only file has no LF in its first 64 KiB: read up to its first CR so the check below names it.
    const cr = start.indexOf(13)
    if (cr > 0) nl = cr + 2
  }
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
  // A binary file whose first line happens to be short, clean text (random bytes: one in a few hundred) is still
  // binary, not a CSV with a bad header or CR line ends.
  const binary = looksBinary(start)
  const notText = () =>
    new AssayError(
      'not_csv',
      `${name} is not a CSV text file (binary data in its first ${Math.ceil(start.length / 1024)} KiB); nothing was written`,
    )
  const cr = first.indexOf(13)
  if (cr !== -1 && cr < first.length - 1) {
    if (binary) throw notText()
    throw new AssayError(
      'cr_line_ends',
      `${name} ends its lines with CR only (classic Mac line ends); save it with LF or CRLF line ends; nothing was written`,
    )
  }
  let columns: ColumnMap
  try {
    columns = matchCsvHeader(first.toString('utf8'))
  } catch (error) {
    throw binary ? notText() : error
  }
  if (start.subarray(nl).toString('utf8').trim() === '' && info.size === start.length) {
    throw new AssayError('no_data', `${name} has a header but no data lines; nothing was written`)
  }
  return { bytes: info.size, columns }
}
