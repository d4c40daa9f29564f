import { goldStage, perUnit, silverTotals } from './stage.js'

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

/**
 * gold.fact_country_sales, per the contract: sums; distinct products, dates and customers (COUNT DISTINCT
 * customer_id, so the -1 of anonymous lines counts as one customer, as the contract defines it); per-transaction
 * averages; the top product by revenue, picked with a window function (ties go to the lowest product_id);
 * first and last date from dim_date.
 */
export const countrySales = goldStage({
  name: 'country_sales',
  table: 'gold.fact_country_sales',
  key: 'country',
  columns: COLUMNS,
  source: `
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
${silverTotals(
  'per_country',
  'country',
  { total_products: 'product_id', total_days_active: 'date_id', unique_customers: 'customer_id' },
  { first: 'first_transaction_date', last: 'last_transaction_date' },
)},
source AS (
    SELECT c.country, c.total_revenue, c.total_quantity, c.total_transactions, c.total_products,
           c.total_days_active, c.unique_customers,
           ${perUnit('c.total_revenue', 'c.total_transactions', 'avg_revenue_per_transaction')},
           ${perUnit('c.total_quantity::numeric', 'c.total_transactions', 'avg_quantity_per_transaction')},
           t.product_id AS top_product_id, t.revenue AS top_product_revenue,
           c.first_transaction_date, c.last_transaction_date
    FROM per_country c
    JOIN top_product t ON t.country = c.country
)`,
})
