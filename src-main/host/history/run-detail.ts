import type { RunDetail } from '../../../src-shared/history.js'
import type { Queryable } from '../../engine/db/types.js'
import { AssayError } from '../../engine/errors.js'
import { RUN_COLUMNS, toRunRecord } from '../queries/runs.js'
import { CHECKPOINT_COLUMNS, toCheckpoint } from './checkpoints.js'
import { runUnits, type UnitLog } from './run-units.js'

const RESUMABLE = ['failed', 'interrupted', 'cancelled']

/**
 * One run with its units: the checkpoints (the seed's "Trace Pipeline Execution", per unit) joined with the
 * run's retry warnings and skip notes from ops.pipeline_logs. Every statement is scoped by run_id (indexed).
 */
export async function runDetail(db: Queryable, runId: string): Promise<RunDetail> {
  const { rows } = await db.query(`SELECT ${RUN_COLUMNS} FROM ops.pipeline_runs WHERE run_id = $1`, [runId])
  if (!rows[0]) throw new AssayError('not_found', `no run ${runId} in ops.pipeline_runs`)
  const run = toRunRecord(rows[0])
  const checkpoints = await db.query<Parameters<typeof toCheckpoint>[0]>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM ops.pipeline_checkpoint WHERE run_id = $1
     ORDER BY start_time NULLS LAST, id`,
    [runId],
  )
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
    units: runUnits(run, checkpoints.rows.map(toCheckpoint), logs.rows),
    resumable: run.pipeline === 'reliable' && RESUMABLE.includes(run.status),
    resumedBy: resumedBy.rows.map((r) => r.runId),
  }
}
