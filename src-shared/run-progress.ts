/**
 * Folds RunEvents into the progress the Run view shows. Pure and immutable, so the host (snapshots) and the
 * renderer (live updates) use the same code and agree on what an event means.
 */
import type { JobSnapshot, RunProgress, UnitProgress, UnitState } from './contract.js'
import type { RunEvent, RunRecord } from './pipeline.js'

/** A planned unit that has not started. */
export function pendingUnit(unit: string): UnitProgress {
  return {
    unit,
    state: 'pending',
    attempt: 0,
    maxAttempts: null,
    startedAt: null,
    durationMs: null,
    rows: null,
    nextAttemptAt: null,
    error: null,
    reason: null,
  }
}

function updateUnit(run: RunProgress, unit: string, patch: Partial<UnitProgress>): UnitProgress[] {
  const index = run.units.findIndex((u) => u.unit === unit)
  if (index === -1) return [...run.units, { ...pendingUnit(unit), ...patch }]
  return run.units.map((u, i) => (i === index ? { ...u, ...patch } : u))
}

/** A run as its `run.started` event describes it. */
export function startRun(event: Extract<RunEvent, { type: 'run.started' }>): RunProgress {
  return {
    runId: event.runId,
    pipeline: event.pipeline,
    status: 'running',
    seq: event.seq,
    dryRun: event.dryRun,
    startedAt: event.at,
    durationMs: null,
    error: null,
    units: event.planned.map(pendingUnit),
  }
}

/** Applies one event of this run; events at or below the run's seq are already reflected and ignored. */
export function applyRunEvent(run: RunProgress, event: RunEvent): RunProgress {
  if (event.runId !== run.runId || event.seq <= run.seq) return run
  const next = { ...run, seq: event.seq }
  switch (event.type) {
    case 'run.started':
      return next
    case 'unit.started':
      return {
        ...next,
        units: updateUnit(run, event.unit, {
          state: 'running',
          attempt: event.attempt,
          startedAt: event.at,
          nextAttemptAt: null,
          error: null,
        }),
      }
    case 'unit.retrying':
      return {
        ...next,
        units: updateUnit(run, event.unit, {
          state: 'retrying',
          attempt: event.attempt,
          maxAttempts: event.maxAttempts,
          nextAttemptAt: event.nextAttemptAt,
          error: event.error,
        }),
      }
    case 'unit.completed':
      return {
        ...next,
        units: updateUnit(run, event.unit, {
          state: 'completed',
          attempt: event.attempts,
          durationMs: event.durationMs,
          rows: event.rows,
          nextAttemptAt: null,
          error: null,
        }),
      }
    case 'unit.skipped':
      return { ...next, units: updateUnit(run, event.unit, { state: 'skipped', reason: event.reason }) }
    case 'unit.failed':
      return {
        ...next,
        units: updateUnit(run, event.unit, {
          state: 'failed',
          attempt: event.attempts,
          nextAttemptAt: null,
          error: event.error,
        }),
      }
    case 'run.finished': {
      // A unit still in flight when the run ends was stopped by it.
      const stopped: UnitState =
        event.status === 'cancelled' || event.status === 'interrupted' ? event.status : 'failed'
      return {
        ...next,
        status: event.status,
        durationMs: event.durationMs,
        error: event.error,
        units: run.units.map((u) =>
          u.state === 'running' || u.state === 'retrying' ? { ...u, state: stopped, nextAttemptAt: null } : u,
        ),
      }
    }
  }
}

/**
 * Applies a batch of events to a job. `missed` is true when an event belongs to a run the job does not
 * know and cannot start (its `run.started` was lost): the caller should fetch a fresh snapshot.
 */
export function applyJobEvents(
  job: JobSnapshot,
  events: readonly RunEvent[],
): { job: JobSnapshot; missed: boolean } {
  let runs = job.runs
  let missed = false
  for (const event of events) {
    const index = runs.findIndex((r) => r.runId === event.runId)
    if (index === -1) {
      if (event.type === 'run.started') runs = [...runs, startRun(event)]
      else missed = true
      continue
    }
    const current = runs[index]!
    const updated = applyRunEvent(current, event)
    if (updated !== current) runs = runs.map((r, i) => (i === index ? updated : r))
  }
  return { job: runs === job.runs ? job : { ...job, runs }, missed }
}

/** Progress of a run known only from its ops.pipeline_runs row (e.g. one started from the CLI). */
export function progressFromRecord(record: RunRecord): RunProgress {
  const state = (unit: string): UnitState => {
    if (record.done.includes(unit)) return 'completed'
    if (record.failed.includes(unit)) return 'failed'
    if (record.skipped.includes(unit)) return 'skipped'
    return 'pending'
  }
  return {
    runId: record.runId,
    pipeline: record.pipeline,
    status: record.status,
    seq: 0,
    dryRun: false,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    error: record.error,
    units: record.planned.map((unit) => ({ ...pendingUnit(unit), state: state(unit) })),
  }
}

/** Counts of units by state, for a run's summary line. */
export function unitCounts(run: RunProgress): Record<UnitState, number> {
  const counts: Record<UnitState, number> = {
    pending: 0,
    running: 0,
    retrying: 0,
    completed: 0,
    skipped: 0,
    failed: 0,
    cancelled: 0,
    interrupted: 0,
  }
  for (const unit of run.units) counts[unit.state]++
  return counts
}

/**
 * Takes a pushed or fetched snapshot of a job over what the renderer holds: lifecycle fields come from the
 * snapshot, and each run keeps whichever copy has applied more events (the higher seq).
 */
export function mergeJob(local: JobSnapshot | null, incoming: JobSnapshot): JobSnapshot {
  if (!local || local.jobId !== incoming.jobId) return incoming
  const runs = incoming.runs.map((run) => {
    const mine = local.runs.find((r) => r.runId === run.runId)
    return mine && mine.seq > run.seq ? mine : run
  })
  const extra = local.runs.filter((r) => !incoming.runs.some((i) => i.runId === r.runId))
  return { ...incoming, runs: [...runs, ...extra] }
}
