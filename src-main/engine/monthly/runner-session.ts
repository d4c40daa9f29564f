import { isConnectionLoss } from '../db/pg.js'
import type { Db, Session } from '../db/types.js'
import { sqlState } from '../errors.js'
import { LOCK, lockId } from '../ops/locks.js'

/**
 * The one database session a run works on, held for the run: it carries the run's advisory lock and the lock of
 * the month in hand, so both die with the runner (kill -9, lost connection) and never with a lease timeout.
 * When the connection breaks, the session is discarded and the next `get()` opens a new one, re-taking the run's
 * lock; month locks are re-taken by the month's next attempt.
 */
export class RunnerSession {
  private current: Session | undefined
  private runLocked = false
  private readonly months = new Set<number>()

  constructor(
    private readonly db: Db,
    private readonly runId: string,
  ) {}

  /** The backend pid of the live session, for pg_cancel_backend. */
  get pid(): number | undefined {
    return this.current?.pid
  }

  /** The live session, or a new one (with the run's lock re-taken once the run has been recorded). */
  async get(): Promise<Session> {
    if (this.current) return this.current
    const session = await this.db.session()
    this.current = session
    try {
      if (this.db.kind === 'postgres') {
        // A runner killed mid-statement is noticed within a second instead of when the statement ends (PG 14+).
        await session.query(`SET client_connection_check_interval = 1000`).catch(() => undefined)
        // Bookkeeping commits (in_progress marks, checkpoint starts, progress) skip the WAL flush; each month's
        // data transaction turns it back on for its own commit (see UPSERT_MONTH). WAL is flushed in order, so a durable data commit
        // makes every earlier bookkeeping commit durable too; a server crash can only lose bookkeeping written
        // after the last data commit, which the next run reads as interrupted or pending. This keeps a month at
        // one fsync, like the bare aggregation. The connection is closed after the run, so the setting dies with it.
        await session.query(`SET synchronous_commit = off`)
      }
      if (this.runLocked) await this.relock(session)
    } catch (error) {
      await this.afterError(error)
      throw error
    }
    return session
  }

  /** Called once startRun has taken the run's lock on this session. */
  noteRunLocked(): void {
    this.runLocked = true
  }

  private async relock(session: Session): Promise<void> {
    await session.tryLock(LOCK.run, lockId(this.runId))
    // Someone may have reaped the run while we were disconnected; we are alive, so it is running again.
    await session.query(
      `UPDATE ops.pipeline_runs SET status = 'running', ended_at = NULL, error = NULL, updated_at = CURRENT_TIMESTAMP
       WHERE run_id = $1 AND status = 'interrupted'`,
      [this.runId],
    )
  }

  /** Runs `fn` on the session; a failure that may have broken the connection discards it. */
  async use<T>(fn: (session: Session) => Promise<T>): Promise<T> {
    const session = await this.get()
    try {
      return await fn(session)
    } catch (error) {
      await this.afterError(error)
      throw error
    }
  }

  /**
   * Keeps the session after an ordinary SQL error (it has a SQLSTATE and the server is still there); anything
   * else (a cut connection, a driver error) may have left it unusable, so it is discarded.
   */
  async afterError(error: unknown): Promise<void> {
    if (sqlState(error) && !isConnectionLoss(error)) return
    await this.discard()
  }

  async discard(): Promise<void> {
    const session = this.current
    this.current = undefined
    this.months.clear()
    await session?.release(true).catch(() => undefined)
  }

  /** Takes a month's lock unless this session already holds it (PostgreSQL advisory locks stack). */
  async lockMonth(id: number): Promise<boolean> {
    if (this.months.has(id) && this.current) return true
    const ok = await this.use((s) => s.tryLock(LOCK.month, id))
    if (ok) this.months.add(id)
    return ok
  }

  /** Releases a month's lock if this session still holds it; a dead session already lost it. */
  async unlockMonth(id: number): Promise<void> {
    if (!this.months.delete(id) || !this.current) return
    await this.use((s) => s.unlock(LOCK.month, id)).catch(() => undefined)
  }

  /**
   * Ends the run's session. The connection is closed rather than pooled, so no advisory lock or session
   * setting can outlive the run in a pooled connection.
   */
  async release(): Promise<void> {
    await this.discard()
  }
}
