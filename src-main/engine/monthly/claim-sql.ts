/** The statements that claim a month, record its failure, or give the claim back. */
import { LOCK } from '../ops/locks.js'

/**
 * Claims a month in one statement: takes its advisory lock ($11; NULL = the caller holds it already, e.g.
 * PGlite's in-process lock or a retry's), releases the months this run is done with ($12), reads its row (another runner may have just
 * done it) and, when the lock was got and the work is still wanted, marks it in_progress for this run and starts
 * its checkpoint (the row ops/checkpoints.ts startCheckpoint writes). Returns the row as it was, whether the lock
 * was got and whether the month was marked.
 * Wanted = silver has rows, and it is not completed and up to date by another run — at any time (not forced), or
 * after this run started (forced: a concurrent forced run took it). A retry of this run's own claim keeps its
 * started_at.
 * The statement's snapshot is older than the lock it takes: a runner that finished the month and let go of it in
 * between is invisible to `cur`. So the mark re-checks "completed and up to date" on the row's latest version
 * (ON CONFLICT … WHERE sees it), and the caller reads "not marked, for no reason `cur` shows" as taken.
 * $1 key, $2 yyyymm, $3 run id, $4 year, $5 month, $6 force, $7 host, $8 pipeline name, $9 stage, $10 metadata,
 * $11 month lock id or NULL, $12 month lock ids to release.
 */
export const CLAIM = {
  name: 'monthly/claim',
  text: `
WITH lk AS MATERIALIZED (
  SELECT CASE WHEN $11::int IS NULL THEN true ELSE pg_try_advisory_lock(${LOCK.month}, $11::int) END AS locked
),
released AS MATERIALIZED (
  SELECT count(*)::int AS n FROM unnest($12::int[]) AS r(id) WHERE pg_advisory_unlock(${LOCK.month}, r.id)
),
cur AS (
  SELECT p.month_key IS NOT NULL AS exists, p.status, p.run_id, p.started_at, p.host, p.updated_at, p.processed_at,
         p.silver_version, p.silver_rows,
         COALESCE(s.version, 0) AS version, COALESCE(s.row_count, 0) AS row_count,
         COALESCE(p.processed_at >= r.started_at, false) AS processed_since_run_start
  FROM (SELECT 1) one
  LEFT JOIN ops.processed_months p ON p.month_key = $1
  LEFT JOIN ops.silver_months s ON s.yyyymm = $2::int
  LEFT JOIN ops.pipeline_runs r ON r.run_id = $3
),
wanted AS (
  SELECT 1 FROM cur, lk
  WHERE lk.locked AND cur.row_count > 0
    AND NOT (cur.status = 'completed' AND cur.run_id IS DISTINCT FROM $3
      AND cur.silver_version IS NOT DISTINCT FROM cur.version AND cur.silver_rows IS NOT DISTINCT FROM cur.row_count
      AND (NOT $6::bool OR cur.processed_since_run_start))
),
mark AS (
  INSERT INTO ops.processed_months AS p (month_key, year, month, status, run_id, started_at, host, updated_at)
  SELECT $1, $4::int, $5::int, 'in_progress', $3, CURRENT_TIMESTAMP, $7, CURRENT_TIMESTAMP FROM wanted
  ON CONFLICT (month_key) DO UPDATE
  SET status = 'in_progress', run_id = EXCLUDED.run_id, host = EXCLUDED.host, updated_at = EXCLUDED.updated_at,
      started_at = CASE WHEN p.status = 'in_progress' AND p.run_id = EXCLUDED.run_id THEN p.started_at
                        ELSE EXCLUDED.started_at END
  WHERE NOT (p.status = 'completed' AND p.run_id IS DISTINCT FROM $3
    AND p.silver_version IS NOT DISTINCT FROM (SELECT version FROM cur)
    AND p.silver_rows IS NOT DISTINCT FROM (SELECT row_count FROM cur)
    AND (NOT $6::bool OR COALESCE(p.processed_at >= (SELECT r.started_at FROM ops.pipeline_runs r WHERE r.run_id = $3), false)))
  RETURNING 1
),
checkpoint AS (
  INSERT INTO ops.pipeline_checkpoint AS c (pipeline_name, run_id, stage, checkpoint_key, status, start_time, metadata,
      created_at, updated_at)
  SELECT $8, $3, $9, $1, 'in_progress', CURRENT_TIMESTAMP, $10::jsonb, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM mark
  ON CONFLICT (run_id, stage, checkpoint_key) DO UPDATE
  SET status = 'in_progress', start_time = CURRENT_TIMESTAMP, end_time = NULL, duration_ms = NULL,
      metadata = COALESCE(c.metadata, '{}'::jsonb) || EXCLUDED.metadata, updated_at = CURRENT_TIMESTAMP
  RETURNING 1
)
SELECT cur.*, lk.locked, (SELECT count(*) FROM mark)::int AS marked,
       (SELECT count(*) FROM checkpoint)::int AS checkpointed, (SELECT n FROM released) AS released
FROM cur, lk`,
}

export interface ClaimRow {
  exists: boolean
  status: string | null
  run_id: string | null
  started_at: string | null
  host: string | null
  updated_at: string | null
  processed_at: string | null
  silver_version: number | null
  silver_rows: number | null
  version: number
  row_count: number
  processed_since_run_start: boolean
  /** This session holds the month's lock. */
  locked: boolean
  /** 1 when the month is now in_progress for this run. */
  marked: number
}

/**
 * Records a month's final failure, with the month's lock held: on the row this run marked in_progress, or as a
 * new/updated row when the failure came before the claim (the server was already away).
 * $1 key, $2 year, $3 month, $4 run, $5 host, $6 error, $7 sqlstate, $8 attempts.
 */
export const MARK_FAILED = {
  name: 'monthly/mark-failed',
  text: `
INSERT INTO ops.processed_months AS p (month_key, year, month, status, run_id, host, error, sqlstate, attempts, updated_at)
VALUES ($1, $2::int, $3::int, 'failed', $4, $5, $6, $7, $8::int, CURRENT_TIMESTAMP)
ON CONFLICT (month_key) DO UPDATE
SET status = 'failed', error = EXCLUDED.error, sqlstate = EXCLUDED.sqlstate, attempts = EXCLUDED.attempts,
    host = EXCLUDED.host, updated_at = EXCLUDED.updated_at, run_id = EXCLUDED.run_id,
    duration_ms = CASE WHEN p.run_id = EXCLUDED.run_id AND p.status = 'in_progress'
                       THEN GREATEST(0, EXTRACT(EPOCH FROM (clock_timestamp()::timestamp - p.started_at)) * 1000)::int
                       ELSE p.duration_ms END`,
}

/** Puts back the fields MARK_IN_PROGRESS changed (cancellation, or no data after all). */
export const RESTORE_CLAIM = {
  name: 'monthly/restore-claim',
  text: `
UPDATE ops.processed_months
SET status = $3, run_id = $4, started_at = $5::timestamp, host = $6, updated_at = $7::timestamp
WHERE month_key = $1 AND run_id = $2 AND status = 'in_progress'`,
}

/** A month that had no processing row before this run claimed it goes back to having none. */
export const DELETE_CLAIM = {
  name: 'monthly/delete-claim',
  text: `DELETE FROM ops.processed_months WHERE month_key = $1 AND run_id = $2 AND status = 'in_progress'`,
}
