import type { MonthTotals, StageRun } from '../../../../src-shared/overview.js'
import type { Queryable } from '../../db/types.js'

/**
 * Gold's monthly totals next to the silver sums of the same month's date_id range (one grouped query over silver):
 * a month is reconciled when revenue, quantity and transactions are equal. Also the silver months gold lacks.
 */
export async function monthTotals(db: Queryable): Promise<{ months: MonthTotals[]; missing: string[] }> {
  const { rows } = await db.query<{
    year: number
    month: number
    in_gold: boolean
    revenue: string | null
    quantity: number | null
    transactions: number | null
    silver_revenue: string | null
    silver_quantity: number | null
    silver_transactions: number | null
    reconciled: boolean | null
  }>({
    name: 'overview/reconciliation',
    text: `WITH silver AS (
             SELECT date_id / 10000 AS year, (date_id / 100) % 100 AS month,
                    sum(total_revenue)::numeric(15,2) AS revenue, sum(total_quantity)::int8 AS quantity,
                    sum(total_transactions)::int8 AS transactions
             FROM silver.fact_sales_daily GROUP BY 1, 2)
           SELECT COALESCE(g.year, s.year) AS year, COALESCE(g.month, s.month) AS month, g.id IS NOT NULL AS in_gold,
                  g.total_revenue AS revenue, g.total_quantity AS quantity, g.total_transactions AS transactions,
                  COALESCE(s.revenue, 0) AS silver_revenue, COALESCE(s.quantity, 0) AS silver_quantity,
                  COALESCE(s.transactions, 0) AS silver_transactions,
                  (g.total_revenue = COALESCE(s.revenue, 0) AND g.total_quantity = COALESCE(s.quantity, 0)
                   AND g.total_transactions = COALESCE(s.transactions, 0)) AS reconciled
           FROM gold.fact_sales_monthly g FULL JOIN silver s ON s.year = g.year AND s.month = g.month
           ORDER BY 1, 2`,
  })
  const key = (r: { year: number; month: number }) => `${r.year}-${String(r.month).padStart(2, '0')}`
  const months: MonthTotals[] = rows
    .filter((r) => r.in_gold)
    .map((r) => ({
      monthKey: key(r),
      year: Number(r.year),
      month: Number(r.month),
      revenue: String(r.revenue ?? '0'),
      quantity: Number(r.quantity ?? 0),
      transactions: Number(r.transactions ?? 0),
      silverRevenue: String(r.silver_revenue ?? '0'),
      silverQuantity: Number(r.silver_quantity ?? 0),
      silverTransactions: Number(r.silver_transactions ?? 0),
      // Compared in SQL, numeric to numeric: exact.
      reconciled: r.reconciled === true,
    }))
  return { months, missing: rows.filter((r) => !r.in_gold).map(key) }
}

/** Stage durations of the reliable pipeline's last runs, oldest first (for the small chart). */
export async function recentStageRuns(db: Queryable, limit = 12): Promise<StageRun[]> {
  const { rows } = await db.query<{
    runId: string
    startedAt: string
    status: string
    stage: string | null
    durationMs: number | null
    stageStatus: string | null
  }>({
    name: 'overview/stage-runs',
    text: `WITH runs AS (
             SELECT run_id, started_at, status FROM ops.pipeline_runs
             WHERE pipeline = 'reliable' ORDER BY started_at DESC LIMIT $1)
           SELECT r.run_id AS "runId", r.started_at AS "startedAt", r.status, c.stage,
                  c.duration_ms AS "durationMs", c.status AS "stageStatus"
           FROM runs r LEFT JOIN ops.pipeline_checkpoint c ON c.run_id = r.run_id
           ORDER BY r.started_at, c.start_time NULLS LAST`,
    values: [limit],
  })
  const runs = new Map<string, StageRun>()
  for (const row of rows) {
    let run = runs.get(row.runId)
    if (!run) {
      run = { runId: row.runId, startedAt: row.startedAt, status: row.status, stages: [] }
      runs.set(row.runId, run)
    }
    if (row.stage)
      run.stages.push({
        stage: row.stage,
        durationMs: row.durationMs === null ? null : Number(row.durationMs),
        status: row.stageStatus ?? '',
      })
  }
  return [...runs.values()]
}
