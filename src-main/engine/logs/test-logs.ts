/** Test helpers: log rows written straight to ops.pipeline_logs, with defaults for every column. */
import { beforeEach } from 'vitest'
import { type Scratch, suiteScratch } from '../../test-support/scratch.js'
import type { Queryable } from '../db/types.js'

/** A scratch database for the enclosing `describe` whose ops.pipeline_logs is empty, ids from 1, at each test. */
export function logsScratch(make: () => Promise<Scratch>): Scratch {
  const s = suiteScratch(make)
  beforeEach(async () => {
    await s.db.exec('TRUNCATE ops.pipeline_logs RESTART IDENTITY')
  })
  return s
}

export interface LogRow {
  timestamp?: string
  level?: string
  message?: string
  logger?: string | null
  pipeline_name?: string | null
  run_id?: string | null
  module?: string | null
  function?: string | null
  line?: number | null
  metadata?: Record<string, unknown> | null
}

/** Inserts rows in the given order (so ids ascend with it) and returns their ids. */
export async function insertLogs(db: Queryable, rows: LogRow[]): Promise<number[]> {
  const column = <T>(pick: (r: LogRow, i: number) => T) => rows.map(pick)
  const { rows: ids } = await db.query<{ id: number }>(
    `INSERT INTO ops.pipeline_logs (timestamp, level, message, logger, pipeline_name, run_id, module, function, line, metadata)
     SELECT ts, lvl, msg, lg, pn, rid, md, fn, ln, meta
     FROM unnest($1::timestamp[], $2::varchar[], $3::text[], $4::varchar[], $5::varchar[], $6::varchar[],
                 $7::varchar[], $8::varchar[], $9::int[], $10::jsonb[])
          WITH ORDINALITY AS t(ts, lvl, msg, lg, pn, rid, md, fn, ln, meta, n)
     ORDER BY n
     RETURNING id`,
    [
      column((r, i) => r.timestamp ?? new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString()),
      column((r) => r.level ?? 'INFO'),
      column((r, i) => r.message ?? `record ${i}`),
      column((r) => (r.logger === undefined ? 'assay.test' : r.logger)),
      column((r) => (r.pipeline_name === undefined ? 'idempotent_gold_pipeline' : r.pipeline_name)),
      column((r) => (r.run_id === undefined ? 'run-1' : r.run_id)),
      column((r) => (r.module === undefined ? 'logs/test' : r.module)),
      column((r) => (r.function === undefined ? null : r.function)),
      column((r) => (r.line === undefined ? null : r.line)),
      column((r) => (r.metadata === null ? null : JSON.stringify(r.metadata ?? {}))),
    ],
  )
  return ids.map((r) => Number(r.id))
}
