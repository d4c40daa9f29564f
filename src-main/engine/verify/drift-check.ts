import type { Queryable } from '../db/types.js'

/**
 * The cheap drift check every monthly run makes before planning: does each completed month's gold row still hold
 * what its run wrote? The run recorded the month's input fingerprint (sum of revenue, of quantity, of
 * transactions), which are also three of gold's columns, and the two averages follow from them. So a gold row
 * deleted, or edited in any of those five columns, is found by joining two small tables (one row per month),
 * never reading silver. Edits to the distinct counts (products, countries, customers) and silver changed with
 * its triggers bypassed need the full recomputation: `assay verify`.
 * `p` = ops.processed_months, `g` = gold.fact_sales_monthly.
 */
export const GOLD_MATCHES_LEDGER = `(g.id IS NOT NULL
  AND g.total_revenue = p.silver_revenue AND g.total_quantity = p.silver_quantity
  AND g.total_transactions = p.silver_transactions
  AND g.avg_revenue_per_transaction = CASE WHEN g.total_transactions = 0 THEN 0
        ELSE round(g.total_revenue / g.total_transactions, 2) END
  AND g.avg_quantity_per_transaction = CASE WHEN g.total_transactions = 0 THEN 0
        ELSE round(g.total_quantity::numeric / g.total_transactions, 2) END)`

/**
 * Marks completed months whose gold row no longer matches their ledger `drifted`; returns their keys. The months
 * are chosen in one snapshot and marked only if their row is still that version (`xmin`): a runner completing a
 * month concurrently must not have it marked from the gold this statement saw before that runner committed.
 */
export const MARK_GOLD_DRIFT = {
  name: 'monthly/mark-gold-drift',
  text: `
WITH seen AS (
  SELECT p.month_key, p.xmin::text AS version FROM ops.processed_months p
  WHERE p.status = 'completed' AND p.silver_version IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM gold.fact_sales_monthly g WHERE g.year = p.year AND g.month = p.month
                    AND ${GOLD_MATCHES_LEDGER})
)
UPDATE ops.processed_months p
SET status = 'drifted', updated_at = CURRENT_TIMESTAMP,
    error = 'drifted: gold.fact_sales_monthly no longer holds what this month''s run wrote (row edited or deleted)'
FROM seen
WHERE p.month_key = seen.month_key AND p.xmin::text = seen.version AND p.status = 'completed'
RETURNING p.month_key`,
}

/** Runs the cheap drift check, marking what it finds so the run's plan includes it. */
export async function markGoldDrift(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ month_key: string }>(MARK_GOLD_DRIFT)
  return rows.map((r) => r.month_key).sort()
}
