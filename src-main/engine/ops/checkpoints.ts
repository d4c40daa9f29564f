import type { Queryable } from '../db/types.js'

export interface CheckpointRef {
  pipelineName: string
  runId: string
  /** A stage name (`product_performance`) or, for the monthly pipeline, `monthly_aggregate`. */
  stage: string
  /** What the checkpoint is about: a gold table, or a month key. */
  key: string
}

/** Marks a unit `in_progress` (start_time now). Re-entering the same unit in the same run (a retry) restarts it. */
export async function startCheckpoint(
  db: Queryable,
  ref: CheckpointRef,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  await db.query(
    {
      name: 'checkpoint/start',
      text: `INSERT INTO ops.pipeline_checkpoint (pipeline_name, run_id, stage, checkpoint_key, status, start_time, metadata, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'in_progress', CURRENT_TIMESTAMP, $5, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
             ON CONFLICT (run_id, stage, checkpoint_key) DO UPDATE
             SET status = 'in_progress', start_time = CURRENT_TIMESTAMP, end_time = NULL, duration_ms = NULL,
                 metadata = ops.pipeline_checkpoint.metadata || EXCLUDED.metadata, updated_at = CURRENT_TIMESTAMP`,
    },
    [ref.pipelineName, ref.runId, ref.stage, ref.key, JSON.stringify(metadata)],
  )
}

/**
 * Closes a unit as completed or failed with its end time, duration and metadata (rows written, attempts,
 * error, SQLSTATE…). Call it in the same transaction as the unit's data where there is one.
 */
export async function endCheckpoint(
  db: Queryable,
  ref: CheckpointRef,
  status: 'completed' | 'failed',
  value: string | null,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  await db.query(
    {
      name: 'checkpoint/end',
      text: `INSERT INTO ops.pipeline_checkpoint (pipeline_name, run_id, stage, checkpoint_key, checkpoint_value, status, start_time, end_time, duration_ms, metadata, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, $7, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
             ON CONFLICT (run_id, stage, checkpoint_key) DO UPDATE
             SET status = EXCLUDED.status, checkpoint_value = EXCLUDED.checkpoint_value,
                 end_time = clock_timestamp()::timestamp,
                 duration_ms = GREATEST(0, (EXTRACT(EPOCH FROM (clock_timestamp()::timestamp - ops.pipeline_checkpoint.start_time)) * 1000)::int),
                 metadata = COALESCE(ops.pipeline_checkpoint.metadata, '{}'::jsonb) || EXCLUDED.metadata,
                 updated_at = clock_timestamp()::timestamp`,
    },
    [ref.pipelineName, ref.runId, ref.stage, ref.key, value, status, JSON.stringify(metadata)],
  )
}

/** Stages of a run that completed, for `--resume`. */
export async function completedStages(db: Queryable, runId: string): Promise<Set<string>> {
  const { rows } = await db.query<{ stage: string }>(
    `SELECT DISTINCT stage FROM ops.pipeline_checkpoint WHERE run_id = $1 AND status = 'completed'`,
    [runId],
  )
  return new Set(rows.map((row) => row.stage))
}
