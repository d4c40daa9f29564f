import { GOLD_MATCHES_LEDGER } from '../verify/drift-check.js'

/** The statements behind planning and the months grid: small ops tables and pg_locks, never silver. */

/**
 * Every month known to silver (ops.silver_months) or to ops.processed_months within [$1, $2] (yyyymm), with the
 * processing row and the current silver version: everything planning and the months grid need, without touching silver.
 */
export const MONTH_ROWS = {
  name: 'monthly/month-rows',
  text: `
SELECT COALESCE(s.year, p.year) AS year, COALESCE(s.month, p.month) AS month,
       COALESCE(s.row_count, 0) AS tracked_rows, COALESCE(s.version, 0) AS version,
       p.status, p.processed_at, p.started_at, p.duration_ms, p.run_id, p.host, p.attempts, p.error, p.sqlstate,
       p.silver_version, p.silver_rows, p.silver_revenue, p.silver_quantity, p.silver_transactions,
       (p.status IS DISTINCT FROM 'completed' OR ${GOLD_MATCHES_LEDGER}) AS gold_ok
FROM ops.silver_months s
FULL JOIN ops.processed_months p ON p.year * 100 + p.month = s.yyyymm
LEFT JOIN gold.fact_sales_monthly g ON g.year = p.year AND g.month = p.month
WHERE COALESCE(s.yyyymm, p.year * 100 + p.month) BETWEEN $1::int AND $2::int
ORDER BY 1, 2`,
}

export interface MonthRow {
  year: number
  month: number
  tracked_rows: number
  version: number
  status: string | null
  processed_at: string | null
  started_at: string | null
  duration_ms: number | null
  run_id: string | null
  host: string | null
  attempts: number | null
  error: string | null
  sqlstate: string | null
  silver_version: number | null
  silver_rows: number | null
  silver_revenue: string | null
  silver_quantity: number | null
  silver_transactions: number | null
  /** False when a completed month's gold row no longer holds what its run wrote (the cheap drift check). */
  gold_ok: boolean
}
