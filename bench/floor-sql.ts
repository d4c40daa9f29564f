/**
 * The floor: the pipelines' aggregations as bare statements — the least work that produces the same gold rows,
 * with none of the pipelines' bookkeeping (claims, checkpoints, processed months, runs, logs, retries, locks).
 */
import { GOLD_AGGREGATES, GOLD_COLUMNS } from '../src-main/engine/monthly/sql.js'

/**
 * Gold rows upserted from `aggregated` (a subquery of GOLD_AGGREGATES, aliased `a`), with the monthly pipeline's
 * "only when changed" guard. `year` and `month` are SQL expressions; `where` filters the aggregated rows.
 */
const upsertGold = (year: string, month: string, aggregated: string, where = '') => `
INSERT INTO gold.fact_sales_monthly AS g (year, month, ${GOLD_COLUMNS.join(', ')}, created_at, updated_at)
SELECT ${year}, ${month}, ${GOLD_COLUMNS.map((c) => `a.${c}`).join(', ')}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM (${aggregated}) a${where}
ON CONFLICT (year, month) DO UPDATE
SET ${GOLD_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = EXCLUDED.updated_at
WHERE (${GOLD_COLUMNS.map((c) => `g.${c}`).join(', ')}) IS DISTINCT FROM (${GOLD_COLUMNS.map((c) => `EXCLUDED.${c}`).join(', ')})`

/**
 * One month of silver aggregated and upserted into gold.fact_sales_monthly, exactly as the monthly pipeline's
 * `monthly/upsert` computes it (the same GOLD_AGGREGATES, same casts, same "only when changed" guard): the harness
 * checks after each comparison that the floor's gold rows equal the pipeline's.
 * $1/$2 first/last date_id, $3 year, $4 month.
 */
export const FLOOR_MONTH = {
  name: 'bench/floor-month',
  text: upsertGold(
    '$3::int',
    '$4::int',
    `
  SELECT count(*)::int8 AS silver_rows,${GOLD_AGGREGATES}
  FROM silver.fact_sales_daily f
  WHERE f.date_id BETWEEN $1::int AND $2::int
`,
    '\nWHERE a.silver_rows > 0',
  ),
}

/**
 * Every month of silver in one statement (#12's "single pass"): the same GOLD_AGGREGATES grouped by month over all
 * of silver, upserted into gold — every column is written, so PostgreSQL cannot skip an aggregate nobody reads.
 */
export const FLOOR_SINGLE_PASS = {
  name: 'bench/floor-single-pass',
  text: upsertGold(
    'a.year',
    'a.month',
    `
  SELECT f.date_id / 10000 AS year, f.date_id / 100 % 100 AS month,${GOLD_AGGREGATES}
  FROM silver.fact_sales_daily f
  GROUP BY 1, 2
`,
  ),
}

/** Gold's monthly rows as comparable text (the computed columns only). */
export const GOLD_MONTHLY_SNAPSHOT = `SELECT year, month, ${GOLD_COLUMNS.join(', ')} FROM gold.fact_sales_monthly ORDER BY year, month`

/** The months silver holds, oldest first: what "all months from scratch" processes. */
export const SILVER_MONTHS = `SELECT year, month, row_count FROM ops.silver_months WHERE row_count > 0 ORDER BY yyyymm`
