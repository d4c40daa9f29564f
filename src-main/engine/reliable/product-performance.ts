import { type StageDefinition, upsertClauses } from './stage.js'

/** Every column the stage computes (besides the key), in table order. */
const COLUMNS = [
  'stock_code',
  'description',
  'category',
  'total_revenue',
  'total_quantity',
  'total_transactions',
  'total_days_sold',
  'total_countries',
  'avg_revenue_per_day',
  'avg_quantity_per_day',
  'avg_revenue_per_transaction',
  'avg_quantity_per_transaction',
  'first_sale_date',
  'last_sale_date',
] as const

const { set, changed } = upsertClauses('g', COLUMNS)

/**
 * gold.fact_product_performance, per the contract: sums of revenue, quantity and transactions; distinct dates
 * (days sold) and countries; revenue and quantity per day sold and per transaction (round 2, 0 when the divisor
 * is 0); first and last sale date from dim_date; stock code, description and category from dim_product.
 */
export const productPerformance: StageDefinition = {
  name: 'product_performance',
  table: 'gold.fact_product_performance',
  upsert: {
    name: 'reliable/product-performance-upsert',
    text: `
WITH per_product AS (
    SELECT f.product_id,
           sum(f.total_revenue) AS total_revenue,
           sum(f.total_quantity) AS total_quantity,
           sum(f.total_transactions) AS total_transactions,
           count(DISTINCT f.date_id) AS total_days_sold,
           count(DISTINCT f.country) AS total_countries,
           min(d.date) AS first_sale_date,
           max(d.date) AS last_sale_date
    FROM silver.fact_sales_daily f
    JOIN silver.dim_date d ON d.date_id = f.date_id
    GROUP BY f.product_id
),
source AS (
    SELECT a.product_id, p.stock_code, p.description, p.category,
           a.total_revenue, a.total_quantity, a.total_transactions, a.total_days_sold, a.total_countries,
           CASE WHEN a.total_days_sold > 0 THEN round(a.total_revenue / a.total_days_sold, 2) ELSE 0 END AS avg_revenue_per_day,
           CASE WHEN a.total_days_sold > 0 THEN round(a.total_quantity::numeric / a.total_days_sold, 2) ELSE 0 END AS avg_quantity_per_day,
           CASE WHEN a.total_transactions > 0 THEN round(a.total_revenue / a.total_transactions, 2) ELSE 0 END AS avg_revenue_per_transaction,
           CASE WHEN a.total_transactions > 0 THEN round(a.total_quantity::numeric / a.total_transactions, 2) ELSE 0 END AS avg_quantity_per_transaction,
           a.first_sale_date, a.last_sale_date
    FROM per_product a
    JOIN silver.dim_product p ON p.product_id = a.product_id
),
written AS (
    INSERT INTO gold.fact_product_performance AS g (product_id, ${COLUMNS.join(', ')}, created_at, updated_at)
    SELECT product_id, ${COLUMNS.join(', ')}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM source
    ON CONFLICT (product_id) DO UPDATE SET
        ${set},
        updated_at = CURRENT_TIMESTAMP
    WHERE ${changed}
    RETURNING (g.xmax = 0) AS inserted
)
SELECT (SELECT count(*) FROM source)::int AS source_rows,
       (count(*) FILTER (WHERE inserted))::int AS inserted,
       (count(*) FILTER (WHERE NOT inserted))::int AS updated
FROM written`,
  },
  prune: {
    name: 'reliable/product-performance-prune',
    text: `DELETE FROM gold.fact_product_performance g
           WHERE NOT EXISTS (SELECT 1 FROM silver.fact_sales_daily f WHERE f.product_id = g.product_id)`,
  },
}
