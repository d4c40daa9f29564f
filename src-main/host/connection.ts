import type { DbConnection, DbInfo } from '../../src-shared/contract.js'
import { type DbConfig, describeConfig } from '../engine/config.js'
import { explainConnectionError } from '../engine/db/connection-errors.js'
import { openDb } from '../engine/db/open.js'
import type { Db } from '../engine/db/types.js'
import { AssayError, messageOf } from '../engine/errors.js'
import { yieldingDb } from './yielding-db.js'

export interface ConnectionOptions {
  config: DbConfig
  /** Opens the database (default: openDb); tests inject failures here. */
  open?: (config: DbConfig) => Promise<Db>
  /** How often to check the server (PostgreSQL only; an embedded database cannot go away). */
  pingMs?: number
  pingTimeoutMs?: number
}

/** "embedded" or "host:port/db": what the header shows. */
export function targetOf(config: DbConfig): string {
  return config.kind === 'pglite' ? 'embedded' : `${config.host}:${config.port}/${config.database}`
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * The host's database: opened at start (retried until it works), checked periodically, and reported as
 * up or down. Handlers ask `db()`, which fails with a specific message while the database is unreachable.
 */
export class Connection {
  private current: Db | undefined
  private state: DbConnection = { ok: false, message: 'connecting…' }
  private timer: ReturnType<typeof setInterval> | undefined
  private checking = false
  private closed = false
  private opened = 0
  private readonly changeListeners = new Set<(state: DbConnection) => void>()
  private readonly upListeners = new Set<(db: Db) => void | Promise<void>>()

  constructor(private options: ConnectionOptions) {}

  get config(): DbConfig {
    return this.options.config
  }

  /** Increases every time a database is opened: state tied to one database (a log cursor) checks it. */
  get generation(): number {
    return this.opened
  }

  /**
   * Closes the current database and opens `config` instead (Settings → connection). Consoles see the
   * connection go down and come back up, and reload everything. The caller has tested `config` first.
   */
  async reopen(config: DbConfig): Promise<void> {
    while (this.checking) await new Promise((resolve) => setTimeout(resolve, 20))
    const old = this.current
    this.current = undefined
    this.options = { ...this.options, config }
    await this.set({ ok: false, message: `switching to ${describeConfig(config)}…`, switching: true })
    await old?.close().catch(() => undefined)
    await this.check()
  }

  /** First open attempt, then the periodic check. Never throws: a failure is a state. */
  async start(): Promise<void> {
    await this.check()
    this.timer = setInterval(() => void this.check(), this.options.pingMs ?? 3000)
    this.timer.unref?.()
  }

  info(): DbInfo {
    return {
      kind: this.options.config.kind,
      target: targetOf(this.options.config),
      label: this.current?.label ?? describeConfig(this.options.config),
      connected: this.state.ok,
      message: this.state.message,
    }
  }

  status(): DbConnection {
    return this.state
  }

  /** The open database, or an AssayError saying why there is none. */
  db(): Db {
    if (!this.current || !this.state.ok) {
      throw new AssayError('db_unreachable', this.state.message ?? 'not connected to the database')
    }
    return this.current
  }

  /** Called with the new state whenever the connection goes up or down. */
  onChange(listener: (state: DbConnection) => void): () => void {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  /** Called when the database becomes usable: first open and every recovery (re-LISTEN, refresh). */
  onUp(listener: (db: Db) => void | Promise<void>): () => void {
    this.upListeners.add(listener)
    return () => this.upListeners.delete(listener)
  }

  /** Opens or pings once and updates the state. */
  async check(): Promise<void> {
    if (this.checking || this.closed) return
    this.checking = true
    try {
      if (!this.current) {
        this.current = yieldingDb(await (this.options.open ?? openDb)(this.options.config))
        this.opened++
      } else if (this.current.capabilities.canLoseConnection) {
        const timeout = this.options.pingTimeoutMs ?? 5000
        await withTimeout(this.current.query('SELECT 1'), timeout, `no answer within ${timeout / 1000} s`)
      }
      await this.set({ ok: true, message: null })
    } catch (error) {
      await this.set({ ok: false, message: this.explain(error) })
    } finally {
      this.checking = false
    }
  }

  private explain(error: unknown): string {
    if (error instanceof AssayError) return error.message
    const config = this.options.config
    if (config.kind === 'postgres') return explainConnectionError(error, config).message
    return messageOf(error)
  }

  private async set(next: DbConnection): Promise<void> {
    const changed = next.ok !== this.state.ok || next.message !== this.state.message
    const cameUp = next.ok && !this.state.ok
    this.state = next
    if (cameUp && this.current) {
      for (const listener of this.upListeners)
        await Promise.resolve(listener(this.current)).catch(() => undefined)
    }
    if (changed) for (const listener of this.changeListeners) listener(next)
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    const db = this.current
    this.current = undefined
    await db?.close()
  }
}
