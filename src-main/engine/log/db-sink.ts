import type { LogLevel, LogRecord } from '../../../src-shared/pipeline.js'
import type { Queryable } from '../db/types.js'
import { messageOf } from '../errors.js'
import { INSERT_LOGS, logColumns } from './insert.js'
import type { LogSink } from './logger.js'
import { backfillSpool, spoolRecords } from './spool.js'

export interface DbSinkOptions {
  minLevel?: LogLevel
  /** How often buffered records are written. */
  intervalMs?: number
  /** Records per INSERT. */
  batchSize?: number
  /** Records kept while the database is unavailable; beyond it the oldest are dropped and counted. */
  maxBuffered?: number
  /** Told when writing fails or records are dropped (stderr in the CLI). */
  onTrouble?: (message: string) => void
  /**
   * The spool folder (spool.ts): records the table could not take by the end (or beyond the buffer bound) are
   * written there instead of being lost, and spooled records are back-filled once the table takes writes again.
   */
  spoolDir?: string
}

/**
 * Writes records to ops.pipeline_logs in batches (one multi-row INSERT per ~100 ms, never a commit per line).
 * If the database is unavailable, records stay buffered (bounded) and are written when it returns, so
 * logging never fails a run. Dropped records are counted and reported by a WARNING once writing resumes.
 */
export class DbLogSink implements LogSink {
  readonly minLevel: LogLevel
  private buffer: LogRecord[] = []
  private dropped = 0
  private failing = false
  /** Spool files may be waiting (any process's): back-fill after the next successful write. */
  private backfillDue = true
  private timer: NodeJS.Timeout | undefined
  private writing: Promise<void> | undefined
  private readonly intervalMs: number
  private readonly batchSize: number
  private readonly maxBuffered: number

  constructor(
    private readonly db: Queryable,
    private readonly options: DbSinkOptions = {},
  ) {
    this.minLevel = options.minLevel ?? 'INFO'
    this.intervalMs = options.intervalMs ?? 100
    this.batchSize = options.batchSize ?? 2000
    this.maxBuffered = options.maxBuffered ?? 100_000
  }

  /** Records waiting to be written, and records lost to the buffer bound. */
  get stats(): { buffered: number; dropped: number } {
    return { buffered: this.buffer.length, dropped: this.dropped }
  }

  write(record: LogRecord): void {
    this.buffer.push(record)
    this.trim()
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined
        void this.flush()
      }, this.intervalMs)
      this.timer.unref?.()
    }
  }

  /** Writes everything buffered; on failure keeps it for the next try. Never throws. */
  flush(): Promise<void> {
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined
    })
    return this.writing
  }

  /** Keeps the buffer within its bound: the oldest records go to the spool, or are dropped and counted. */
  private trim(): void {
    if (this.buffer.length <= this.maxBuffered) return
    const excess = this.buffer.splice(0, this.buffer.length - this.maxBuffered)
    if (!this.spool(excess)) this.dropped += excess.length
  }

  /** Hands records to the spool file; false when there is no spool or it cannot be written. */
  private spool(records: LogRecord[]): boolean {
    if (!this.options.spoolDir || records.length === 0) return false
    try {
      const path = spoolRecords(this.options.spoolDir, records)
      this.backfillDue = true
      this.options.onTrouble?.(
        `${records.length} log record(s) spooled to ${path}; the next run that can write ops.pipeline_logs adds them`,
      )
      return true
    } catch (error) {
      this.options.onTrouble?.(`cannot write the log spool (${messageOf(error)})`)
      return false
    }
  }

  /** Back-fills spooled records once the table takes writes; a failure leaves them for a later try. */
  private async backfill(): Promise<void> {
    if (!this.options.spoolDir || !this.backfillDue) return
    this.backfillDue = false
    try {
      const report = await backfillSpool(this.db, this.options.spoolDir)
      if (report.inserted > 0)
        this.options.onTrouble?.(
          `${report.inserted} spooled log record(s) back-filled into ops.pipeline_logs`,
        )
    } catch (error) {
      this.backfillDue = true
      this.options.onTrouble?.(`log spool back-fill failed (${messageOf(error)}); kept for the next run`)
    }
  }

  /**
   * A batch leaves the buffer before its INSERT and goes back to the front if the INSERT fails, so records
   * trimmed meanwhile can never shift which ones count as written. The note about dropped records rides in the
   * first batch that succeeds (and only then is the count cleared), so it is neither lost when that batch empties
   * the buffer nor itself dropped while the store is away.
   */
  private async drain(): Promise<void> {
    while (this.buffer.length > 0 || this.dropped > 0) {
      const noted = this.dropped
      const records = this.buffer.splice(0, noted > 0 ? this.batchSize - 1 : this.batchSize)
      const batch = noted > 0 ? [this.droppedNote(noted, records[0]), ...records] : records
      try {
        await this.db.query(INSERT_LOGS, logColumns(batch))
        this.dropped -= noted
        await this.backfill()
        if (this.failing) {
          this.failing = false
          this.options.onTrouble?.('log store is writable again; buffered records written')
        }
      } catch (error) {
        this.buffer.unshift(...records)
        this.trim()
        if (!this.failing)
          this.options.onTrouble?.(
            `cannot write to ops.pipeline_logs (${messageOf(error)}); buffering records`,
          )
        this.failing = true
        this.scheduleRetry()
        return
      }
    }
  }

  private droppedNote(count: number, first: LogRecord | undefined): LogRecord {
    return {
      timestamp: new Date().toISOString(),
      level: 'WARNING',
      message: `${count} log records were dropped while the log store was unavailable (buffer bound ${this.maxBuffered})`,
      logger: 'assay.log',
      pipeline_name: first?.pipeline_name ?? null,
      run_id: first?.run_id ?? null,
      module: 'log/db-sink',
      function: null,
      line: null,
      metadata: { dropped: count },
    }
  }

  private scheduleRetry(): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.flush()
    }, 1000)
    this.timer.unref?.()
  }

  /** Final flush, waiting up to `timeoutMs` for an unavailable database; reports what could not be written. */
  async close(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    await this.flush()
    while ((this.buffer.length > 0 || this.dropped > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      await this.flush()
    }
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.spool(this.buffer)) this.buffer = []
    if (this.buffer.length > 0 || this.dropped > 0) {
      this.options.onTrouble?.(
        `${this.buffer.length + this.dropped} log records could not be written to ops.pipeline_logs (they are in the log file)`,
      )
    }
  }
}
