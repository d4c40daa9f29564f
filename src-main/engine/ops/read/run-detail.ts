import type { RunDetail } from '../../../../src-shared/history.js'
import { RUN_STATES } from '../../../../src-shared/ops-states.js'
import type { Queryable } from '../../db/types.js'
import { AssayError } from '../../errors.js'
import { runCheckpoints } from './checkpoints.js'
import { runUnits, type UnitLog } from './run-units.js'
import { getRun } from './runs.js'

/**
 * One run with its units: the checkpoints (the seed's "Trace Pipeline Execution", per unit) joined with the
 * run's retry warnings and skip notes from ops.pipeline_logs. Every statement is scoped by run_id (indexed).
 */
export async function runDetail(db: Queryable, runId: string): Promise<RunDetail> {
  const run = await getRun(db, runId)
  if (!run) throw new AssayError('not_found', `no run ${runId} in ops.pipeline_runs`)
  const checkpoints = await runCheckpoints(db, runId)
  const logs = await db.query<UnitLog>(
    `SELECT timestamp, message, metadata FROM ops.pipeline_logs
     WHERE run_id = $1 AND metadata IS NOT NULL
       AND (metadata ? 'delay_ms' OR metadata ? 'completed_in' OR metadata ? 'reason')
     ORDER BY id LIMIT 2000`,
    [runId],
  )
  const resumedBy = await db.query<{ runId: string }>(
    `SELECT run_id AS "runId" FROM ops.pipeline_runs WHERE resumed_from = $1 ORDER BY started_at`,
    [runId],
  )
  return {
    run,
    units: runUnits(run, checkpoints, logs.rows),
    resumable: run.pipeline === 'reliable' && RUN_STATES[run.status].resumable,
    resumedBy: resumedBy.rows.map((r) => r.runId),
  }
}
