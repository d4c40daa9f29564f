import { Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { PgliteDb } from '../db/pglite.js'
import type { Db } from '../db/types.js'
import { CancelledError, UsageError } from '../errors.js'
import { EXPORT_TABLES, EXPORTS, type ExportTable, selectList } from './export-tables.js'
import { checkLogFilter, filterConditions, type LogFilter } from './filter.js'

export { EXPORT_TABLES, type ExportTable } from './export-tables.js'

/** Filters of an export: the Logs view's, plus `status` for checkpoints, runs and months. */
export interface ExportFilter extends LogFilter {
  status?: string
}

export interface ExportProgress {
  /** Bytes handed on so far (the BOM included). */
  bytes: number
  /** True once, on the last call, when the whole export has been produced. */
  done: boolean
}

export interface ExportOptions {
  /** Start with a UTF-8 byte order mark, so Excel reads the file as UTF-8. */
  bom?: boolean
  /** Aborting cancels the statement in flight; the stream fails with a CancelledError. */
  signal?: AbortSignal
  /** About ten times a second at most, and always once at the end with `done: true`. */
  onProgress?: (progress: ExportProgress) => void
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf])
const PROGRESS_MS = 100

/** Passes the CSV through: prepends the BOM, reports progress, and ends only after the export's transaction. */
class CsvOutput extends Transform {
  private bytes = 0
  private lastProgress = 0
  /** Set by the producer: closes the export's transaction before the stream ends. */
  beforeEnd: () => Promise<void> = async () => {}

  constructor(private readonly options: ExportOptions) {
    super()
    if (options.bom) this.pushCounted(BOM)
  }

  private pushCounted(chunk: Buffer): void {
    this.bytes += chunk.length
    this.push(chunk)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pushCounted(chunk)
    const now = performance.now()
    if (this.options.onProgress && now - this.lastProgress >= PROGRESS_MS) {
      this.lastProgress = now
      this.options.onProgress({ bytes: this.bytes, done: false })
    }
    done()
  }

  override _flush(done: TransformCallback): void {
    this.beforeEnd().then(
      () => {
        this.options.onProgress?.({ bytes: this.bytes, done: true })
        done()
      },
      (error: Error) => done(error),
    )
  }
}

/** The COPY statement and the values its `current_setting` references stand for. */
function buildCopy(table: ExportTable, filter: ExportFilter): { copy: string; values: string[] } {
  const spec = EXPORTS[table]
  const values: string[] = []
  // COPY takes no parameters: each value is set with set_config (a parameter) in the export's transaction and
  // read back with current_setting, so no value is ever part of the statement's text.
  const bind = (value: string) => {
    values.push(value)
    return `current_setting('assay.export_${values.length}')`
  }
  const where = filterConditions(filter, spec.filters, bind, `the ${table} export`)
  const select = `SELECT ${selectList(spec)}
  FROM ${spec.from}${where.length > 0 ? `\n  WHERE ${where.join(' AND ')}` : ''}
  ORDER BY ${spec.orderBy}`
  return { copy: `COPY (${select}) TO STDOUT (FORMAT csv, HEADER)`, values }
}

/** `set_config` of every value, local to the transaction; plus an ISO DateStyle whatever the server's default. */
function settingsStatement(count: number): string {
  const settings = Array.from(
    { length: count },
    (_, i) => `set_config('assay.export_${i + 1}', $${i + 1}, true)`,
  )
  return `SELECT ${[`set_config('DateStyle', 'ISO, YMD', true)`, ...settings].join(', ')}`
}

/**
 * Streams one ops table as CSV (RFC 4180 quoting, a header row, JSON columns as one cell each), filtered on the
 * server and produced by `COPY (SELECT …) TO STDOUT`: a million log records take seconds and constant memory on
 * PostgreSQL. Text cells that a spreadsheet would run as a formula are prefixed with `'` in SQL. Timestamps are
 * UTC, `YYYY-MM-DD HH:MM:SS[.ffffff]`. Bad input throws a UsageError at once; database failures and
 * cancellation fail the stream. On PGlite the whole result is built in memory before it streams.
 */
export function exportCsv(
  db: Db,
  table: ExportTable,
  filter: ExportFilter = {},
  options: ExportOptions = {},
): Readable {
  if (!EXPORT_TABLES.includes(table))
    throw new UsageError(`cannot export "${table}": choose one of ${EXPORT_TABLES.join(', ')}`)
  checkLogFilter(filter)
  const { copy, values } = buildCopy(table, filter)
  const output = new CsvOutput(options)
  const { signal } = options
  const fail = (error: unknown) => {
    const reason = signal?.aborted ? new CancelledError() : error
    output.destroy(reason instanceof Error ? reason : new Error(String(reason)))
  }
  // Aborting fails the stream at once; the producer then cancels the statement and drops its connection.
  const onAbort = () => output.destroy(new CancelledError())
  signal?.addEventListener('abort', onAbort, { once: true })
  output.once('close', () => signal?.removeEventListener('abort', onAbort))
  const producing =
    db.kind === 'pglite'
      ? producePglite(db as PgliteDb, copy, values, output, signal)
      : producePg(db, copy, values, output, signal)
  producing.catch(fail)
  return output
}

async function producePg(
  db: Db,
  copy: string,
  values: string[],
  output: CsvOutput,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) throw new CancelledError()
  const session = await db.session()
  let clean = false
  const cancel = () => {
    db.cancel(session.pid).catch(() => undefined)
  }
  signal?.addEventListener('abort', cancel, { once: true })
  try {
    await session.query('BEGIN READ ONLY')
    await session.query(settingsStatement(values.length), values)
    output.beforeEnd = async () => {
      await session.query('COMMIT')
      clean = true
    }
    await pipeline(await session.copyTo(copy), output)
  } catch (error) {
    // The reader went away, or the statement failed: stop the server's work too, and drop the connection.
    if (!clean) cancel()
    throw error
  } finally {
    signal?.removeEventListener('abort', cancel)
    await session.release(!clean)
  }
}

/** PGlite has no streaming COPY: the result is written to a blob in one transaction, then streamed. */
async function producePglite(
  db: PgliteDb,
  copy: string,
  values: string[],
  output: CsvOutput,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) throw new CancelledError()
  const blob = await db.raw.transaction(async (tx) => {
    await tx.query(settingsStatement(values.length), values)
    const result = await tx.query(copy.replace(/TO STDOUT \(FORMAT/, `TO '/dev/blob' (FORMAT`))
    return result.blob
  })
  if (signal?.aborted) throw new CancelledError()
  const source = blob
    ? Readable.fromWeb(blob.stream() as unknown as import('node:stream/web').ReadableStream)
    : Readable.from([])
  await pipeline(source, output)
}
