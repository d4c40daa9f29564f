import { isConnectionLoss, sqlState } from '../db/error-class.js'
import type { Db, Session } from '../db/types.js'
import { LOCK, lockId } from '../ops/locks.js'

/**
 * The one database session a run holds for its lifetime (run/run-lifecycle.ts): it carries the run's advisory
 * lock and, in a monthly run, the lock of the month in hand, so both die with the runner (kill -9, lost
 * connection) and never with a lease timeout. When the connection breaks, the session is discarded and the next
 * `get()` opens a new one, re-taking the run's lock; month locks are re-taken by the month's next attempt.
 */
export class RunnerSession {
  private current: Session | undefined
  private runLocked = false
  /** Month locks the live session holds. */
  private readonly months = new Set<number>()
  /** Held month locks this run is done with: released with the next lock taken, or when the session ends. */
  private readonly finished = new Set<number>()

  constructor(
    private readonly db: Db,
    private readonly runId: string,
    /** Commit bookkeeping without waiting for the WAL flush (the monthly pipeline, whose data commits flush it). */
    private readonly asyncCommit = false,
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
      if (this.asyncCommit && this.db.capabilities.asyncCommit) {
        // Bookkeeping commits (in_progress marks, checkpoint starts, progress) skip the WAL flush; each month's
        // data write turns it back on for its own commit (see UPSERT_MONTH). WAL is flushed in order, so a durable
        // data commit makes every earlier bookkeeping commit durable too; a server crash can only lose bookkeeping
        // written after the last data commit, which the next run reads as interrupted or pending. This keeps a
        // month at one fsync, like the bare aggregation. release() resets the settings (or closes the connection)
        // after the run. A runner killed mid-statement is noticed within a second instead of when the statement
        // ends (client_connection_check_interval, PostgreSQL 14+; older servers refuse it and go without).
        await session
          .query(
            `SELECT set_config('synchronous_commit', 'off', false), set_config('client_connection_check_interval', '1000', false)`,
          )
          .catch(() => session.query(`SET synchronous_commit = off`))
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
    await this.detach()
      ?.release(true)
      .catch(() => undefined)
  }

  /** Forgets the live session and the locks it held; returns it for the caller to close or give back. */
  private detach(): Session | undefined {
    const session = this.current
    this.current = undefined
    this.months.clear()
    this.finished.clear()
    return session
  }

  /** Takes a month's lock (a no-op if held), releasing the months this run is done with in the same round trip. */
  async lockMonth(id: number): Promise<boolean> {
    const { locked } = await this.withMonthLock(id, async (s, lock, release) => {
      if (lock !== null) return { locked: await s.tryLock(LOCK.month, lock, release) }
      for (const done of release) await s.unlock(LOCK.month, done)
      return { locked: true }
    })
    return locked
  }

  /**
   * Runs a statement that takes month `id`'s lock itself — `lock` is the id, or null when this session holds it
   * already (advisory locks stack) — and releases `release` (the months this run is done with; see CLAIM), and
   * keeps the books. A statement that failed may still have taken the lock: then it is taken once more by the
   * next attempt, and the extra hold ends with the run's session (see release).
   */
  async withMonthLock<R extends { locked: boolean }>(
    id: number,
    statement: (session: Session, lock: number | null, release: number[]) => Promise<R>,
  ): Promise<R> {
    const release = [...this.finished]
    const held = this.months.has(id) && this.current !== undefined
    const result = await this.use((s) => statement(s, held ? null : id, release))
    for (const done of release) {
      this.finished.delete(done)
      this.months.delete(done)
    }
    if (result.locked) {
      this.months.add(id)
      this.finished.delete(id)
    }
    return result
  }

  /**
   * Gives a month back. The lock is released with the next lockMonth (or when the session ends, at the latest
   * when the run finishes), which saves a round trip per month. Meanwhile another runner that tries the month
   * finds it taken, which is what it is: this run has just done it or given up on it for now.
   */
  unlockMonth(id: number): void {
    if (this.months.has(id) && this.current) this.finished.add(id)
  }

  /**
   * Ends the run's session. Its locks and settings are dropped first (one round trip), so the
   * connection goes back to the pool clean and the next run in this process (the console's) starts with warm
   * caches and prepared statements; if that fails, the connection is closed, which drops them too. A cancelled
   * run's connection is closed anyway: a cancel request still in flight must not hit the pool's next user.
   */
  async release(reuse = true): Promise<void> {
    if (!this.current || !reuse) return this.discard()
    const session = this.detach()!
    try {
      await session.exec(
        'SELECT pg_advisory_unlock_all(); RESET synchronous_commit; RESET client_connection_check_interval',
      )
      await session.release()
    } catch {
      await session.release(true).catch(() => undefined)
    }
  }
}
