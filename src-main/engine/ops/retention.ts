import type { RetentionPreview, RetentionResult } from '../../../src-shared/settings.js'
import type { Db } from '../db/types.js'

/** Rows deleted per statement: short transactions, so the live feed and running consoles are never blocked long. */
export const RETENTION_BATCH = 5000

/** Both tables store UTC TIMESTAMPs; `$1` is the cutoff. */
const LOGS_OLD = 'timestamp < $1::timestamp'
const CHECKPOINTS_OLD = 'COALESCE(updated_at, start_time, created_at) < $1::timestamp'

async function cutoffOf(db: Db, days: number): Promise<string> {
  const { rows } = await db.query<{ cutoff: string }>(
    `SELECT to_char((now() AT TIME ZONE 'UTC') - make_interval(days => $1::int), 'YYYY-MM-DD"T"HH24:MI:SS.US') AS cutoff`,
    [days],
  )
  return rows[0]!.cutoff
}

/** How many log records and checkpoints are older than `days` days (what apply would delete). */
export async function previewRetention(db: Db, days: number): Promise<RetentionPreview> {
  const cutoff = await cutoffOf(db, days)
  const { rows } = await db.query<{ logs: number; checkpoints: number }>(
    `SELECT (SELECT count(*) FROM ops.pipeline_logs WHERE ${LOGS_OLD})::int8 AS logs,
            (SELECT count(*) FROM ops.pipeline_checkpoint WHERE ${CHECKPOINTS_OLD})::int8 AS checkpoints`,
    [cutoff],
  )
  return {
    days,
    cutoff: `${cutoff}Z`,
    logs: Number(rows[0]?.logs),
    checkpoints: Number(rows[0]?.checkpoints),
  }
}

async function deleteInBatches(db: Db, table: string, condition: string, cutoff: string): Promise<number> {
  let total = 0
  for (;;) {
    const { rowCount } = await db.query(
      `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${condition} ORDER BY id LIMIT $2)`,
      [cutoff, RETENTION_BATCH],
    )
    total += rowCount
    if (rowCount < RETENTION_BATCH) return total
  }
}

/**
 * Deletes log records and checkpoints older than `days` days, a batch per statement, against one cutoff fixed
 * at the start. Table names are constants. The caller refuses while a run is active.
 */
export async function applyRetention(db: Db, days: number): Promise<RetentionResult> {
  const cutoff = await cutoffOf(db, days)
  const logs = await deleteInBatches(db, 'ops.pipeline_logs', LOGS_OLD, cutoff)
  const checkpoints = await deleteInBatches(db, 'ops.pipeline_checkpoint', CHECKPOINTS_OLD, cutoff)
  return { logs, checkpoints }
}
