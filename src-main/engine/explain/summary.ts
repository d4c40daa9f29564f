/**
 * The reconciliation of each level of "explain this number": the value above against the sum of every row of the
 * level, summed in SQL over the whole level (not the page shown), and the difference — shown, never hidden, when
 * gold is stale against silver or silver against bronze.
 */
import type { ExplainSummary, ExplainTarget, Totals } from '../../../src-shared/explain.js'
import { parseMonthKey } from '../../../src-shared/months.js'
import type { Queryable } from '../db/types.js'
import { levelSelect } from './levels.js'
import { checkTarget, params } from './read.js'
import { bronzeConditions, COUNTED, LINEAGE, SILVER_SUMS, silverConditions, where } from './scope.js'

type Raw = Record<string, unknown>

const totals = (r: Raw | undefined, rows = true): Totals | null =>
  r
    ? {
        revenue: String(r.revenue),
        quantity: Number(r.quantity),
        transactions: Number(r.transactions),
        rows: rows ? Number(r.rows) : null,
      }
    : null

/** a − b of two decimal texts with at most two decimals, exactly (in cents). */
export function decimalDifference(a: string, b: string): string {
  const cents = (s: string) => {
    const [whole = '0', frac = ''] = s.replace('-', '').split('.')
    const v = BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0').slice(0, 2))
    return s.startsWith('-') ? -v : v
  }
  const d = cents(a) - cents(b)
  const abs = d < 0n ? -d : d
  return `${d < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

function reconcile(
  level: ExplainTarget['level'],
  parentLabel: string,
  parent: Totals | null,
  childLabel: string,
  children: Totals,
): ExplainSummary {
  const difference = parent && {
    revenue: decimalDifference(parent.revenue, children.revenue),
    quantity: parent.quantity - children.quantity,
    transactions: parent.transactions - children.transactions,
  }
  return {
    level,
    parentLabel,
    parent,
    childLabel,
    children,
    difference,
    reconciled:
      difference !== null &&
      /^-?0\.00$/.test(difference.revenue) &&
      difference.quantity === 0 &&
      difference.transactions === 0,
    uncounted: null,
    withoutLineage: null,
  }
}

/** The gold row a target explains, and what to call it. */
async function goldRow(db: Queryable, t: ExplainTarget): Promise<{ label: string; row: Totals | null }> {
  const cols =
    'total_revenue::text AS revenue, total_quantity AS quantity, total_transactions AS transactions'
  if (t.of === 'month') {
    const month = parseMonthKey(t.month!)
    if (typeof month === 'string') throw new Error(month)
    const { rows } = await db.query<Raw>(
      `SELECT ${cols} FROM gold.fact_sales_monthly WHERE year = $1 AND month = $2`,
      [month.year, month.month],
    )
    return { label: `gold.fact_sales_monthly ${t.month}`, row: totals(rows[0], false) }
  }
  if (t.of === 'product') {
    const { rows } = await db.query<Raw>(
      `SELECT ${cols} FROM gold.fact_product_performance g
       WHERE g.product_id = (SELECT product_id FROM silver.dim_product WHERE stock_code = $1)`,
      [t.product],
    )
    return { label: `gold.fact_product_performance ${t.product}`, row: totals(rows[0], false) }
  }
  const { rows } = await db.query<Raw>(`SELECT ${cols} FROM gold.fact_country_sales WHERE country = $1`, [
    t.country,
  ])
  return { label: `gold.fact_country_sales ${t.country}`, row: totals(rows[0], false) }
}

async function silverSums(db: Queryable, t: ExplainTarget): Promise<Totals> {
  const { values, bind } = params()
  const { rows } = await db.query<Raw>(
    `SELECT ${SILVER_SUMS} FROM silver.fact_sales_daily f ${where(silverConditions(t, bind))}`,
    values,
  )
  return totals(rows[0])!
}

/** The breakdown row a silver level lists the rows of, read through the breakdown's own grouping query. */
async function breakdownRow(db: Queryable, t: ExplainTarget): Promise<Totals | null> {
  const { values, bind } = params()
  const { rows } = await db.query<Raw>(
    levelSelect({ ...t, level: 'breakdown' }, bind, { only: t[t.by!]! }),
    values,
  )
  return totals(rows[0])
}

/** The silver row against the bronze lines silver counts for it; the lines it does not count, and lineage gaps. */
async function bronzeSummary(db: Queryable, t: ExplainTarget): Promise<ExplainSummary> {
  const s = params()
  const silver = await db.query<Raw>(
    `SELECT f.total_revenue::text AS revenue, f.total_quantity AS quantity, f.total_transactions AS transactions
     FROM silver.fact_sales_daily f ${where(silverConditions(t, s.bind))}`,
    s.values,
  )
  const b = params()
  const { rows } = await db.query<Raw>(
    `SELECT COALESCE(sum(b.quantity * b.unitprice) FILTER (WHERE ${COUNTED}), 0)::numeric(15,2)::text AS revenue,
            COALESCE(sum(b.quantity) FILTER (WHERE ${COUNTED}), 0)::int8 AS quantity,
            count(DISTINCT b.invoiceno) FILTER (WHERE ${COUNTED})::int8 AS transactions,
            count(*) FILTER (WHERE ${COUNTED})::int8 AS rows,
            count(*) FILTER (WHERE NOT COALESCE(${COUNTED}, false))::int8 AS uncounted,
            COALESCE(sum(b.quantity * b.unitprice) FILTER (WHERE NOT COALESCE(${COUNTED}, false)), 0)::numeric(15,2)::text
              AS uncounted_revenue,
            count(*) FILTER (WHERE ${LINEAGE} <> 'file')::int8 AS without_lineage
     FROM bronze.raw_transactions b ${where(bronzeConditions(t, b.bind))}`,
    b.values,
  )
  const r = rows[0]!
  const summary = reconcile(
    'bronze',
    `silver row ${t.day} · ${t.product} · ${t.country}`,
    totals(silver.rows[0], false),
    'bronze lines silver counts',
    totals(r)!,
  )
  return {
    ...summary,
    uncounted: { lines: Number(r.uncounted), revenue: String(r.uncounted_revenue) },
    withoutLineage: Number(r.without_lineage),
  }
}

/** The reconciliation of one level (all of it, whatever page is shown). */
export async function explainSummary(db: Queryable, input: unknown): Promise<ExplainSummary> {
  const t = checkTarget(input)
  if (t.level === 'breakdown') {
    const gold = await goldRow(db, t)
    return reconcile('breakdown', gold.label, gold.row, `silver rows, by ${t.by}`, await silverSums(db, t))
  }
  if (t.level === 'silver') {
    const child = t[t.by!]!
    return reconcile(
      'silver',
      `${t.by} ${child} in the breakdown of ${t.of} ${t[t.of]}`,
      await breakdownRow(db, t),
      `daily silver rows`,
      await silverSums(db, t),
    )
  }
  return bronzeSummary(db, t)
}
