import { goldStage, perUnit, silverTotals } from './stage.js'

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

/**
 * gold.fact_product_performance, per the contract: sums of revenue, quantity and transactions; distinct dates
 * (days sold) and countries; revenue and quantity per day sold and per transaction (round 2, 0 when the divisor
 * is 0); first and last sale date from dim_date; stock code, description and category from dim_product.
 */
export const productPerformance = goldStage({
  name: 'product_performance',
  table: 'gold.fact_product_performance',
  key: 'product_id',
  columns: COLUMNS,
  source: `
WITH ${silverTotals(
    'per_product',
    'product_id',
    { total_days_sold: 'date_id', total_countries: 'country' },
    { first: 'first_sale_date', last: 'last_sale_date' },
  )},
source AS (
    SELECT a.product_id, p.stock_code, p.description, p.category,
           a.total_revenue, a.total_quantity, a.total_transactions, a.total_days_sold, a.total_countries,
           ${perUnit('a.total_revenue', 'a.total_days_sold', 'avg_revenue_per_day')},
           ${perUnit('a.total_quantity::numeric', 'a.total_days_sold', 'avg_quantity_per_day')},
           ${perUnit('a.total_revenue', 'a.total_transactions', 'avg_revenue_per_transaction')},
           ${perUnit('a.total_quantity::numeric', 'a.total_transactions', 'avg_quantity_per_transaction')},
           a.first_sale_date, a.last_sale_date
    FROM per_product a
    JOIN silver.dim_product p ON p.product_id = a.product_id
)`,
})
