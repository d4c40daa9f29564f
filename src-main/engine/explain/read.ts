/**
 * "Explain this number", read side: a keyset page of a level and the level's reconciliation. A page never reads
 * more than the rows it returns plus what grouping needs; the reconciliation sums the whole level in SQL.
 */
import {
  type BreakdownRow,
  type BronzeLine,
  type ExplainCursor,
  type ExplainPage,
  type ExplainPageQuery,
  ExplainTarget,
  type Lineage,
  type SilverRow,
} from '../../../src-shared/explain.js'
import { describeIssues } from '../../../src-shared/issues.js'
import type { Queryable } from '../db/types.js'
import { UsageError } from '../errors.js'
import { levelSelect } from './levels.js'

/** A `$n` binder over one values array. */
export function params(): { values: unknown[]; bind: (v: string | number) => string } {
  const values: unknown[] = []
  return {
    values,
    bind: (v) => {
      values.push(v)
      return `$${values.length}`
    },
  }
}

/** The target, checked (callers other than the host — the CLI, the bench — get the same refusals). */
export function checkTarget(target: unknown): ExplainTarget {
  const parsed = ExplainTarget.safeParse(target)
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error))
  return parsed.data
}

type Raw = Record<string, unknown>
const num = (v: unknown) => Number(v)
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v))
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v))

const toBreakdown = (r: Raw): BreakdownRow => ({
  key: String(r.key),
  description: strOrNull(r.description),
  totals: {
    revenue: String(r.revenue),
    quantity: num(r.quantity),
    transactions: num(r.transactions),
    rows: num(r.rows),
  },
  cursor: String(r.cursor),
})

const toSilver = (r: Raw): SilverRow => ({
  day: String(r.day),
  dateId: num(r.date_id),
  productId: num(r.product_id),
  stockCode: String(r.stock_code),
  description: String(r.description),
  country: String(r.country),
  customerId: numOrNull(r.customer_id),
  transactions: num(r.transactions),
  quantity: num(r.quantity),
  revenue: String(r.revenue),
  avgUnitPrice: String(r.avg_unit_price),
})

const toBronze = (r: Raw): BronzeLine => ({
  id: num(r.id),
  invoiceNo: String(r.invoice_no),
  invoiceDate: String(r.invoice_date),
  stockCode: String(r.stock_code),
  description: strOrNull(r.description),
  quantity: numOrNull(r.quantity),
  unitPrice: strOrNull(r.unit_price),
  revenue: strOrNull(r.revenue),
  customerId: strOrNull(r.customer_id),
  country: strOrNull(r.country),
  counted: r.counted === true,
  lineage: String(r.lineage) as Lineage,
  sourceFile: strOrNull(r.source_file),
  sourceLine: numOrNull(r.source_line),
  ingestedAt: strOrNull(r.ingested_at),
})

/** The keyset position after a row of a level. */
function cursorOf(level: ExplainTarget['level'], row: BreakdownRow | SilverRow | BronzeLine): ExplainCursor {
  if (level === 'breakdown') return { key: (row as BreakdownRow).cursor }
  if (level === 'silver') {
    const s = row as SilverRow
    return { dateId: s.dateId, productId: s.productId, country: s.country }
  }
  return { id: (row as BronzeLine).id }
}

/** One page of a level, in the level's order, and the position of the next page (null at the end). */
export async function explainPage(db: Queryable, query: ExplainPageQuery): Promise<ExplainPage> {
  const target = checkTarget(query.target)
  const { values, bind } = params()
  const text = levelSelect(target, bind, { after: query.after, limit: query.limit + 1 })
  const { rows } = await db.query<Raw>(text, values)
  const more = rows.length > query.limit
  const page = rows.slice(0, query.limit)
  if (target.level === 'breakdown') {
    const out = page.map(toBreakdown)
    return { level: 'breakdown', rows: out, next: more ? cursorOf('breakdown', out.at(-1)!) : null }
  }
  if (target.level === 'silver') {
    const out = page.map(toSilver)
    return { level: 'silver', rows: out, next: more ? cursorOf('silver', out.at(-1)!) : null }
  }
  const out = page.map(toBronze)
  return { level: 'bronze', rows: out, next: more ? cursorOf('bronze', out.at(-1)!) : null }
}
