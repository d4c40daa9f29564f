import { type Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
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

/** Passes the CSV through: prepends the BOM, reports progress (the producer ends it after the transaction). */
class CsvOutput extends Transform {
  private bytes = 0
  private lastProgress = 0
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
    this.options.onProgress?.({ bytes: this.bytes, done: true })
    done()
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
 * cancellation fail the stream. On PGlite it streams a chunk of rows at a time, in the same CSV.
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
  return copyCsv(db, copy, values, options)
}

/**
 * Streams `COPY (…) TO STDOUT (FORMAT csv, HEADER)` whose `current_setting('assay.export_<n>')` references
 * stand for `values[n - 1]` (COPY takes no parameters), in a read-only transaction, with the options of
 * exportCsv (BOM, cancel, progress). Shared by the ops tables' exports and "explain this number".
 */
export function copyCsv(db: Db, copy: string, values: string[], options: ExportOptions = {}): Readable {
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
  produce(db, copy, values, output, signal).catch(fail)
  return output
}

/**
 * Runs the export's read-only transaction on one session: the filter values are set with set_config, then the
 * COPY streams into `output` (PostgreSQL through the COPY protocol, PGlite a chunk of rows at a time). The
 * output ends only after COMMIT. If the reader goes away or the signal fires first, the statement is cancelled
 * and the connection dropped.
 */
async function produce(
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
    if (!clean) db.cancel(session.pid).catch(() => undefined)
  }
  // Cancel as soon as the reader is gone, before the transaction tries its ROLLBACK behind a running COPY.
  output.once('close', cancel)
  try {
    await session.transaction(
      async (tx) => {
        await tx.query(settingsStatement(values.length), values)
        await pipeline(tx.copyOut(copy), output, { end: false })
      },
      { readOnly: true },
    )
    clean = true
  } finally {
    output.off('close', cancel)
    await session.release(!clean)
  }
  if (signal?.aborted) throw new CancelledError()
  output.end()
}
