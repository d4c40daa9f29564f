/**
 * The SELECT of each level: one text for a page (after a keyset position, a limit) and for the whole level (the
 * CSV export, in the same order). Columns are snake_case; pages map them to the contract's rows.
 */
import type { ExplainCursor, ExplainTarget } from '../../../src-shared/explain.js'
import { UsageError } from '../errors.js'
import {
  type Bind,
  bronzeConditions,
  COUNTED,
  LINEAGE,
  SILVER_SUMS,
  silverConditions,
  where,
} from './scope.js'

export interface Window {
  /** Breakdown: only the row of this country or stock code (the parent row of a silver level). */
  only?: string
  after?: ExplainCursor
  /** Rows to read (a page reads one more than it returns, to know whether there is a next page). */
  limit?: number
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new UsageError(`this page's position has no ${what}`)
  return value
}

/** Breakdown rows, ordered by country or by product id (the order the indexes give, so a page streams). */
function breakdown(t: ExplainTarget, bind: Bind, w: Window): string {
  const conditions = silverConditions(t, bind)
  const limit = w.limit ? `LIMIT ${bind(w.limit)}::int` : ''
  if (w.only !== undefined)
    conditions.push(
      t.by === 'country'
        ? `f.country = ${bind(w.only)}::text`
        : `f.product_id = (SELECT product_id FROM silver.dim_product WHERE stock_code = ${bind(w.only)}::text)`,
    )
  if (t.by === 'country') {
    if (w.after) conditions.push(`f.country > ${bind(need(w.after.key, 'country'))}::text`)
    return `SELECT f.country AS key, NULL::text AS description, ${SILVER_SUMS}, f.country AS cursor
FROM silver.fact_sales_daily f ${where(conditions)}
GROUP BY f.country ORDER BY f.country ${limit}`
  }
  if (w.after) {
    const key = need(w.after.key, 'product')
    if (!/^\d{1,10}$/.test(key)) throw new UsageError(`"${key}" is not a position in a product breakdown`)
    conditions.push(`f.product_id > ${bind(key)}::int`)
  }
  return `SELECT p.stock_code AS key, p.description, g.revenue, g.quantity, g.transactions, g.rows,
       g.product_id::text AS cursor
FROM (SELECT f.product_id, ${SILVER_SUMS}
      FROM silver.fact_sales_daily f ${where(conditions)}
      GROUP BY f.product_id ORDER BY f.product_id ${limit}) g
JOIN silver.dim_product p ON p.product_id = g.product_id
ORDER BY g.product_id`
}

/** Daily silver rows, in key order (date, product id, country). */
function silver(t: ExplainTarget, bind: Bind, w: Window): string {
  const conditions = silverConditions(t, bind)
  if (w.after) {
    const a = w.after
    conditions.push(
      `(f.date_id, f.product_id, f.country) > (${bind(need(a.dateId, 'date'))}::int, ${bind(need(a.productId, 'product'))}::int, ${bind(need(a.country, 'country'))}::text)`,
    )
  }
  return `SELECT to_char(to_date(f.date_id::text, 'YYYYMMDD'), 'YYYY-MM-DD') AS day, f.date_id, f.product_id,
       p.stock_code, p.description, f.country, f.customer_id, f.total_transactions AS transactions,
       f.total_quantity AS quantity, f.total_revenue::text AS revenue, f.avg_unit_price::text AS avg_unit_price
FROM silver.fact_sales_daily f JOIN silver.dim_product p ON p.product_id = f.product_id
${where(conditions)}
ORDER BY f.date_id, f.product_id, f.country ${w.limit ? `LIMIT ${bind(w.limit)}::int` : ''}`
}

/** The bronze lines of one silver row's day, product and country, counted or not, with their lineage. */
function bronze(t: ExplainTarget, bind: Bind, w: Window): string {
  const conditions = bronzeConditions(t, bind)
  if (w.after) conditions.push(`b.id > ${bind(need(w.after.id, 'line id'))}::int`)
  return `SELECT b.id, b.invoiceno AS invoice_no, to_char(b.invoicedate, 'YYYY-MM-DD HH24:MI:SS') AS invoice_date,
       b.stockcode AS stock_code, b.description, b.quantity, b.unitprice::text AS unit_price,
       (b.quantity * b.unitprice)::numeric(15,2)::text AS revenue, b.customerid AS customer_id, b.country,
       ${COUNTED} AS counted, ${LINEAGE} AS lineage,
       COALESCE(i.file_name, b.source_file) AS source_file, b.source_line,
       to_char(b.ingested_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ingested_at
FROM bronze.raw_transactions b LEFT JOIN bronze.ingested_files i ON i.file_sha256 = b.source_sha256
${where(conditions)}
ORDER BY b.id ${w.limit ? `LIMIT ${bind(w.limit)}::int` : ''}`
}

/** A level's rows: one page (with `limit`), or all of them in the same order. */
export function levelSelect(t: ExplainTarget, bind: Bind, w: Window = {}): string {
  if (t.level === 'breakdown') return breakdown(t, bind, w)
  if (t.level === 'silver') return silver(t, bind, w)
  return bronze(t, bind, w)
}

/** The CSV columns of each level, in order; text ones are neutralised against spreadsheet formulas. */
export const CSV_COLUMNS: Record<ExplainTarget['level'], { name: string; text?: boolean }[]> = {
  breakdown: [
    { name: 'key', text: true },
    { name: 'description', text: true },
    { name: 'revenue' },
    { name: 'quantity' },
    { name: 'transactions' },
    { name: 'rows' },
  ],
  silver: [
    { name: 'day' },
    { name: 'stock_code', text: true },
    { name: 'description', text: true },
    { name: 'country', text: true },
    { name: 'customer_id' },
    { name: 'transactions' },
    { name: 'quantity' },
    { name: 'revenue' },
    { name: 'avg_unit_price' },
  ],
  bronze: [
    { name: 'id' },
    { name: 'invoice_no', text: true },
    { name: 'invoice_date' },
    { name: 'stock_code', text: true },
    { name: 'description', text: true },
    { name: 'quantity' },
    { name: 'unit_price' },
    { name: 'revenue' },
    { name: 'customer_id', text: true },
    { name: 'country', text: true },
    { name: 'counted' },
    { name: 'lineage' },
    { name: 'source_file', text: true },
    { name: 'source_line' },
    { name: 'ingested_at' },
  ],
}
