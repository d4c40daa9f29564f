import type { LogLevel, LogRecord } from '../../../src-shared/pipeline.js'
import type { Queryable } from '../db/types.js'
import { messageOf } from '../errors.js'
import type { LogSink } from './logger.js'

const INSERT = {
  name: 'logs/insert-batch',
  text: `INSERT INTO ops.pipeline_logs (timestamp, level, message, logger, pipeline_name, run_id, module, function, line, metadata)
         SELECT * FROM unnest($1::timestamp[], $2::varchar[], $3::text[], $4::varchar[], $5::varchar[], $6::varchar[],
                              $7::varchar[], $8::varchar[], $9::int[], $10::jsonb[])`,
}

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

  /** Keeps the buffer within its bound by dropping the oldest records, counted. */
  private trim(): void {
    if (this.buffer.length <= this.maxBuffered) return
    const excess = this.buffer.length - this.maxBuffered
    this.buffer.splice(0, excess)
    this.dropped += excess
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
        await this.db.query(INSERT, columns(batch))
        this.dropped -= noted
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
    if (this.buffer.length > 0 || this.dropped > 0) {
      this.options.onTrouble?.(
        `${this.buffer.length + this.dropped} log records could not be written to ops.pipeline_logs (they are in the log file)`,
      )
    }
  }
}

/** Fits a value to its VARCHAR(n) column: one over-long value must not make every retry of its batch fail. */
function truncate(value: string | null, max: number): string | null {
  return value !== null && value.length > max ? value.slice(0, max) : value
}

/** JSON that cannot throw (BigInt, cycles): a record that cannot be serialised must not block the batch. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item)) ?? '{}'
  } catch (error) {
    return JSON.stringify({ unserialisable_metadata: messageOf(error) })
  }
}

function columns(batch: LogRecord[]): unknown[] {
  return [
    batch.map((r) => r.timestamp),
    batch.map((r) => r.level),
    batch.map((r) => r.message),
    batch.map((r) => truncate(r.logger, 100)),
    batch.map((r) => truncate(r.pipeline_name, 100)),
    batch.map((r) => truncate(r.run_id, 50)),
    batch.map((r) => truncate(r.module, 100)),
    batch.map((r) => truncate(r.function, 100)),
    batch.map((r) => r.line),
    batch.map((r) => safeJson(r.metadata)),
  ]
}
