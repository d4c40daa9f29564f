/**
 * The rows each level of "explain this number" reads, as SQL written once for the console's pages, their
 * reconciliation and the CSV export. Values are never part of the text: `bind` returns a placeholder (`$n` for a
 * query, `current_setting(…)` inside a COPY), and every use casts it.
 */
import type { ExplainTarget } from '../../../src-shared/explain.js'
import { dateIdRange, parseMonthKey } from '../../../src-shared/months.js'
import { BRONZE_IN_BOUNDS } from '../bounds.js'

export type Bind = (value: string | number) => string

/** The fields of a target that narrow this level's rows: a breakdown only its value, silver the child too. */
export function scopeOf(t: ExplainTarget): Pick<ExplainTarget, 'month' | 'product' | 'country' | 'day'> {
  if (t.level === 'bronze') return { day: t.day, product: t.product, country: t.country }
  const scope = { [t.of]: t[t.of] }
  if (t.level === 'silver' && t.by) scope[t.by] = t[t.by]
  return scope
}

/** Conditions on silver.fact_sales_daily `f` for a target's scope (date_id ranges, so the indexes serve them). */
export function silverConditions(t: ExplainTarget, bind: Bind): string[] {
  const s = scopeOf(t)
  const out: string[] = []
  if (s.month) {
    const month = parseMonthKey(s.month)
    if (typeof month === 'string') throw new Error(month)
    const [first, last] = dateIdRange(month)
    out.push(`f.date_id BETWEEN ${bind(first)}::int AND ${bind(last)}::int`)
  }
  if (s.day) out.push(`f.date_id = ${bind(Number(s.day.replaceAll('-', '')))}::int`)
  if (s.product)
    out.push(
      `f.product_id = (SELECT product_id FROM silver.dim_product WHERE stock_code = ${bind(s.product)}::text)`,
    )
  if (s.country) out.push(`f.country = ${bind(s.country)}::text`)
  return out
}

/** Conditions on bronze.raw_transactions `b`: the lines of one day, stock code and country. */
export function bronzeConditions(t: ExplainTarget, bind: Bind): string[] {
  const day = bind(t.day ?? '')
  return [
    `b.stockcode = ${bind(t.product ?? '')}::text`,
    `b.invoicedate >= ${day}::date`,
    `b.invoicedate < ${day}::date + 1`,
    `b.country = ${bind(t.country ?? '')}::text`,
  ]
}

/** Whether silver counts a bronze line `b` (the filter of engine/silver/sql.ts FACT_SOURCE). */
export const COUNTED = `(b.quantity > 0 AND b.unitprice >= 0 AND b.country IS NOT NULL AND btrim(b.country) <> ''
      AND ${BRONZE_IN_BOUNDS('b')})`

/** A line's lineage: a file Assay ingested (hash and line kept), `assay demo`'s generated lines, or another writer. */
export const LINEAGE = `CASE WHEN b.source_sha256 IS NOT NULL AND b.source_line IS NOT NULL THEN 'file'
            WHEN b.source_sha256 IS NULL AND b.source_file LIKE 'demo:%' THEN 'generated'
            ELSE 'external' END`

export const where = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '')

/** The silver sums of a scope, with the casts gold uses (so they compare with gold exactly). */
export const SILVER_SUMS = `COALESCE(sum(f.total_revenue), 0)::numeric(15,2)::text AS revenue,
       COALESCE(sum(f.total_quantity), 0)::int8 AS quantity,
       COALESCE(sum(f.total_transactions), 0)::int8 AS transactions,
       count(*)::int8 AS rows`
