import type { StoredLogRecord } from '../../../src-shared/contract.js'
import type { Queryable } from '../db/types.js'
import { UsageError } from '../errors.js'
import { withinPageBytes } from '../ops/page-bounds.js'
import { LOG_PAGE_COLUMNS, type LogRow, toStoredRecord } from '../ops/read/logs.js'
import { checkLogFilter, filterConditions, LOG_COLUMNS, type LogFilter, positional } from './filter.js'

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

/**
 * One page of ops.pipeline_logs, newest first, keyset-paginated on id: a page never repeats or skips a record
 * of the ones that existed when paging started, however many arrive meanwhile (they have higher ids). Each
 * filter adds its own parameterised condition so its index serves it: (level, id), (pipeline_name, id),
 * (run_id, id), timestamp, and for `search` the trigram index on message (sql/0005) and the word index on
 * metadata (sql/0006) — once a walk over the newest records has found the text rare (see SEARCH_WALK).
 */
export async function logPage(db: Queryable, query: LogPageQuery): Promise<LogPageResult> {
  let { rows } = await db.query<LogRow>(logPageStatement(query))
  // A search the walk left short of a page: the text is rare, so the indexes find every match cheaply.
  if (query.search && rows.length < query.limit)
    ({ rows } = await db.query<LogRow>(logPageStatement(query, 'indexes')))
  // Bounded in bytes too (engine/ops/page-bounds): a page cut short continues after its last record.
  const { rows: records, cut } = withinPageBytes(rows.map(toStoredRecord))
  const last = records.at(-1)
  return { records, nextBefore: (cut || rows.length === query.limit) && last ? last.id : null }
}

/**
 * How many of the newest records (below the cursor) a search walks before it turns to the search indexes.
 * A search page has two good plans: walk id downwards until the page is full (fast when the text is common, a
 * scan of the whole table when it is rare), or collect the matches from the indexes and sort them (fast when it
 * is rare, every match fetched when it is common). PostgreSQL cannot choose for the metadata's words: it
 * estimates a word missing from its statistics at 0.5 % of the rows or more, and a prefix at 2 % unless they
 * hold 100 common words, so for a rare word it walks — 1M records, seconds. Walking 10,000 takes ~50 ms.
 */
export const SEARCH_WALK = 10_000

/**
 * The statement behind {@link logPage} (checked input, values as parameters), for EXPLAIN in tests. With a
 * search, `walk` reads only the newest SEARCH_WALK records; `indexes` reads the whole table through the indexes.
 */
export function logPageStatement(
  query: LogPageQuery,
  plan: 'walk' | 'indexes' = 'walk',
): { text: string; values: unknown[] } {
  checkLogFilter(query)
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > LOG_PAGE_LIMIT)
    throw new UsageError(`limit must be a whole number from 1 to ${LOG_PAGE_LIMIT} (got ${query.limit})`)
  if (query.before !== undefined && (!Number.isSafeInteger(query.before) || query.before < 1))
    throw new UsageError(`before must be a record id (got ${query.before})`)
  const { values, bind } = positional()
  const { search, ...filters } = query
  const where = filterConditions(filters, LOG_COLUMNS, bind, 'ops.pipeline_logs')
  const before = query.before === undefined ? undefined : `${bind(query.before)}::int8`
  if (before) where.push(`id < ${before}`)
  const limit = `${bind(query.limit)}::int`
  const [matches] = filterConditions({ search }, LOG_COLUMNS, bind, 'ops.pipeline_logs')
  if (matches && plan === 'indexes') {
    // Materialised, the matches have no order a walk down id could provide: the planner takes the indexes.
    const text = `WITH hits AS MATERIALIZED (SELECT id FROM ops.pipeline_logs WHERE ${[...where, matches].join(' AND ')})
       SELECT ${LOG_PAGE_COLUMNS} FROM ops.pipeline_logs WHERE id IN (SELECT id FROM hits ORDER BY id DESC LIMIT ${limit})
       ORDER BY id DESC`
    return { text, values }
  }
  if (matches) {
    // `IS TRUE` selects the same rows but hides the search from its indexes: the walk stays a walk, never a
    // bitmap of every match in the table.
    where.push(`(${matches}) IS TRUE`)
    where.push(`id >= ${before ?? '(SELECT max(id) + 1 FROM ops.pipeline_logs)'} - ${SEARCH_WALK}`)
  }
  const text = `SELECT ${LOG_PAGE_COLUMNS} FROM ops.pipeline_logs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id DESC LIMIT ${limit}`
  return { text, values }
}
