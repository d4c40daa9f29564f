import type { LogFacets, StoredLogRecord } from '../../../../src-shared/contract.js'
import { LogLevel } from '../../../../src-shared/pipeline.js'
import type { Queryable } from '../../db/types.js'
import { UsageError } from '../../errors.js'
import { boundedJson, boundedText } from '../page-bounds.js'

/** The columns of a log record as every reader returns it (pages, live feed, a run's problems, the CLI). */
export const LOG_RECORD_COLUMNS = `id, timestamp, level, message, coalesce(logger, '') AS logger, pipeline_name, run_id,
  module, function, line, coalesce(metadata, '{}'::jsonb) AS metadata`

/** The same columns for a page: message and metadata over the item budget cut (engine/ops/page-bounds). */
export const LOG_PAGE_COLUMNS = `id, timestamp, level, ${boundedText('message', 'message')}, coalesce(logger, '') AS logger,
  pipeline_name, run_id, module, function, line, ${boundedJson('metadata', 'metadata', "coalesce(metadata, '{}'::jsonb)")}`

export type LogRow = Omit<StoredLogRecord, 'level' | 'metadata' | 'metadataBytes' | 'messageBytes'> & {
  level: string
  metadata: unknown
  metadataBytes?: number | null
  messageBytes?: number | null
}

/** Other writers (the seed's Python scripts) may say WARN or lower case; callers see one vocabulary. */
export function normaliseLevel(level: string): StoredLogRecord['level'] {
  const upper = level.toUpperCase()
  if (upper === 'WARN') return 'WARNING'
  if (upper === 'FATAL') return 'CRITICAL'
  const parsed = LogLevel.safeParse(upper)
  return parsed.success ? parsed.data : 'INFO'
}

/** A stored row as the record callers use: a known level, metadata always an object. */
export function toStoredRecord({ metadataBytes, messageBytes, ...row }: LogRow): StoredLogRecord {
  const metadata =
    row.metadata && typeof row.metadata === 'object' && !Array.isArray(row.metadata)
      ? (row.metadata as Record<string, unknown>)
      : { value: row.metadata }
  const record: StoredLogRecord = { ...row, level: normaliseLevel(row.level), metadata }
  if (metadataBytes != null) record.metadataBytes = Number(metadataBytes)
  if (messageBytes != null) record.messageBytes = Number(messageBytes)
  return record
}

/** One log record whole, message and metadata uncut (the console's "Show all"). */
export async function logRecord(db: Queryable, id: number): Promise<StoredLogRecord> {
  const { rows } = await db.query<LogRow>(
    `SELECT ${LOG_RECORD_COLUMNS} FROM ops.pipeline_logs WHERE id = $1`,
    [id],
  )
  if (!rows[0]) throw new UsageError(`no log record with id ${id}`)
  return toStoredRecord(rows[0])
}

/**
 * The live feed's read, oldest first: records above `afterId`, plus those of `missing` (ids below it that an
 * earlier read skipped because their transaction had not committed yet). (Pages come from engine/logs/page.)
 */
export async function logsAfter(
  db: Queryable,
  afterId: number,
  missing: readonly number[],
  limit: number,
): Promise<StoredLogRecord[]> {
  // Two index scans merged: written as `id > $1 OR id = ANY($2)`, the generic plan of this named statement
  // walks the whole primary key.
  const { rows } = await db.query<LogRow>({
    name: 'console/logs-after',
    text: `SELECT * FROM (
             (SELECT ${LOG_RECORD_COLUMNS} FROM ops.pipeline_logs WHERE id > $1 ORDER BY id LIMIT $3)
             UNION ALL
             SELECT ${LOG_RECORD_COLUMNS} FROM ops.pipeline_logs WHERE id = ANY($2::bigint[])
           ) live ORDER BY id LIMIT $3`,
    values: [afterId, missing, limit],
  })
  return rows.map(toStoredRecord)
}

/** The newest log id, where the live feed starts. */
export async function lastLogId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: number | null }>('SELECT max(id) AS id FROM ops.pipeline_logs')
  return Number(rows[0]?.id ?? 0)
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

/** A run's warnings and errors, oldest first (`assay runs show`). */
export async function runProblems(db: Queryable, runId: string): Promise<StoredLogRecord[]> {
  const { rows } = await db.query<LogRow>(
    `SELECT ${LOG_RECORD_COLUMNS} FROM ops.pipeline_logs
     WHERE run_id = $1 AND level IN ('WARNING', 'ERROR', 'CRITICAL') ORDER BY id`,
    [runId],
  )
  return rows.map(toStoredRecord)
}
