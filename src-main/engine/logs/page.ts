import type { StoredLogRecord } from '../../../src-shared/contract.js'
import { LogLevel } from '../../../src-shared/pipeline.js'
import type { Queryable } from '../db/types.js'
import { UsageError } from '../errors.js'
import { checkLogFilter, filterConditions, LOG_COLUMNS, type LogFilter } from './filter.js'

/** The most records one page may hold. */
export const LOG_PAGE_LIMIT = 500

export interface LogPageQuery extends LogFilter {
  /** Keyset: records with an id below this one (the previous page's `nextBefore`). */
  before?: number
  limit: number
}

export interface LogPageResult {
  records: StoredLogRecord[]
  /** Pass as `before` for the next (older) page; null when this page is the last. */
  nextBefore: number | null
}

const COLUMNS = `id, timestamp, level, message, coalesce(logger, '') AS logger, pipeline_name, run_id, module,
  function, line, coalesce(metadata, '{}'::jsonb) AS metadata`

type LogRow = Omit<StoredLogRecord, 'level' | 'metadata'> & { level: string; metadata: unknown }

/** Other writers (the seed's Python scripts) may say WARN or lower case; callers see one vocabulary. */
export function normaliseLevel(level: string): StoredLogRecord['level'] {
  const upper = level.toUpperCase()
  if (upper === 'WARN') return 'WARNING'
  if (upper === 'FATAL') return 'CRITICAL'
  const parsed = LogLevel.safeParse(upper)
  return parsed.success ? parsed.data : 'INFO'
}

/** A stored row as the record callers use: a known level, metadata always an object. */
export function toStoredRecord(row: LogRow): StoredLogRecord {
  const metadata =
    row.metadata && typeof row.metadata === 'object' && !Array.isArray(row.metadata)
      ? (row.metadata as Record<string, unknown>)
      : { value: row.metadata }
  return { ...row, level: normaliseLevel(row.level), metadata }
}

/**
 * One page of ops.pipeline_logs, newest first, keyset-paginated on id: a page never repeats or skips a record
 * of the ones that existed when paging started, however many arrive meanwhile (they have higher ids). Each
 * filter adds its own parameterised condition so its index serves it: (level, id), (pipeline_name, id),
 * (run_id, id), timestamp, and for `search` the trigram indexes on message and metadata::text (sql/0005).
 */
export async function logPage(db: Queryable, query: LogPageQuery): Promise<LogPageResult> {
  const { rows } = await db.query<LogRow>(logPageStatement(query))
  const records = rows.map(toStoredRecord)
  const last = records.at(-1)
  return { records, nextBefore: records.length === query.limit && last ? last.id : null }
}

/** The statement behind {@link logPage} (checked input, values as parameters), for EXPLAIN in tests. */
export function logPageStatement(query: LogPageQuery): { text: string; values: unknown[] } {
  checkLogFilter(query)
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > LOG_PAGE_LIMIT)
    throw new UsageError(`limit must be a whole number from 1 to ${LOG_PAGE_LIMIT} (got ${query.limit})`)
  if (query.before !== undefined && (!Number.isSafeInteger(query.before) || query.before < 1))
    throw new UsageError(`before must be a record id (got ${query.before})`)
  const values: unknown[] = []
  const bind = (value: unknown) => {
    values.push(value)
    return `$${values.length}`
  }
  const where = filterConditions(query, LOG_COLUMNS, bind, 'ops.pipeline_logs')
  if (query.before !== undefined) where.push(`id < ${bind(query.before)}::int8`)
  const text = `SELECT ${COLUMNS} FROM ops.pipeline_logs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id DESC LIMIT ${bind(query.limit)}::int`
  return { text, values }
}
