import type { Overview } from '../../../../src-shared/overview.js'
import type { Queryable } from '../../db/types.js'

type Health = Pick<Overview, 'health' | 'failuresByStage' | 'slowStages' | 'logLevels'>

const n = (value: unknown): number => Number(value ?? 0)
const maybe = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value)

/**
 * The log-levels card aggregates the last 24 hours of ops.pipeline_logs: about 2 s at a million records, so it is
 * computed at most every LEVELS_TTL_MS per database, not on every refresh of the Overview during a run.
 */
export const LEVELS_TTL_MS = 30_000
const levelsCache = new WeakMap<object, { at: number; rows: Health['logLevels'] }>()

async function logLevels(db: Queryable): Promise<Health['logLevels']> {
  const cached = levelsCache.get(db)
  if (cached && performance.now() - cached.at < LEVELS_TTL_MS) return cached.rows
  const levels = await db.query({
    name: 'overview/log-levels',
    text: `SELECT level, COUNT(*) AS log_count, COUNT(DISTINCT run_id) AS affected_runs
           FROM ops.pipeline_logs WHERE timestamp > (now() AT TIME ZONE 'UTC') - INTERVAL '24 hours'
           GROUP BY level ORDER BY log_count DESC`,
  })
  const rows = levels.rows.map((r) => ({
    level: String(r.level),
    count: n(r.log_count),
    runs: n(r.affected_runs),
  }))
  levelsCache.set(db, { at: performance.now(), rows })
  return rows
}

/** The seed's four monitoring queries ("Query Examples"), as written there, for the Overview's cards. */
// A stage stopped by a cancel is stored as failed with metadata.cancelled (ops-states' checkpointOutcome):
// the operator's choice, not a failure, so the cards count it apart.
const CANCELLED = `(status = 'failed' AND metadata @> '{"cancelled": true}')`

export async function pipelineHealth(db: Queryable): Promise<Health> {
  const health = await db.query({
    name: 'overview/health',
    text: `SELECT pipeline_name, COUNT(*) AS total_runs,
                  SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS successful_runs,
                  SUM(CASE WHEN status = 'failed' AND NOT ${CANCELLED} THEN 1 ELSE 0 END) AS failed_runs,
                  SUM(CASE WHEN ${CANCELLED} THEN 1 ELSE 0 END) AS cancelled_runs,
                  AVG(duration_ms) AS avg_duration_ms
           FROM ops.pipeline_checkpoint GROUP BY pipeline_name ORDER BY pipeline_name`,
  })
  const failures = await db.query({
    name: 'overview/failures-by-stage',
    text: `SELECT stage, COUNT(*) AS failure_count, MAX(updated_at) AS last_failure
           FROM ops.pipeline_checkpoint WHERE status = 'failed' AND NOT ${CANCELLED}
           GROUP BY stage ORDER BY failure_count DESC, stage LIMIT 10`,
  })
  const slow = await db.query({
    name: 'overview/slow-stages',
    text: `SELECT stage, AVG(duration_ms) AS avg_duration_ms, MAX(duration_ms) AS max_duration_ms, COUNT(*) AS executions
           FROM ops.pipeline_checkpoint WHERE status = 'completed'
           GROUP BY stage ORDER BY avg_duration_ms DESC NULLS LAST, stage LIMIT 10`,
  })
  return {
    health: health.rows.map((r) => ({
      pipelineName: String(r.pipeline_name),
      total: n(r.total_runs),
      completed: n(r.successful_runs),
      failed: n(r.failed_runs),
      cancelled: n(r.cancelled_runs),
      avgDurationMs: maybe(r.avg_duration_ms),
    })),
    failuresByStage: failures.rows.map((r) => ({
      stage: String(r.stage),
      failures: n(r.failure_count),
      lastFailure: (r.last_failure as string | null) ?? null,
    })),
    slowStages: slow.rows.map((r) => ({
      stage: String(r.stage),
      avgMs: n(r.avg_duration_ms),
      maxMs: n(r.max_duration_ms),
      executions: n(r.executions),
    })),
    logLevels: await logLevels(db),
  }
}
