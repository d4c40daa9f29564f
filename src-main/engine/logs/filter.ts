import { LogLevel } from '../../../src-shared/pipeline.js'
import { UsageError } from '../errors.js'

/** What the Logs view (and its export) can filter ops.pipeline_logs by. Every field is optional. */
export interface LogFilter {
  level?: LogLevel
  pipeline?: string
  runId?: string
  /** Text anywhere in the message or the metadata: case-insensitive, literal (`%` and `_` are plain characters). */
  search?: string
  /** Records at or after this instant (ISO-8601; without a zone it is read as UTC). */
  from?: string
  /** Records before this instant (exclusive). */
  to?: string
}

/** The most characters a search may have: longer texts are not searches, and cost trigram work for nothing. */
export const MAX_SEARCH = 200

/**
 * A search text as an ILIKE pattern that matches it literally anywhere: `\`, `%` and `_` are escaped (the
 * statement says `ESCAPE '\'`), and the text travels as a parameter, never inside the SQL.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function checkInstant(name: string, value: string | undefined): void {
  if (value === undefined) return
  if (Number.isNaN(Date.parse(value))) throw new UsageError(`${name} must be a date-time (got "${value}")`)
}

/** Checks a filter from any caller; bad values are UsageErrors with a specific message. */
export function checkLogFilter(filter: LogFilter): void {
  if (filter.level !== undefined && !LogLevel.safeParse(filter.level).success)
    throw new UsageError(`level must be one of ${LogLevel.options.join(', ')} (got "${filter.level}")`)
  if (filter.search !== undefined && filter.search.length > MAX_SEARCH)
    throw new UsageError(`search must be at most ${MAX_SEARCH} characters`)
  checkInstant('from', filter.from)
  checkInstant('to', filter.to)
}

/** A filter condition on one column; `bind` turns a value into SQL that refers to it without containing it. */
export type Bind = (value: string) => string

/** The columns a table offers to each kind of filter; a table without one cannot be filtered that way. */
export interface FilterColumns {
  level?: string
  pipeline?: string
  runId?: string
  status?: string
  /** The timestamp `from`/`to` apply to. */
  time?: string
  /** Text columns `search` looks through (each must be indexed as written here to be fast). */
  search?: readonly string[]
}

/**
 * The WHERE conditions of a filter, one per given field, so each can use its own index (no catch-all
 * `$1 IS NULL OR …`). Values only ever appear through `bind`. Throws a UsageError for a filter the table lacks.
 */
export function filterConditions(
  filter: LogFilter & { status?: string },
  columns: FilterColumns,
  bind: Bind,
  table = 'this table',
): string[] {
  const where: string[] = []
  const column = (name: keyof FilterColumns): string => {
    const c = columns[name]
    if (typeof c !== 'string') throw new UsageError(`${table} cannot be filtered by ${name}`)
    return c
  }
  if (filter.level !== undefined) where.push(`${column('level')} = ${bind(filter.level)}`)
  if (filter.pipeline !== undefined) where.push(`${column('pipeline')} = ${bind(filter.pipeline)}`)
  if (filter.runId !== undefined) where.push(`${column('runId')} = ${bind(filter.runId)}`)
  if (filter.status !== undefined) where.push(`${column('status')} = ${bind(filter.status)}`)
  if (filter.from !== undefined)
    where.push(`${column('time')} >= (${bind(filter.from)}::timestamptz AT TIME ZONE 'UTC')`)
  if (filter.to !== undefined)
    where.push(`${column('time')} < (${bind(filter.to)}::timestamptz AT TIME ZONE 'UTC')`)
  if (filter.search !== undefined && filter.search !== '') {
    if (!columns.search?.length) throw new UsageError(`${table} cannot be searched`)
    const pattern = bind(containsPattern(filter.search))
    where.push(`(${columns.search.map((c) => `${c} ILIKE ${pattern} ESCAPE '\\'`).join(' OR ')})`)
  }
  return where
}

/** The log table's filter columns. `metadata::text` is written exactly as its trigram index (sql/0005). */
export const LOG_COLUMNS: FilterColumns = {
  level: 'level',
  pipeline: 'pipeline_name',
  runId: 'run_id',
  time: 'timestamp',
  search: ['message', 'metadata::text'],
}
