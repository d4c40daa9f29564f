import type { LogCount } from '../../../src-shared/contract.js'
import { SQLSTATE } from '../db/sqlstate.js'
import type { Db, Queryable } from '../db/types.js'
import { checkLogFilter, filterConditions, LOG_COLUMNS, type LogFilter, positional } from './filter.js'
import { SEARCH_WALK } from './page.js'

/**
 * The most records a count reads. Counting is exact up to here and says "more" beyond: reading 10,001 entries of
 * an index is milliseconds on any table size, where an exact count of a million matches reads a million rows
 * (and, for a metadata search, recomputes each one's words: ~10 µs a row, seconds in all). A planner estimate
 * would be free but is no number to show: PostgreSQL guesses a word it has no statistics for at 0.5 % of rows.
 */
export const LOG_COUNT_CAP = 10_000

/**
 * How long the capped count may take. Some searches have no index to narrow them: under three letters (pg_trgm
 * then reads its whole index, 2.5 s on 1M records) or holding an emoji (a scan, 4 s). Past the budget the count
 * falls back to the matches among the newest records, shown as "at least". (PGlite cannot interrupt a statement:
 * there the count runs to its end, as that backend's pages do.)
 */
export const LOG_COUNT_BUDGET_MS = 500

/**
 * The budget of a patient count, asked for once a quick one ran out of time: enough for the slow searches above on
 * an idle machine, and for an ordinary one on a busy server.
 */
export const LOG_COUNT_PATIENT_BUDGET_MS = 5000

/**
 * How many records of ops.pipeline_logs match a filter (the Logs view's "N match"): exact up to a cap, or, when
 * counting would take longer than the budget, the matches among the newest SEARCH_WALK records as a lower bound
 * (`partial`). A `patient` count gets the longer budget.
 */
export async function logCount(
  db: Db,
  filter: LogFilter & { patient?: boolean },
  cap = LOG_COUNT_CAP,
  budgetMs = filter.patient ? LOG_COUNT_PATIENT_BUDGET_MS : LOG_COUNT_BUDGET_MS,
): Promise<LogCount> {
  checkLogFilter(filter)
  try {
    const n = await db.transaction(async (tx) => {
      // SET LOCAL takes no parameters; the budget is a whole number of milliseconds, never user input.
      await tx.exec(`SET LOCAL statement_timeout = ${Math.round(budgetMs)}`)
      return countMatches(tx, filter, cap + 1, false)
    })
    return n > cap ? { count: cap, more: true } : { count: n, more: false }
  } catch (error) {
    if ((error as { code?: unknown }).code !== SQLSTATE.queryCanceled) throw error
    return { count: await countMatches(db, filter, cap, true), more: true, partial: true }
  }
}

/** Matching records, at most `limit`; `newest`: among the newest SEARCH_WALK only (walked down the primary key). */
async function countMatches(
  db: Queryable,
  filter: LogFilter,
  limit: number,
  newest: boolean,
): Promise<number> {
  const { values, bind } = positional()
  const conditions = filterConditions(filter, LOG_COLUMNS, bind, 'ops.pipeline_logs')
  // `IS TRUE` hides the conditions from their indexes, as the page's walk does (engine/logs/page.ts).
  const where = newest
    ? [
        ...conditions.map((c) => `(${c}) IS TRUE`),
        `id > (SELECT max(id) FROM ops.pipeline_logs) - ${SEARCH_WALK}`,
      ]
    : conditions
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM ops.pipeline_logs
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} LIMIT ${bind(limit)}::int) capped`,
    values,
  )
  return Number(rows[0]?.n ?? 0)
}
