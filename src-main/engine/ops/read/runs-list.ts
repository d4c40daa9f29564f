import type { RunListPage, RunListQuery } from '../../../../src-shared/history.js'
import type { Queryable } from '../../db/types.js'
import { RUN_COLUMNS, toRunRecord } from './runs.js'
import { UTC, Where } from './where.js'

/**
 * Runs from ops.pipeline_runs, newest first, filtered on the server and keyset-paginated on
 * (started_at, run_id) — the exact stored timestamp travels in the cursor, so no run is repeated or skipped.
 */
export async function runsList(db: Queryable, query: RunListQuery): Promise<RunListPage> {
  const where = new Where()
    .maybe('pipeline_name = ?', query.pipeline)
    .maybe('status = ?', query.status)
    .maybe('trigger = ?', query.trigger)
    .maybe(UTC('started_at', '>='), query.from)
    .maybe(UTC('started_at', '<'), query.to)
  if (query.before)
    where.add('(started_at, run_id) < (?::timestamp, ?)', query.before.startedAt, query.before.runId)
  const limit = where.param(query.limit)
  const { rows } = await db.query<Record<string, unknown> & { cursorAt: string }>(
    `SELECT ${RUN_COLUMNS}, to_char(started_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "cursorAt"
     FROM ops.pipeline_runs ${where.sql} ORDER BY started_at DESC, run_id DESC LIMIT ${limit}`,
    where.values,
  )
  const last = rows.at(-1)
  return {
    runs: rows.map(({ cursorAt: _, ...row }) => toRunRecord(row)),
    next:
      rows.length === query.limit && last ? { startedAt: last.cursorAt, runId: String(last.runId) } : null,
  }
}
