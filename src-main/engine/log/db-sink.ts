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
    if (this.buffer.length > this.maxBuffered) {
      const excess = this.buffer.length - this.maxBuffered
      this.buffer.splice(0, excess)
      this.dropped += excess
    }
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

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      if (this.dropped > 0 && !this.failing) this.noteDropped()
      const batch = this.buffer.slice(0, this.batchSize)
      try {
        await this.db.query(INSERT, columns(batch))
        this.buffer.splice(0, batch.length)
        if (this.failing) {
          this.failing = false
          this.options.onTrouble?.('log store is writable again; buffered records written')
        }
      } catch (error) {
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

  private noteDropped(): void {
    const count = this.dropped
    this.dropped = 0
    const first = this.buffer[0]
    this.buffer.unshift({
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
    })
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
    while (this.buffer.length > 0 && Date.now() < deadline) {
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

function columns(batch: LogRecord[]): unknown[] {
  return [
    batch.map((r) => r.timestamp),
    batch.map((r) => r.level),
    batch.map((r) => r.message),
    batch.map((r) => r.logger),
    batch.map((r) => r.pipeline_name),
    batch.map((r) => r.run_id),
    batch.map((r) => r.module),
    batch.map((r) => r.function),
    batch.map((r) => r.line),
    batch.map((r) => JSON.stringify(r.metadata)),
  ]
}
