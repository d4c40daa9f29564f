import type { RunsOverview } from '../../../../src-shared/contract.js'
import { RunRecord } from '../../../../src-shared/pipeline.js'
import type { Queryable } from '../../db/types.js'

/** The columns of ops.pipeline_runs as a RunRecord names them: the one list every reader of runs uses. */
export const RUN_COLUMNS = `run_id AS "runId", pipeline_name AS "pipelineName", pipeline, trigger, args, host, pid, status,
  started_at AS "startedAt", ended_at AS "endedAt", duration_ms AS "durationMs", planned, done, skipped, failed,
  retries, error, sqlstate, resumed_from AS "resumedFrom"`

/** Unit lists are month keys or stage names; a writer that stored objects ({ unit, … }) is read the same way. */
function units(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return value.map((item) =>
    typeof item === 'string'
      ? item
      : String((item as { unit?: unknown } | null)?.unit ?? JSON.stringify(item)),
  )
}

/** A row of ops.pipeline_runs (camel-cased by RUN_COLUMNS) as a RunRecord. */
export function toRunRecord(row: Record<string, unknown>): RunRecord {
  return RunRecord.parse({
    ...row,
    args: row.args && typeof row.args === 'object' ? row.args : {},
    planned: units(row.planned),
    done: units(row.done),
    skipped: units(row.skipped),
    failed: units(row.failed),
  })
}

/**
 * Running and recent runs straight from ops.pipeline_runs. The live feed reads this on every change
 * instead of `engine.activeRuns`, which may write (marking dead runs interrupted) and so would notify again.
 */
export async function runsOverview(db: Queryable, recentLimit = 20): Promise<RunsOverview> {
  const { rows } = await db.query({
    name: 'console/runs-overview',
    text: `(SELECT ${RUN_COLUMNS} FROM ops.pipeline_runs WHERE status = 'running' ORDER BY started_at)
           UNION ALL
           (SELECT ${RUN_COLUMNS} FROM ops.pipeline_runs WHERE status <> 'running' ORDER BY started_at DESC LIMIT $1)`,
    values: [recentLimit],
  })
  const records = rows.map(toRunRecord)
  return {
    active: records.filter((r) => r.status === 'running'),
    recent: records.filter((r) => r.status !== 'running'),
  }
}

/** One run, or undefined when ops.pipeline_runs has no such id. */
export async function getRun(db: Queryable, runId: string): Promise<RunRecord | undefined> {
  const { rows } = await db.query(`SELECT ${RUN_COLUMNS} FROM ops.pipeline_runs WHERE run_id = $1`, [runId])
  return rows[0] ? toRunRecord(rows[0]) : undefined
}

/** The newest `limit` runs of both pipelines (`assay runs`). */
export async function recentRuns(db: Queryable, limit: number): Promise<RunRecord[]> {
  const { rows } = await db.query(
    `SELECT ${RUN_COLUMNS} FROM ops.pipeline_runs ORDER BY started_at DESC, run_id LIMIT $1`,
    [limit],
  )
  return rows.map(toRunRecord)
}

/** Runs recorded as `running`, oldest first, as stored (no reaping: see engine/ops/runs `activeRuns`). */
export async function runningRuns(db: Queryable): Promise<RunRecord[]> {
  const { rows } = await db.query(
    `SELECT ${RUN_COLUMNS} FROM ops.pipeline_runs WHERE status = 'running' ORDER BY started_at`,
  )
  return rows.map(toRunRecord)
}
