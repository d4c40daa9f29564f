import type { LogFacets, LogPage, LogQuery, StoredLogRecord } from '../../../src-shared/contract.js'
import { LogLevel } from '../../../src-shared/pipeline.js'
import type { Queryable } from '../../engine/db/types.js'

const COLUMNS = `id, timestamp, level, message, coalesce(logger, '') AS logger, pipeline_name, run_id, module,
  function, line, coalesce(metadata, '{}'::jsonb) AS metadata`

type LogRow = Omit<StoredLogRecord, 'level' | 'metadata'> & { level: string; metadata: unknown }

/** Other writers (the seed's Python scripts) may say WARN or lower case; the console shows one vocabulary. */
function normaliseLevel(level: string): StoredLogRecord['level'] {
  const upper = level.toUpperCase()
  if (upper === 'WARN') return 'WARNING'
  if (upper === 'FATAL') return 'CRITICAL'
  const parsed = LogLevel.safeParse(upper)
  return parsed.success ? parsed.data : 'INFO'
}

function toRecord(row: LogRow): StoredLogRecord {
  const metadata =
    row.metadata && typeof row.metadata === 'object' && !Array.isArray(row.metadata)
      ? (row.metadata as Record<string, unknown>)
      : { value: row.metadata }
  return { ...row, level: normaliseLevel(row.level), metadata }
}

/**
 * One page of ops.pipeline_logs, newest first, keyset-paginated on id. Each filter adds a parameterised
 * condition (no catch-all `$1 IS NULL OR …`), so the (level, id) / (pipeline_name, id) / (run_id, id)
 * indexes serve it.
 */
export async function logPage(db: Queryable, query: LogQuery): Promise<LogPage> {
  const where: string[] = []
  const values: unknown[] = []
  const add = (condition: string, value: unknown) => {
    values.push(value)
    where.push(condition.replace('?', `$${values.length}`))
  }
  if (query.level) add('level = ?', query.level)
  if (query.pipeline) add('pipeline_name = ?', query.pipeline)
  if (query.runId) add('run_id = ?', query.runId)
  if (query.before) add('id < ?', query.before)
  values.push(query.limit)
  const { rows } = await db.query<LogRow>(
    `SELECT ${COLUMNS} FROM ops.pipeline_logs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id DESC LIMIT $${values.length}`,
    values,
  )
  const records = rows.map(toRecord)
  const last = records[records.length - 1]
  return { records, nextBefore: records.length === query.limit && last ? last.id : null }
}

/** Records written after `afterId`, oldest first, for the live feed. */
export async function logsAfter(db: Queryable, afterId: number, limit: number): Promise<StoredLogRecord[]> {
  const { rows } = await db.query<LogRow>({
    name: 'console/logs-after',
    text: `SELECT ${COLUMNS} FROM ops.pipeline_logs WHERE id > $1 ORDER BY id LIMIT $2`,
    values: [afterId, limit],
  })
  return rows.map(toRecord)
}

/** The newest log id, where the live feed starts. */
export async function lastLogId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: number | null }>('SELECT max(id) AS id FROM ops.pipeline_logs')
  return rows[0]?.id ?? 0
}

/** Values for the Logs view's filters: pipeline names and recent runs. */
export async function logFacets(db: Queryable): Promise<LogFacets> {
  // Bounded: the newest records name the pipelines people filter by; a full DISTINCT would scan the table.
  const pipelines = await db.query<{ name: string }>(
    `SELECT DISTINCT name FROM (
       SELECT pipeline_name AS name FROM ops.pipeline_runs
       UNION ALL
       SELECT pipeline_name FROM (SELECT pipeline_name FROM ops.pipeline_logs ORDER BY id DESC LIMIT 5000) recent
     ) names WHERE name IS NOT NULL ORDER BY name`,
  )
  const runs = await db.query<{ runId: string; pipelineName: string; startedAt: string }>(
    `SELECT run_id AS "runId", pipeline_name AS "pipelineName", started_at AS "startedAt"
     FROM ops.pipeline_runs ORDER BY started_at DESC LIMIT 50`,
  )
  return { pipelines: pipelines.rows.map((r) => r.name), runs: runs.rows }
}
