/**
 * "Explain this number": the first page (100 rows, as the console asks) of every level of the drill-down, on the
 * heaviest values the data has — the month with most silver rows, the country with most (the UK, ~85 % of
 * silver), the product with most — and the reconciliation of the same level (a whole-level sum, fetched beside
 * the page). Gold is filled by the pipelines first; bronze came from `ingestFile`, so its lines have lineage.
 */

import type { Db } from '../../src-main/engine/db/types.js'
import { explainPage, explainSummary } from '../../src-main/engine/explain/index.js'
import { runMonthly } from '../../src-main/engine/monthly/index.js'
import { runReliable } from '../../src-main/engine/reliable/index.js'
import type { ExplainTarget } from '../../src-shared/explain.js'
import type { BenchContext } from '../context.js'
import { repeat, timeMs } from '../timing.js'
import { cliHooks, resetMonthly } from './pipeline-common.js'

const PAGE = 100
const FIRST_PAGE = { op: '<=', value: 300 } as const

interface Heaviest {
  month: string
  country: string
  product: string
  /** The product with most silver rows in that country. */
  productThere: string
  /** The silver row with most bronze lines behind it, in that month and country. */
  row: { day: string; product: string }
}

async function heaviest(db: Db): Promise<Heaviest> {
  const one = async (sql: string) => (await db.query<{ v: string }>(sql)).rows[0]!.v
  const month = await one(`SELECT to_char(to_date((date_id / 100)::text, 'YYYYMM'), 'YYYY-MM') AS v
                           FROM silver.fact_sales_daily GROUP BY date_id / 100 ORDER BY count(*) DESC LIMIT 1`)
  const country = await one(
    'SELECT country AS v FROM silver.fact_sales_daily GROUP BY country ORDER BY count(*) DESC LIMIT 1',
  )
  const product = await one(`SELECT p.stock_code AS v FROM silver.fact_sales_daily f
                             JOIN silver.dim_product p USING (product_id)
                             GROUP BY p.stock_code ORDER BY count(*) DESC LIMIT 1`)
  const { rows: there } = await db.query<{ v: string }>(
    `SELECT p.stock_code AS v FROM silver.fact_sales_daily f JOIN silver.dim_product p USING (product_id)
     WHERE f.country = $1 GROUP BY p.stock_code ORDER BY count(*) DESC LIMIT 1`,
    [country],
  )
  const { rows } = await db.query<{ day: string; product: string }>(
    `SELECT to_char(to_date(f.date_id::text, 'YYYYMMDD'), 'YYYY-MM-DD') AS day, p.stock_code AS product
     FROM silver.fact_sales_daily f JOIN silver.dim_product p USING (product_id)
     WHERE f.country = $1 AND f.date_id / 100 = replace($2, '-', '')::int
     ORDER BY f.total_transactions DESC, f.date_id, f.product_id LIMIT 1`,
    [country, month],
  )
  return { month, country, product, productThere: there[0]!.v, row: rows[0]! }
}

export async function explainScenario(ctx: BenchContext, db: Db, col: string): Promise<void> {
  const hooks = cliHooks(ctx)
  await resetMonthly(db)
  if ((await runMonthly(db, { scope: { kind: 'pending' }, force: false }, hooks)).status !== 'completed')
    throw new Error('monthly run failed')
  if ((await runReliable(db, {}, hooks)).status !== 'completed') throw new Error('reliable run failed')
  const h = await heaviest(db)
  const m = { of: 'month', month: h.month } as const
  const levels: { id: string; label: string; target: ExplainTarget }[] = [
    { id: 'month-country', label: 'a month by country', target: { ...m, level: 'breakdown', by: 'country' } },
    { id: 'month-product', label: 'a month by product', target: { ...m, level: 'breakdown', by: 'product' } },
    {
      id: 'country-product',
      label: 'the largest country by product',
      target: { level: 'breakdown', of: 'country', country: h.country, by: 'product' },
    },
    {
      id: 'product-country',
      label: 'the largest product by country',
      target: { level: 'breakdown', of: 'product', product: h.product, by: 'country' },
    },
    {
      id: 'silver-month-country',
      label: "silver rows of a month's largest country",
      target: { ...m, level: 'silver', by: 'country', country: h.country },
    },
    {
      id: 'silver-country-product',
      label: "silver rows of the largest country's largest product",
      target: { level: 'silver', of: 'country', country: h.country, by: 'product', product: h.productThere },
    },
    {
      id: 'bronze',
      label: 'bronze lines behind the busiest silver row',
      target: {
        ...m,
        level: 'bronze',
        by: 'country',
        country: h.country,
        product: h.row.product,
        day: h.row.day,
      },
    },
  ]
  const reps = Math.max(ctx.reps, 5)
  for (const { id, label, target } of levels) {
    let rows = 0
    // One untimed read first: the console's first page is rarely the database's first read of the day.
    await explainPage(db, { target, limit: PAGE })
    const page = await repeat(reps, () =>
      timeMs(async () => {
        rows = (await explainPage(db, { target, limit: PAGE })).rows.length
      }),
    )
    let total = 0
    const summary = await repeat(reps, () =>
      timeMs(async () => {
        const s = await explainSummary(db, target)
        total = (s.children.rows ?? 0) + (s.uncounted?.lines ?? 0)
      }),
    )
    const n = (x: number) => x.toLocaleString('en')
    const detail =
      target.level === 'breakdown'
        ? `${n(rows)} ${target.by === 'country' ? 'countries' : 'products'} on the page, ${n(total)} silver rows`
        : `${n(rows)} of ${n(total)} ${target.level === 'bronze' ? 'lines' : 'rows'}`
    const spec = { area: 'explain', scales: true, unit: 'ms' } as const
    ctx.results.record(
      `explain.${id}`,
      { ...spec, label: `explain, first page: ${label}`, target: FIRST_PAGE },
      col,
      { value: page.median, samples: page.samples, detail },
    )
    ctx.results.record(
      `explain.${id}.summary`,
      { ...spec, label: '… its reconciliation (the whole level summed)' },
      col,
      { value: summary.median, samples: summary.samples },
    )
  }
  ctx.results.note(
    `explain: month ${h.month}, country ${h.country}, product ${h.product} (in ${h.country}: ${h.productThere}), silver row ${h.row.day} · ${h.row.product}`,
  )
}
