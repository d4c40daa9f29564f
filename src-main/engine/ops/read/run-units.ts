import { type Attempt, blankUnit, type RunUnit, type UnitStatus } from '../../../../src-shared/history.js'
import type { CheckpointRecord, RunRecord } from '../../../../src-shared/pipeline.js'

/** A retry warning or skip note a run logged (metadata as the pipelines write it). */
export interface UnitLog {
  timestamp: string
  message: string
  metadata: Record<string, unknown>
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null)
const num = (value: unknown): number | null => {
  const n = typeof value === 'string' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : null
}

/** The unit a checkpoint is about: a month key (monthly) or a stage name (reliable). */
export function unitOf(run: RunRecord, checkpoint: CheckpointRecord): string {
  return run.pipeline === 'monthly' ? (checkpoint.checkpointKey ?? checkpoint.stage) : checkpoint.stage
}

/** The unit a log record is about, from its metadata (`month` or `stage`). */
function logUnit(log: UnitLog): string | null {
  return str(log.metadata.month) ?? str(log.metadata.stage)
}

/** "skipped: completed in run 1a2b3c4d" (reliable, resumed) or the monthly reason ("up_to_date"). */
function skipNote(log: UnitLog | undefined): string {
  const completedIn = str(log?.metadata.completed_in)
  if (completedIn) return `skipped: completed in run ${completedIn.slice(0, 8)}`
  const reason = str(log?.metadata.reason)
  return reason ? `skipped: ${reason.replace(/_/g, ' ')}` : 'skipped'
}

function statusOf(checkpoint: CheckpointRecord): UnitStatus {
  const s = checkpoint.status
  return s === 'completed' || s === 'failed' || s === 'in_progress' || s === 'pending' ? s : 'pending'
}

/** Every attempt: the retried failures from the run's warnings, then the attempt the checkpoint ended with. */
function attemptsOf(checkpoint: CheckpointRecord | undefined, retries: UnitLog[]): Attempt[] {
  const attempts: Attempt[] = retries.map((log, i) => ({
    attempt: num(log.metadata.attempt) ?? i + 1,
    at: log.timestamp,
    outcome: 'failed',
    error: str(log.metadata.error),
    code: str(log.metadata.error_code),
    delayMs: num(log.metadata.delay_ms),
  }))
  if (!checkpoint) return attempts
  const md = checkpoint.metadata ?? {}
  const last = num(md.attempts) ?? attempts.length + 1
  const status = statusOf(checkpoint)
  if (status === 'completed') {
    attempts.push({
      attempt: last,
      at: checkpoint.endTime,
      outcome: 'completed',
      error: null,
      code: null,
      delayMs: null,
    })
  } else if (status === 'failed') {
    const code = str(md.sqlstate) ?? str(md.error_code)
    attempts.push({
      attempt: last,
      at: checkpoint.endTime,
      outcome: 'failed',
      error: str(md.error),
      code,
      delayMs: null,
    })
  } else {
    attempts.push({
      attempt: attempts.length + 1,
      at: checkpoint.startTime,
      outcome: 'running',
      error: null,
      code: null,
      delayMs: null,
    })
  }
  return attempts
}

function unitFrom(
  run: RunRecord,
  unit: string,
  checkpoint: CheckpointRecord | undefined,
  logs: UnitLog[],
): RunUnit {
  const mine = logs.filter((l) => logUnit(l) === unit)
  const retries = mine.filter((l) => num(l.metadata.delay_ms) !== null)
  if (!checkpoint) {
    const skip = mine.find((l) => l.metadata.completed_in !== undefined || l.metadata.reason !== undefined)
    const skipped = run.skipped.includes(unit)
    return blankUnit(unit, {
      status: skipped ? 'skipped' : run.status === 'running' ? 'pending' : 'not_run',
      attempts: attemptsOf(undefined, retries),
      note: skipped ? skipNote(skip) : run.status === 'running' ? null : 'not run: the run stopped before it',
    })
  }
  const md = checkpoint.metadata ?? {}
  const status = statusOf(checkpoint)
  const failed = status === 'failed'
  return {
    unit,
    stage: checkpoint.stage,
    status,
    startTime: checkpoint.startTime,
    endTime: checkpoint.endTime,
    durationMs: checkpoint.durationMs,
    rows: num(md.rows_written) ?? num(md.rows),
    error: failed ? (str(md.error) ?? 'failed') : null,
    sqlstate: failed ? (str(md.sqlstate) ?? null) : null,
    transient: failed && typeof md.transient === 'boolean' ? md.transient : null,
    errorKind: failed ? str(md.error_kind) : null,
    attempts: attemptsOf(checkpoint, retries),
    note: md.cancelled === true ? 'cancelled' : null,
  }
}

/**
 * The run's units in plan order (then any other checkpointed unit), each from its checkpoint (times, status,
 * error, SQLSTATE, transient or permanent) and its logs (every retried attempt with its delay, skip reasons).
 */
export function runUnits(run: RunRecord, checkpoints: CheckpointRecord[], logs: UnitLog[]): RunUnit[] {
  const byUnit = new Map(checkpoints.map((c) => [unitOf(run, c), c]))
  const order = [...run.planned, ...run.skipped, ...byUnit.keys()].filter((u, i, all) => all.indexOf(u) === i)
  return order.map((unit) => unitFrom(run, unit, byUnit.get(unit), logs))
}
