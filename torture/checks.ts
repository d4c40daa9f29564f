import type { Sql } from './db.js'

/**
 * The end-of-trial checks: gold equals the clean reference exactly, every month with silver rows is
 * completed exactly once, no run is left `running`. Rows are compared as text, so 12.30 ≠ 12.3 would show.
 */
export type GoldRow = Record<string, string | null>
export interface GoldSnapshot {
  /** Keyed by the table's natural key (year-month, product_id, country). */
  [table: string]: Map<string, GoldRow>
}

/** The gold tables and their natural keys; id/created_at/updated_at are bookkeeping, not data. */
export const GOLD_TABLES = {
  'gold.fact_sales_monthly': `lpad(year::text, 4, '0') || '-' || lpad(month::text, 2, '0')`,
  'gold.fact_product_performance': 'product_id::text',
  'gold.fact_country_sales': 'country',
} as const
export type GoldTable = keyof typeof GOLD_TABLES
const IGNORED = new Set(['id', 'created_at', 'updated_at'])

export async function snapshotGold(
  sql: Sql,
  tables: readonly GoldTable[] = ['gold.fact_sales_monthly'],
): Promise<GoldSnapshot> {
  const snapshot: GoldSnapshot = {}
  for (const table of tables) {
    const [schema, name] = table.split('.')
    const columns = (
      await sql<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [schema, name],
      )
    )
      .map((row) => row.column_name)
      .filter((column) => !IGNORED.has(column))
    const list = columns.map((column) => `${quoteIdent(column)}::text AS ${quoteIdent(column)}`).join(', ')
    const rows = await sql<GoldRow & { __key: string }>(
      `SELECT ${GOLD_TABLES[table]} AS __key, ${list} FROM ${table}`,
    )
    snapshot[table] = new Map(rows.map(({ __key, ...row }) => [__key, row as GoldRow] as [string, GoldRow]))
  }
  return snapshot
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

export interface GoldDifference {
  table: string
  key: string
  kind: 'missing' | 'extra' | 'different'
  /** column: expected → actual */
  columns: Record<string, [string | null, string | null]>
}

/** Every row that differs between the reference and what a trial left. */
export function diffGold(expected: GoldSnapshot, actual: GoldSnapshot): GoldDifference[] {
  const out: GoldDifference[] = []
  for (const [table, rows] of Object.entries(expected)) {
    const got = actual[table] ?? new Map<string, GoldRow>()
    for (const [key, row] of rows) {
      const other = got.get(key)
      if (!other) {
        out.push({ table, key, kind: 'missing', columns: {} })
        continue
      }
      const columns: GoldDifference['columns'] = {}
      for (const [column, value] of Object.entries(row)) {
        if (other[column] !== value) columns[column] = [value, other[column] ?? null]
      }
      if (Object.keys(columns).length > 0) out.push({ table, key, kind: 'different', columns })
    }
    for (const key of got.keys()) if (!rows.has(key)) out.push({ table, key, kind: 'extra', columns: {} })
  }
  return out
}

/** A gold difference that counts a month twice: more revenue or quantity than the reference. */
export function isInflated(difference: GoldDifference): boolean {
  if (difference.kind === 'extra') return true
  if (difference.kind !== 'different') return false
  return ['total_revenue', 'total_quantity', 'total_transactions'].some((column) => {
    const pair = difference.columns[column]
    return pair !== undefined && Number(pair[1]) > Number(pair[0])
  })
}

export interface StateFindings {
  /** Months with silver rows that are not `completed` (or have no processing record). */
  notCompleted: { month: string; status: string | null }[]
  /** Months whose completed state was computed from an older silver version than the current one. */
  stale: string[]
  /** Completions of the monthly stage per month in this trial, where more than allowed. */
  processedTwice: { month: string; completions: number; allowed: number }[]
  /** Runs still `running`. */
  stuckRuns: string[]
  /** Months with silver rows. */
  monthsWithData: string[]
}

export interface StateOptions {
  /** Completions allowed per month (default 1); e.g. 2 after a reset or a silver change. */
  allowed?: (month: string) => number
}

/** Reads ops state and silver to judge completed-exactly-once, staleness and stuck runs. */
export async function checkState(sql: Sql, options: StateOptions = {}): Promise<StateFindings> {
  const months = (
    await sql<{ m: string }>(
      `SELECT DISTINCT lpad((date_id / 10000)::text, 4, '0') || '-' || lpad(((date_id / 100) % 100)::text, 2, '0') AS m
       FROM silver.fact_sales_daily ORDER BY 1`,
    )
  ).map((row) => row.m)
  const processed = new Map(
    (
      await sql<{ month_key: string; status: string; silver_version: string | null; version: string | null }>(
        `SELECT p.month_key, p.status, p.silver_version::text, s.version::text
         FROM ops.processed_months p
         LEFT JOIN ops.silver_months s ON s.year = p.year AND s.month = p.month`,
      )
    ).map((row) => [row.month_key, row]),
  )
  const notCompleted: StateFindings['notCompleted'] = []
  const stale: string[] = []
  for (const month of months) {
    const row = processed.get(month)
    if (row?.status !== 'completed') notCompleted.push({ month, status: row?.status ?? null })
    else if (row.silver_version !== null && row.version !== null && row.silver_version !== row.version)
      stale.push(month)
  }
  const completions = await sql<{ month: string; n: string }>(
    `SELECT checkpoint_key AS month, count(*)::text AS n FROM ops.pipeline_checkpoint
     WHERE stage = 'monthly_aggregate' AND status = 'completed' GROUP BY checkpoint_key`,
  )
  const processedTwice: StateFindings['processedTwice'] = []
  for (const row of completions) {
    const allowed = options.allowed?.(row.month) ?? 1
    if (Number(row.n) > allowed)
      processedTwice.push({ month: row.month, completions: Number(row.n), allowed })
  }
  const stuckRuns = (
    await sql<{ run_id: string }>(`SELECT run_id FROM ops.pipeline_runs WHERE status = 'running'`)
  ).map((row) => row.run_id)
  return { notCompleted, stale, processedTwice, stuckRuns, monthsWithData: months }
}

/** Run records by the pid of their runner, to match children with their runs. */
export async function runsByPid(
  sql: Sql,
): Promise<
  Map<number, { runId: string; status: string; error: string | null; done: string[]; failed: string[] }>
> {
  const rows = await sql<{
    run_id: string
    pid: string
    status: string
    error: string | null
    done: string[]
    failed: string[]
  }>(`SELECT run_id, pid::text, status, error, done, failed FROM ops.pipeline_runs WHERE pid IS NOT NULL`)
  return new Map(
    rows.map((row) => [
      Number(row.pid),
      { runId: row.run_id, status: row.status, error: row.error, done: row.done, failed: row.failed },
    ]),
  )
}
