/** Test fixtures of the Run view's progress (contract shapes), for the shared, store and view tests alike. */
import type { JobSnapshot, RunProgress, UnitProgress } from './contract.js'
import { pendingUnit } from './run-progress.js'

export const AT = '2024-05-01T10:00:00.000Z'

/** A unit that has not started, with what the test sets. */
export function unitProgress(unit: string, patch: Partial<UnitProgress> = {}): UnitProgress {
  return { ...pendingUnit(unit), ...patch }
}

/** A monthly run in flight, with what the test sets. */
export function runProgress(patch: Partial<RunProgress> = {}): RunProgress {
  return {
    runId: 'r1',
    pipeline: 'monthly',
    status: 'running',
    seq: 1,
    dryRun: false,
    startedAt: AT,
    durationMs: null,
    error: null,
    units: [],
    ...patch,
  }
}

/** A running console job of the pending months, with no run yet unless the test gives some. */
export function jobSnapshot(patch: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    jobId: 'j1',
    options: { pipeline: 'monthly', scope: { kind: 'pending' }, force: false },
    status: 'running',
    cancelRequested: false,
    startedAt: AT,
    endedAt: null,
    error: null,
    runs: [],
    ...patch,
  }
}
