import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import type {
  PipelineKind,
  RunEvent,
  RunEventInput,
  RunRecord,
  RunStatus,
  Trigger,
} from '../../../src-shared/pipeline.js'
import type { Db, Queryable, Session } from '../db/types.js'
import { LOCK, lockId } from './locks.js'
import { runningRuns } from './read/runs.js'

export interface NewRun {
  runId: string
  pipeline: PipelineKind
  pipelineName: string
  trigger: Trigger
  args: Record<string, unknown>
  planned: string[]
  resumedFrom?: string
}

/**
 * Records a run as `running` and holds its advisory lock on the runner's session for the run's lifetime:
 * anyone can then tell a live run from one whose runner died. Idempotent, so a caller may retry it after a lost
 * connection (the insert may have committed before the answer was lost).
 */
export async function startRun(session: Session, run: NewRun): Promise<void> {
  await session.tryLock(LOCK.run, lockId(run.runId))
  await session.query(
    `INSERT INTO ops.pipeline_runs (run_id, pipeline_name, pipeline, trigger, args, host, pid, status, started_at, planned, resumed_from)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', CURRENT_TIMESTAMP, $8, $9)
     ON CONFLICT (run_id) DO NOTHING`,
    [
      run.runId,
      run.pipelineName,
      run.pipeline,
      run.trigger,
      JSON.stringify(run.args),
      hostname(),
      process.pid,
      JSON.stringify(run.planned),
      run.resumedFrom ?? null,
    ],
  )
}

export interface RunProgress {
  planned?: string[]
  done: string[]
  skipped: string[]
  failed: string[]
  retries: number
}

export async function recordProgress(db: Queryable, runId: string, progress: RunProgress): Promise<void> {
  await db.query(
    `UPDATE ops.pipeline_runs SET done = $2, skipped = $3, failed = $4, retries = $5,
            planned = COALESCE($6, planned), updated_at = CURRENT_TIMESTAMP
     WHERE run_id = $1`,
    [
      runId,
      JSON.stringify(progress.done),
      JSON.stringify(progress.skipped),
      JSON.stringify(progress.failed),
      progress.retries,
      progress.planned ? JSON.stringify(progress.planned) : null,
    ],
  )
}

/** Final status; releases the run's lock. */
export async function finishRun(
  session: Session,
  runId: string,
  status: Exclude<RunStatus, 'running'>,
  progress: RunProgress,
  failure?: { error: string; sqlstate: string | null },
): Promise<void> {
  await session.query(
    `UPDATE ops.pipeline_runs
     SET status = $2, ended_at = CURRENT_TIMESTAMP,
         duration_ms = (EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - started_at)) * 1000)::int,
         done = $3, skipped = $4, failed = $5, retries = $6, error = $7, sqlstate = $8,
         planned = COALESCE($9, planned), updated_at = CURRENT_TIMESTAMP
     WHERE run_id = $1`,
    [
      runId,
      status,
      JSON.stringify(progress.done),
      JSON.stringify(progress.skipped),
      JSON.stringify(progress.failed),
      progress.retries,
      failure?.error ?? null,
      failure?.sqlstate ?? null,
      progress.planned ? JSON.stringify(progress.planned) : null,
    ],
  )
  await session.unlock(LOCK.run, lockId(runId))
}

/**
 * How long a run starting on the same host waits for the database session of a runner whose process is gone. A
 * killed runner's idle backend ends at once; one mid-statement ends when the server next checks the client
 * (client_connection_check_interval, 1 s; see run/runner-session.ts). Without the wait, a run started right
 * after a kill -9 saw the dead run as live and skipped its month as running elsewhere.
 */
export const GONE_RUNNER_GRACE_MS = 5000
const GONE_RUNNER_POLL_MS = 100

/** The run was started by a process on this host that no longer exists (a reused pid counts as alive). */
export function runnerGone(run: { host: string | null; pid: number | null }): boolean {
  if (run.host !== hostname() || !run.pid) return false
  try {
    process.kill(run.pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/**
 * Marks `running` runs whose runner is gone as `interrupted`: a run's lock is held by its runner's session,
 * so if we can take it, nobody is running it. With `graceMs`, a run whose lock is held although its process on
 * this host is gone is waited for, up to that long in all, until its session ends. Returns the reaped run ids.
 */
export async function reapInterrupted(db: Db, options: { graceMs?: number } = {}): Promise<string[]> {
  const { rows } = await db.query<{ run_id: string; host: string | null; pid: number | null }>(
    `SELECT run_id, host, pid FROM ops.pipeline_runs WHERE status = 'running'`,
  )
  if (rows.length === 0) return []
  const deadline = performance.now() + (options.graceMs ?? 0)
  const session = await db.session()
  const reaped: string[] = []
  try {
    for (const run of rows) {
      const id = lockId(run.run_id)
      let locked = await session.tryLock(LOCK.run, id)
      const gone = !locked && runnerGone(run)
      while (!locked && gone && performance.now() < deadline) {
        await sleep(GONE_RUNNER_POLL_MS)
        locked = await session.tryLock(LOCK.run, id)
      }
      if (!locked) continue
      try {
        const result = await session.query(
          `UPDATE ops.pipeline_runs
           SET status = 'interrupted', ended_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP,
               error = COALESCE(error, 'the runner stopped without finishing (process killed or connection lost)')
           WHERE run_id = $1 AND status = 'running'`,
          [run.run_id],
        )
        if (result.rowCount > 0) reaped.push(run.run_id)
      } finally {
        await session.unlock(LOCK.run, id)
      }
    }
  } finally {
    await session.release()
  }
  return reaped
}

/** What a run logs about the runs it reaped at its start (they were dead; their work is taken over or resumable). */
export function describeReaped(reaped: readonly string[]): string {
  return `${reaped.length} earlier run(s) had stopped without finishing and are now marked interrupted; their work is taken over`
}

/** Live runs, after reaping the dead ones. */
export async function activeRuns(db: Db): Promise<RunRecord[]> {
  await reapInterrupted(db)
  return runningRuns(db)
}

/** Stamps events with the run id, a per-run sequence number and the time, then hands them on. */
export function runEmitter(
  runId: string,
  onEvent?: (event: RunEvent) => void,
): (event: RunEventInput) => RunEvent {
  let seq = 0
  return (input) => {
    const event = { ...input, runId, seq: ++seq, at: new Date().toISOString() } as RunEvent
    try {
      onEvent?.(event)
    } catch {
      // A listener's failure must never break the run.
    }
    return event
  }
}
