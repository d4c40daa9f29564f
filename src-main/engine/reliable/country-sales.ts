import { type StageDefinition, upsertClauses } from './stage.js'

const COLUMNS = [
  'total_revenue',
  'total_quantity',
  'total_transactions',
  'total_products',
  'total_days_active',
  'unique_customers',
  'avg_revenue_per_transaction',
  'avg_quantity_per_transaction',
  'top_product_id',
  'top_product_revenue',
  'first_transaction_date',
  'last_transaction_date',
] as const

const { set, changed } = upsertClauses('g', COLUMNS)

/**
 * gold.fact_country_sales, per the contract: sums; distinct products, dates and customers (COUNT DISTINCT
 * customer_id, so the -1 of anonymous lines counts as one customer, as the contract defines it); per-transaction
 * averages; the top product by revenue, picked with a window function (ties go to the lowest product_id);
 * first and last date from dim_date.
 */
export const countrySales: StageDefinition = {
  name: 'country_sales',
  table: 'gold.fact_country_sales',
  upsert: {
    name: 'reliable/country-sales-upsert',
    text: `
WITH product_revenue AS (
    SELECT country, product_id, sum(total_revenue) AS revenue
    FROM silver.fact_sales_daily
    GROUP BY country, product_id
),
top_product AS (
    SELECT country, product_id, revenue
    FROM (
        SELECT country, product_id, revenue,
               row_number() OVER (PARTITION BY country ORDER BY revenue DESC, product_id) AS rank
        FROM product_revenue
    ) ranked
    WHERE rank = 1
),
per_country AS (
    SELECT f.country,
           sum(f.total_revenue) AS total_revenue,
           sum(f.total_quantity) AS total_quantity,
           sum(f.total_transactions) AS total_transactions,
           count(DISTINCT f.product_id) AS total_products,
           count(DISTINCT f.date_id) AS total_days_active,
           count(DISTINCT f.customer_id) AS unique_customers,
           min(d.date) AS first_transaction_date,
           max(d.date) AS last_transaction_date
    FROM silver.fact_sales_daily f
    JOIN silver.dim_date d ON d.date_id = f.date_id
    GROUP BY f.country
),
source AS (
    SELECT c.country, c.total_revenue, c.total_quantity, c.total_transactions, c.total_products,
           c.total_days_active, c.unique_customers,
           CASE WHEN c.total_transactions > 0 THEN round(c.total_revenue / c.total_transactions, 2) ELSE 0 END AS avg_revenue_per_transaction,
           CASE WHEN c.total_transactions > 0 THEN round(c.total_quantity::numeric / c.total_transactions, 2) ELSE 0 END AS avg_quantity_per_transaction,
           t.product_id AS top_product_id, t.revenue AS top_product_revenue,
           c.first_transaction_date, c.last_transaction_date
    FROM per_country c
    JOIN top_product t ON t.country = c.country
),
written AS (
    INSERT INTO gold.fact_country_sales AS g (country, ${COLUMNS.join(', ')}, created_at, updated_at)
    SELECT country, ${COLUMNS.join(', ')}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM source
    ON CONFLICT (country) DO UPDATE SET
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
    name: 'reliable/country-sales-prune',
    text: `DELETE FROM gold.fact_country_sales g
           WHERE NOT EXISTS (SELECT 1 FROM silver.fact_sales_daily f WHERE f.country = g.country)`,
  },
}
