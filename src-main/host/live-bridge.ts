import type { EngineApi } from '../engine/api.js'
import type { Db } from '../engine/db/types.js'
import { lastLogId, logsAfter, runsOverview } from '../engine/ops/read/index.js'
import type { Connection } from './connection.js'
import type { EventBus } from './event-bus.js'
import { LogCursor } from './log-cursor.js'

export interface LiveBridgeDeps {
  connection: Connection
  engine: EngineApi
  bus: EventBus
  /** Notifications for one table within this window cause one re-read. */
  debounceMs?: number
  /** Most log records per push; a larger backlog is sent in several pushes. */
  logBatch?: number
  /**
   * A backlog larger than this (a bulk insert, a retention import) is not streamed record by record: consoles get
   * one `log:gap` and reload their first page instead.
   */
  logGap?: number
  /**
   * Months are also re-read on this interval: a silver rebuild makes months stale without touching the
   * notifying ops tables. Unchanged states are not pushed again.
   */
  monthsPollMs?: number
  /**
   * Log ids a read skipped (their transaction had not committed) are asked for again this long: a log INSERT
   * commits within seconds, a rolled-back one never does.
   */
  holeMs?: number
  /** Most skipped log ids remembered. */
  maxHoles?: number
  /** The clock holes are aged by (tests move it). */
  now?: () => number
}

export const OPS_CHANNEL = 'assay_ops'
const TABLES = ['processed_months', 'pipeline_runs', 'pipeline_logs', 'pipeline_checkpoint'] as const
type Table = (typeof TABLES)[number]

/**
 * Turns NOTIFYs on the ops tables (sent by statement-level triggers for changes made by any process: this
 * console, another one, the CLI) into events: it re-reads what changed and pushes it. On every (re)connect it
 * subscribes again and refreshes everything, so a console that lost the database catches up when it returns.
 */
export class LiveBridge {
  private unlisten: (() => Promise<void>) | undefined
  private logCursor: LogCursor | undefined
  /** The connection generation logCursor belongs to (another database has other ids). */
  private logGeneration = -1
  private readonly pending = new Map<Table, ReturnType<typeof setTimeout>>()
  private readonly running = new Set<Table>()
  private readonly again = new Set<Table>()
  /** Tables a NOTIFY named since their last re-read (as opposed to a poll or the host's own nudge). */
  private readonly changed = new Set<string>()
  private lastMonths = ''
  private poll: ReturnType<typeof setInterval> | undefined
  private closed = false

  constructor(private readonly deps: LiveBridgeDeps) {}

  /** Subscribes now if connected, and again after every reconnect. */
  start(): void {
    this.deps.connection.onUp((db) => this.subscribe(db))
    this.poll = setInterval(() => this.notify('processed_months'), this.deps.monthsPollMs ?? 10_000)
    this.poll.unref?.()
  }

  private async subscribe(db: Db): Promise<void> {
    await this.unlisten?.().catch(() => undefined)
    this.unlisten = await db.listen(OPS_CHANNEL, (payload) => {
      this.changed.add(payload)
      this.notify(payload)
    })
    if (this.logCursor === undefined || this.logGeneration !== this.deps.connection.generation) {
      this.logGeneration = this.deps.connection.generation
      const newest = await lastLogId(db).catch(() => undefined)
      this.logCursor = newest === undefined ? undefined : this.logCursorAt(newest)
    }
    this.lastMonths = ''
    for (const table of TABLES) this.notify(table)
  }

  /** Schedules a re-read of one table (also used by the host after its own writes, e.g. init or setup). */
  notify(payload: string): void {
    const table = TABLES.find((t) => t === payload)
    if (!table || this.closed) return
    if (this.running.has(table)) {
      this.again.add(table)
      return
    }
    if (this.pending.has(table)) return
    this.pending.set(
      table,
      setTimeout(() => {
        this.pending.delete(table)
        void this.refresh(table)
      }, this.deps.debounceMs ?? 50),
    )
  }

  private async refresh(table: Table): Promise<void> {
    this.running.add(table)
    try {
      const db = this.deps.connection.db()
      if (this.changed.delete(table)) this.deps.bus.emit('ops:changed', { table })
      if (table === 'processed_months') await this.pushMonths(db)
      if (table === 'pipeline_runs') this.deps.bus.emit('runs:changed', await runsOverview(db))
      if (table === 'pipeline_logs') await this.pushLogs(db)
    } catch {
      // Unreachable database or schema not created yet: the connection banner or setup panel says so.
    } finally {
      this.running.delete(table)
      if (this.again.delete(table)) this.notify(table)
    }
  }

  private async pushMonths(db: Db): Promise<void> {
    const months = await this.deps.engine.monthStates(db)
    const text = JSON.stringify(months)
    if (text === this.lastMonths) return
    this.lastMonths = text
    this.deps.bus.emit('months:changed', months)
  }

  private logCursorAt(id: number): LogCursor {
    return new LogCursor(id, {
      holeMs: this.deps.holeMs ?? 30_000,
      maxHoles: this.deps.maxHoles ?? 10_000,
      now: this.deps.now ?? (() => performance.now()),
    })
  }

  /** Sends the records committed since the last push, including late commits of lower ids, each once. */
  private async pushLogs(db: Db): Promise<void> {
    const limit = this.deps.logBatch ?? 500
    this.logCursor ??= this.logCursorAt(0)
    // Held locally: a reconnect may replace the cursor while this read is out.
    const cursor = this.logCursor
    const newest = await lastLogId(db)
    const { after, missing } = cursor.next()
    if (newest - after > (this.deps.logGap ?? 5000)) {
      cursor.jump(newest)
      this.deps.bus.emit('log:gap', { newestId: newest })
      return
    }
    const records = await logsAfter(db, after, missing, limit)
    if (records.length === 0) return
    cursor.saw(records.map((r) => r.id))
    this.deps.bus.emit('log:records', records)
    if (records.length === limit) this.again.add('pipeline_logs')
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.poll)
    for (const timer of this.pending.values()) clearTimeout(timer)
    await this.unlisten?.().catch(() => undefined)
  }
}
