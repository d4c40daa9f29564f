/**
 * Test support: a small silver star schema inserted directly (no dependency on ingest/silver), and gold read
 * back for comparison with the independent definitions in expected-gold.ts.
 */
import type { Queryable } from '../db/types.js'

export interface SilverProduct {
  productId: number
  stockCode: string
  description: string
  category: string | null
}

export interface SilverFact {
  date: string
  productId: number
  country: string
  customerId: number | null
  transactions: number
  quantity: number
  /** Revenue as a decimal string with 2 places. */
  revenue: string
}

export interface SilverFixture {
  products: SilverProduct[]
  facts: SilverFact[]
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/**
 * Six products (one never sold), four countries, dates over three months. Hand-made rows cover the edges:
 * a revenue tie for France's top product (the lower product_id wins), anonymous customers (-1) and NULL,
 * averages that need half-up rounding (0.05 / 2, 20.00 / 3); a deterministic generator adds volume.
 */
export function defaultFixture(): SilverFixture {
  const products: SilverProduct[] = [
    {
      productId: 1,
      stockCode: '85123A',
      description: 'WHITE HANGING HEART T-LIGHT HOLDER',
      category: 'General',
    },
    { productId: 2, stockCode: 'POST', description: 'POSTAGE', category: 'Postage' },
    { productId: 3, stockCode: '22423', description: 'REGENCY CAKESTAND 3 TIER', category: 'General' },
    { productId: 4, stockCode: 'M', description: 'Manual', category: 'Manual' },
    { productId: 5, stockCode: '99999', description: 'NEVER SOLD', category: null },
    { productId: 6, stockCode: 'DOT', description: 'DOTCOM POSTAGE', category: 'General' },
  ]
  const facts: SilverFact[] = [
    // France: products 1 and 3 tie on revenue (30.00 each) → top product 1.
    {
      date: '2010-12-01',
      productId: 3,
      country: 'France',
      customerId: 12345,
      transactions: 1,
      quantity: 2,
      revenue: '30.00',
    },
    {
      date: '2010-12-01',
      productId: 1,
      country: 'France',
      customerId: 12345,
      transactions: 2,
      quantity: 10,
      revenue: '25.50',
    },
    {
      date: '2010-12-02',
      productId: 1,
      country: 'France',
      customerId: -1,
      transactions: 1,
      quantity: 2,
      revenue: '4.50',
    },
    // Rounding: 0.05 over 2 transactions = 0.025 → 0.03; 20.00 over 3 → 6.67.
    {
      date: '2010-12-02',
      productId: 6,
      country: 'Germany',
      customerId: 12500,
      transactions: 2,
      quantity: 1,
      revenue: '0.05',
    },
    {
      date: '2011-01-04',
      productId: 2,
      country: 'Germany',
      customerId: null,
      transactions: 3,
      quantity: 3,
      revenue: '20.00',
    },
    {
      date: '2011-01-04',
      productId: 2,
      country: 'EIRE',
      customerId: -1,
      transactions: 1,
      quantity: 1,
      revenue: '18.00',
    },
  ]
  const dates = ['2010-12-01', '2010-12-02', '2010-12-15', '2011-01-04', '2011-01-05', '2011-02-28']
  // France and EIRE stay hand-made, so their edges (the tie, a single-product country) hold.
  const countries = ['United Kingdom', 'Germany']
  let seed = 42
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
  const taken = new Set(facts.map((f) => `${f.date}|${f.productId}|${f.country}`))
  for (const date of dates) {
    for (const productId of [1, 2, 3, 4]) {
      for (const country of countries) {
        const key = `${date}|${productId}|${country}`
        if (taken.has(key) || next() < 0.45) continue
        taken.add(key)
        const transactions = 1 + Math.floor(next() * 5)
        const quantity = 1 + Math.floor(next() * 40)
        const cents = Math.floor(next() * 25_000)
        facts.push({
          date,
          productId,
          country,
          customerId: next() < 0.25 ? -1 : 12000 + Math.floor(next() * 8),
          transactions,
          quantity,
          revenue: (cents / 100).toFixed(2),
        })
      }
    }
  }
  return { products, facts }
}

export function dateId(date: string): number {
  return Number(date.replaceAll('-', ''))
}

/** Replaces silver with the fixture (and empties gold and the ops tables the reliable pipeline writes). */
export async function loadFixture(db: Queryable, fixture: SilverFixture): Promise<void> {
  await db.exec(`TRUNCATE gold.fact_product_performance, gold.fact_country_sales, ops.pipeline_checkpoint,
                 ops.pipeline_logs, ops.pipeline_runs, silver.fact_sales_daily, silver.dim_product, silver.dim_date CASCADE`)
  const dates = [...new Set(fixture.facts.map((f) => f.date))]
  for (const date of dates) {
    const d = new Date(`${date}T00:00:00Z`)
    const dow = d.getUTCDay()
    await db.query(
      `INSERT INTO silver.dim_date (date_id, date, day, day_of_week, month, quarter, year, day_name, month_name, is_weekend)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        dateId(date),
        date,
        d.getUTCDate(),
        dow,
        d.getUTCMonth() + 1,
        Math.floor(d.getUTCMonth() / 3) + 1,
        d.getUTCFullYear(),
        DAY_NAMES[dow]?.slice(0, 10),
        MONTH_NAMES[d.getUTCMonth()]?.slice(0, 10),
        dow === 0 || dow === 6,
      ],
    )
  }
  for (const p of fixture.products) {
    await db.query(
      'INSERT INTO silver.dim_product (product_id, stock_code, description, category) VALUES ($1, $2, $3, $4)',
      [p.productId, p.stockCode, p.description, p.category],
    )
  }
  await db.query(
    `INSERT INTO silver.fact_sales_daily (date_id, product_id, country, customer_id, total_transactions, total_quantity, total_revenue, avg_unit_price)
     SELECT * FROM unnest($1::int[], $2::int[], $3::varchar[], $4::int[], $5::int[], $6::int[], $7::numeric[], $8::numeric[])`,
    [
      fixture.facts.map((f) => dateId(f.date)),
      fixture.facts.map((f) => f.productId),
      fixture.facts.map((f) => f.country),
      fixture.facts.map((f) => f.customerId),
      fixture.facts.map((f) => f.transactions),
      fixture.facts.map((f) => f.quantity),
      fixture.facts.map((f) => f.revenue),
      fixture.facts.map((f) => (Number(f.revenue) / f.quantity).toFixed(2)),
    ],
  )
}

/** The gold columns the expectations cover, read back in the same order. */
export async function readGold(
  db: Queryable,
): Promise<{ products: Record<string, unknown>[]; countries: Record<string, unknown>[] }> {
  const products = await db.query(
    `SELECT product_id, stock_code, description, category, total_revenue, total_quantity, total_transactions,
            total_days_sold, total_countries, avg_revenue_per_day, avg_quantity_per_day, avg_revenue_per_transaction,
            avg_quantity_per_transaction, first_sale_date, last_sale_date
     FROM gold.fact_product_performance ORDER BY product_id`,
  )
  const countries = await db.query(
    `SELECT country, total_revenue, total_quantity, total_transactions, total_products, total_days_active,
            unique_customers, avg_revenue_per_transaction, avg_quantity_per_transaction, top_product_id,
            top_product_revenue, first_transaction_date, last_transaction_date
     FROM gold.fact_country_sales ORDER BY country COLLATE "C"`,
  )
  return { products: products.rows, countries: countries.rows }
}
