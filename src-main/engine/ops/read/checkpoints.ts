import type { CheckpointFacets, CheckpointPage, CheckpointQuery } from '../../../../src-shared/history.js'
import type { CheckpointRecord } from '../../../../src-shared/pipeline.js'
import type { Queryable } from '../../db/types.js'
import { UsageError } from '../../errors.js'
import { boundedJson, withinPageBytes } from '../page-bounds.js'
import { UTC, Where } from './where.js'

/** The columns of ops.pipeline_checkpoint as a CheckpointRecord names them. */
export const CHECKPOINT_COLUMNS = `id, pipeline_name AS "pipelineName", run_id AS "runId", stage,
  checkpoint_key AS "checkpointKey", checkpoint_value AS "checkpointValue", status, start_time AS "startTime",
  end_time AS "endTime", duration_ms AS "durationMs", metadata, updated_at AS "updatedAt"`

/** The same columns for a page: metadata over the item budget cut to a preview (engine/ops/page-bounds). */
const CHECKPOINT_PAGE_COLUMNS = CHECKPOINT_COLUMNS.replace(
  /\bmetadata,/,
  `${boundedJson('metadata', 'metadata')},`,
)

type Row = Omit<CheckpointRecord, 'metadata' | 'metadataBytes'> & {
  metadata: unknown
  metadataBytes?: number | null
}

/** A checkpoint row with its metadata always an object or null (other writers may store anything). */
export function toCheckpoint({ metadataBytes, ...row }: Row): CheckpointRecord {
  const metadata =
    row.metadata && typeof row.metadata === 'object' && !Array.isArray(row.metadata)
      ? (row.metadata as Record<string, unknown>)
      : row.metadata == null
        ? null
        : { value: row.metadata }
  const record: CheckpointRecord = { ...row, id: Number(row.id), metadata }
  if (metadataBytes != null) record.metadataBytes = Number(metadataBytes)
  return record
}

/**
 * One page of ops.pipeline_checkpoint, newest first, keyset on id, every filter on the server; bounded in bytes
 * as well as rows (engine/ops/page-bounds), so `nextBefore` is the last id returned whenever the page was cut.
 */
export async function checkpointPage(db: Queryable, query: CheckpointQuery): Promise<CheckpointPage> {
  const where = new Where()
    .maybe('pipeline_name = ?', query.pipeline)
    .maybe('run_id = ?', query.runId)
    .maybe('stage = ?', query.stage)
    .maybe('status = ?', query.status)
    .maybe(UTC('start_time', '>='), query.from)
    .maybe(UTC('start_time', '<'), query.to)
    .maybe('id < ?', query.before)
  const limit = where.param(query.limit)
  const { rows } = await db.query<Row>(
    `SELECT ${CHECKPOINT_PAGE_COLUMNS} FROM ops.pipeline_checkpoint ${where.sql} ORDER BY id DESC LIMIT ${limit}`,
    where.values,
  )
  const { rows: fitting, cut } = withinPageBytes(rows.map(toCheckpoint))
  const last = fitting.at(-1)
  return { records: fitting, nextBefore: (cut || rows.length === query.limit) && last ? last.id : null }
}

/** One checkpoint whole, metadata uncut (the console's "Show all"). */
export async function checkpointRecord(db: Queryable, id: number): Promise<CheckpointRecord> {
  const { rows } = await db.query<Row>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM ops.pipeline_checkpoint WHERE id = $1`,
    [id],
  )
  if (!rows[0]) throw new UsageError(`no checkpoint with id ${id}`)
  return toCheckpoint(rows[0])
}

/** A run's checkpoints in the order its units started (run detail, `assay runs show`). */
export async function runCheckpoints(db: Queryable, runId: string): Promise<CheckpointRecord[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM ops.pipeline_checkpoint WHERE run_id = $1 ORDER BY start_time NULLS LAST, id`,
    [runId],
  )
  return rows.map(toCheckpoint)
}

/** The values the Checkpoints view's filters offer. */
export async function checkpointFacets(db: Queryable): Promise<CheckpointFacets> {
  const distinct = async (column: string) => {
    const { rows } = await db.query<{ v: string }>(
      `SELECT DISTINCT ${column} AS v FROM ops.pipeline_checkpoint WHERE ${column} IS NOT NULL ORDER BY 1 LIMIT 200`,
    )
    return rows.map((r) => r.v)
  }
  return {
    pipelines: await distinct('pipeline_name'),
    stages: await distinct('stage'),
    statuses: await distinct('status'),
  }
}
