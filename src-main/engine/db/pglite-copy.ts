import { PassThrough, Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { PGlite, Transaction } from '@electric-sql/pglite'

/**
 * COPY on PGlite, which has no COPY protocol: `COPY … FROM '/dev/blob'` / `TO '/dev/blob'` move one in-memory
 * blob per statement. To keep memory bounded whatever the payload, input goes in as several blobs cut at record
 * boundaries, and output is read through a cursor a chunk of rows at a time and written as CSV exactly as
 * PostgreSQL's COPY writes it (the values are PostgreSQL's own text output, so both backends give the same bytes).
 */
type Target = PGlite | Transaction

/** Input is loaded in blobs of about this size (whole records). */
export const COPY_IN_CHUNK_BYTES = 4 * 1024 * 1024
/** Output is fetched this many rows at a time. */
export const COPY_OUT_CHUNK_ROWS = 5000

/**
 * Cuts a byte stream into chunks of at least `size` bytes (the last may be smaller) that end at a record
 * boundary: a newline outside a quoted field (CSV) or any newline (text format, where newlines in values are
 * escaped).
 */
export async function* recordChunks(source: Readable, csv: boolean, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = []
  let length = 0
  let cut = 0
  let quoted = false
  for await (const piece of source) {
    const buf = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string)
    if (csv) {
      for (let i = 0; i < buf.length; i++) {
        const byte = buf[i]
        if (byte === 0x22) quoted = !quoted
        else if (byte === 0x0a && !quoted) cut = length + i + 1
      }
    } else {
      const last = buf.lastIndexOf(0x0a)
      if (last >= 0) cut = length + last + 1
    }
    parts.push(buf)
    length += buf.length
    if (cut >= size) {
      const all = Buffer.concat(parts, length)
      yield all.subarray(0, cut)
      const rest = all.subarray(cut)
      parts = rest.length > 0 ? [rest] : []
      length = rest.length
      cut = 0
    }
  }
  if (length > 0) yield Buffer.concat(parts, length)
}

const HEADER_OPTION = /,?\s*\bHEADER\b(?:\s+(?:true|on|1|match))?/i

/**
 * `COPY … FROM STDIN` fed from `source`, in bounded blobs. Atomic only inside a transaction: pass a transaction
 * handle (PgliteDb does). Returns the number of rows copied.
 */
export async function pgliteCopyIn(
  target: Target,
  copySql: string,
  source: Readable,
  chunkBytes = COPY_IN_CHUNK_BYTES,
): Promise<number> {
  const sql = copySql.replace(/FROM\s+STDIN/i, `FROM '/dev/blob'`)
  // HEADER skips the first line of each statement's input: only the first chunk carries it.
  const rest = sql.replace(HEADER_OPTION, '').replace(/\(\s*\)/, '')
  const csv = /FORMAT\s+'?csv/i.test(copySql)
  let rows = 0
  let first = true
  for await (const chunk of recordChunks(source, csv, chunkBytes)) {
    const result = await target.query(first ? sql : rest, [], { blob: new Blob([chunk]) })
    rows += result.affectedRows ?? 0
    first = false
  }
  return rows
}

/** The query behind `COPY (query) TO STDOUT …` or `COPY table [(columns)] TO STDOUT …`, and its HEADER option. */
function parseCopyOut(copySql: string): { select: string; header: boolean } {
  const match = /^\s*COPY\s+([\s\S]+?)\s+TO\s+STDOUT\s*(?:WITH\s*)?(?:\(([^()]*)\))?\s*;?\s*$/i.exec(copySql)
  const options = (match?.[2] ?? '')
    .split(',')
    .map((o) => o.trim().toLowerCase().replace(/\s+/g, ' '))
    .filter(Boolean)
  const unsupported = options.filter((o) => !/^(format '?csv'?|header( true| on| 1)?)$/.test(o))
  if (!match || !options.some((o) => o.startsWith('format')) || unsupported.length > 0)
    throw new Error(
      `PGlite streams only COPY … TO STDOUT (FORMAT csv[, HEADER]); got: ${copySql.slice(0, 80)}`,
    )
  const what = match[1]!.trim()
  const table = /^([\w."]+)\s*(?:\(([^()]*)\))?$/.exec(what)
  const select = what.startsWith('(')
    ? what.slice(1, -1)
    : table
      ? `SELECT ${table[2] ?? '*'} FROM ${table[1]}`
      : undefined
  if (select === undefined) throw new Error(`cannot read the query of: ${copySql.slice(0, 80)}`)
  return { select, header: options.some((o) => o.startsWith('header')) }
}

/** PostgreSQL's COPY CSV quoting: empty strings (distinct from NULL), delimiters, quotes, line breaks, `\.`. */
function csvValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return text === '' || text === '\\.' || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

const asText = (text: string) => text

let cursors = 0

/** `COPY … TO STDOUT (FORMAT csv[, HEADER])` inside a transaction, fetched COPY_OUT_CHUNK_ROWS rows at a time. */
export async function* pgliteCopyOutChunks(
  tx: Transaction,
  copySql: string,
  rowsPerChunk = COPY_OUT_CHUNK_ROWS,
): AsyncGenerator<Buffer> {
  const { select, header } = parseCopyOut(copySql)
  const cursor = `assay_copy_${++cursors}`
  // Every column's value as PostgreSQL's text output, untouched: a parser per result type, learnt without rows.
  const probe = await tx.query(`SELECT * FROM (${select}) AS q LIMIT 0`)
  const rawText = Object.fromEntries(probe.fields.map((f) => [f.dataTypeID, asText]))
  await tx.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${select}`)
  let headed = !header
  for (;;) {
    const result = await tx.query<unknown[]>(`FETCH FORWARD ${rowsPerChunk} FROM ${cursor}`, [], {
      rowMode: 'array',
      parsers: rawText,
    })
    let text = ''
    if (!headed) {
      text = `${result.fields.map((f) => csvValue(f.name)).join(',')}\n`
      headed = true
    }
    for (const row of result.rows) text += `${row.map(csvValue).join(',')}\n`
    if (text) yield Buffer.from(text)
    if (result.rows.length < rowsPerChunk) break
  }
  await tx.query(`CLOSE ${cursor}`)
}

/** COPY TO STDOUT inside a transaction handle: the caller consumes it before the transaction ends. */
export function pgliteCopyOut(tx: Transaction, copySql: string): Readable {
  return Readable.from(pgliteCopyOutChunks(tx, copySql))
}

/**
 * COPY TO STDOUT in a transaction of its own, open while the stream is read (a cursor needs one). Abandoning the
 * stream rolls it back.
 */
export function pgliteCopyOutInTransaction(pg: PGlite, copySql: string): Readable {
  const out = new PassThrough()
  pg.transaction(async (tx) => {
    await pipeline(pgliteCopyOut(tx, copySql), out, { end: false })
  }).then(
    () => out.end(),
    (error) => out.destroy(error),
  )
  return out
}
