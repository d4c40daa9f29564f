import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { text } from 'node:stream/consumers'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExplainPage, ExplainTarget } from '../../../src-shared/explain.js'
import { backends, type Scratch } from '../../test-support/scratch.js'
import { UsageError } from '../errors.js'
import { ingestFile } from '../ingest/ingest.js'
import { buildSilver } from '../silver/build.js'
import { explainCount, explainCsv, explainPage, explainSummary } from './index.js'

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'
// Two days of March 2011, three products, three countries; a cancellation (C…) silver does not count.
const LINES = [
  '536001,A1,Red mug,6,2011-03-04 09:00:00,2.55,17850,Germany',
  '536001,B2,Blue plate,2,2011-03-04 09:00:00,7.65,17850,Germany',
  '536002,A1,Red mug,3,2011-03-04 11:30:00,2.55,13047,Germany',
  'C536003,A1,Red mug,-1,2011-03-04 12:00:00,2.55,13047,Germany',
  '536004,A1,Red mug,12,2011-03-05 10:00:00,2.10,12583,France',
  '536005,C3,Green bowl,1,2011-03-05 14:00:00,12.75,,France',
  '536006,B2,Blue plate,24,2011-03-05 15:00:00,6.95,14688,United Kingdom',
  '536007,A1,Red mug,5,2011-04-01 08:00:00,2.55,17850,Germany',
]

type Sql = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>

/** Every page of a level, `limit` rows at a time. */
async function allPages(s: Scratch, target: ExplainTarget, limit: number): Promise<ExplainPage['rows']> {
  const rows: ExplainPage['rows'] = []
  let after: ExplainPage['next'] | undefined
  for (let i = 0; i < 100; i++) {
    const page = await explainPage(s.db, { target, after: after ?? undefined, limit })
    rows.push(...(page.rows as never[]))
    if (!page.next) return rows
    after = page.next
  }
  throw new Error('paging did not end')
}

describe.each(backends)('explain this number on $name', ({ scratch }) => {
  let s: Scratch
  let dir: string
  let sql: Sql
  const march: ExplainTarget = { level: 'breakdown', of: 'month', month: '2011-03', by: 'country' }

  beforeAll(async () => {
    s = await scratch()
    sql = async (t, v) => (await s.db.query<Record<string, unknown>>(t, v)).rows
    dir = mkdtempSync(join(tmpdir(), 'assay-explain-'))
    const path = join(dir, 'march.csv')
    writeFileSync(path, `${HEADER}\n${LINES.join('\n')}\n`)
    await ingestFile(s.db, path)
    // A line another tool wrote: no lineage.
    await sql(`INSERT INTO bronze.raw_transactions (invoiceno, stockcode, description, quantity, invoicedate,
               unitprice, customerid, country, source_file)
               VALUES ('536099', 'A1', 'Red mug', 4, '2011-03-04 16:00', 2.55, '17850', 'Germany', 'legacy.csv')`)
    await buildSilver(s.db)
    // Gold as plain sums of silver (not through the pipelines), then March made stale by hand.
    await sql(`INSERT INTO gold.fact_sales_monthly (year, month, total_revenue, total_quantity, total_transactions)
               SELECT date_id / 10000, date_id / 100 % 100, sum(total_revenue), sum(total_quantity), sum(total_transactions)
               FROM silver.fact_sales_daily GROUP BY 1, 2`)
    await sql(`INSERT INTO gold.fact_product_performance (product_id, total_revenue, total_quantity, total_transactions)
               SELECT product_id, sum(total_revenue), sum(total_quantity), sum(total_transactions)
               FROM silver.fact_sales_daily GROUP BY 1`)
    await sql(`INSERT INTO gold.fact_country_sales (country, total_revenue, total_quantity, total_transactions)
               SELECT country, sum(total_revenue), sum(total_quantity), sum(total_transactions)
               FROM silver.fact_sales_daily GROUP BY 1`)
  })
  afterAll(async () => {
    await s.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it("breaks a month down by country: each row and the total are silver's own sums, paged to the end", async () => {
    const expected = await sql(`SELECT country AS key, sum(total_revenue)::text AS revenue,
                                       sum(total_quantity)::int AS quantity, count(*)::int AS rows
                                FROM silver.fact_sales_daily WHERE date_id BETWEEN 20110301 AND 20110331
                                GROUP BY country ORDER BY country`)
    const paged = await allPages(s, march, 1)
    expect(
      paged.map((r) => {
        const b = r as { key: string; totals: { revenue: string; quantity: number; rows: number } }
        return { key: b.key, revenue: b.totals.revenue, quantity: b.totals.quantity, rows: b.totals.rows }
      }),
    ).toEqual(expected)
    const summary = await explainSummary(s.db, march)
    const [total] = await sql(`SELECT sum(total_revenue)::text AS revenue FROM silver.fact_sales_daily
                               WHERE date_id BETWEEN 20110301 AND 20110331`)
    expect(summary.children.revenue).toBe(total!.revenue)
    expect(summary.parent?.revenue).toBe(total!.revenue)
    expect(summary).toMatchObject({ reconciled: true, difference: { revenue: '0.00', quantity: 0 } })
  })

  it('by product, rows carry the stock code and description; paging by product id ends where it should', async () => {
    const rows = await allPages(s, { ...march, by: 'product' }, 2)
    const expected = await sql(`SELECT p.stock_code FROM silver.dim_product p
                                WHERE p.product_id IN (SELECT product_id FROM silver.fact_sales_daily
                                                       WHERE date_id BETWEEN 20110301 AND 20110331)
                                ORDER BY p.product_id`)
    expect(rows.map((r) => (r as { key: string }).key)).toEqual(expected.map((e) => e.stock_code))
    expect(rows.find((r) => (r as { key: string }).key === 'A1')).toMatchObject({ description: 'Red mug' })
  })

  it('shows a stale gold value with its difference instead of hiding it', async () => {
    await sql(`UPDATE gold.fact_sales_monthly SET total_revenue = total_revenue + 10.05, total_quantity = total_quantity - 2
               WHERE year = 2011 AND month = 3`)
    try {
      const summary = await explainSummary(s.db, march)
      expect(summary.reconciled).toBe(false)
      expect(summary.difference).toEqual({ revenue: '10.05', quantity: -2, transactions: 0 })
    } finally {
      await sql(`UPDATE gold.fact_sales_monthly SET total_revenue = total_revenue - 10.05, total_quantity = total_quantity + 2
                 WHERE year = 2011 AND month = 3`)
    }
  })

  it('says a month is not in gold rather than inventing a value', async () => {
    const summary = await explainSummary(s.db, { ...march, month: '2011-05' })
    expect(summary).toMatchObject({ parent: null, difference: null, reconciled: false })
    expect(summary.children).toMatchObject({ revenue: '0.00', rows: 0 })
    const page = await explainPage(s.db, { target: { ...march, month: '2011-05' }, limit: 10 })
    expect(page).toEqual({ level: 'breakdown', rows: [], next: null })
  })

  it("explains a product's and a country's gold row too", async () => {
    const product = await explainSummary(s.db, {
      level: 'breakdown',
      of: 'product',
      product: 'A1',
      by: 'country',
    })
    const [a1] = await sql(`SELECT sum(f.total_revenue)::text AS revenue FROM silver.fact_sales_daily f
                            JOIN silver.dim_product p USING (product_id) WHERE p.stock_code = 'A1'`)
    expect(product).toMatchObject({ reconciled: true, children: { revenue: a1!.revenue } })
    const country = await explainSummary(s.db, {
      level: 'breakdown',
      of: 'country',
      country: 'France',
      by: 'product',
    })
    expect(country).toMatchObject({ reconciled: true, parentLabel: 'gold.fact_country_sales France' })
  })

  it('lists the daily silver rows of one breakdown row, and they add up to it', async () => {
    const target: ExplainTarget = { ...march, level: 'silver', country: 'Germany' }
    const rows = await allPages(s, target, 1)
    const expected = await sql(`SELECT f.date_id, p.stock_code, f.total_revenue::text AS revenue
                                FROM silver.fact_sales_daily f JOIN silver.dim_product p USING (product_id)
                                WHERE f.country = 'Germany' AND f.date_id BETWEEN 20110301 AND 20110331
                                ORDER BY f.date_id, f.product_id`)
    expect(rows.map((r) => (r as { dateId: number }).dateId)).toEqual(expected.map((e) => e.date_id))
    expect(rows.map((r) => (r as { revenue: string }).revenue)).toEqual(expected.map((e) => e.revenue))
    const summary = await explainSummary(s.db, target)
    expect(summary).toMatchObject({ reconciled: true, children: { rows: expected.length } })
  })

  it('finds the bronze lines behind a silver row, with the file and line number they came from', async () => {
    const target: ExplainTarget = {
      level: 'bronze',
      of: 'month',
      month: '2011-03',
      by: 'country',
      country: 'Germany',
      product: 'A1',
      day: '2011-03-04',
    }
    const page = await explainPage(s.db, { target, limit: 50 })
    if (page.level !== 'bronze') throw new Error('not a bronze page')
    const fromFile = page.rows.filter((l) => l.lineage === 'file')
    // Each line's number is where its invoice is in the file (line 1 is the header).
    for (const line of fromFile) {
      expect(line.sourceFile).toBe('march.csv')
      expect(LINES[line.sourceLine! - 2]).toContain(`${line.invoiceNo},A1,`)
      expect(line.ingestedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    }
    expect(fromFile.map((l) => l.sourceLine)).toEqual([2, 4, 5])
    expect(page.rows.find((l) => l.invoiceNo === '536099')).toMatchObject({
      lineage: 'external',
      sourceLine: null,
      sourceFile: 'legacy.csv',
    })
    expect(page.rows.find((l) => l.invoiceNo === 'C536003')).toMatchObject({ counted: false })

    const summary = await explainSummary(s.db, target)
    const [row] = await sql(`SELECT f.total_revenue::text AS revenue, f.total_quantity AS quantity
                             FROM silver.fact_sales_daily f JOIN silver.dim_product p USING (product_id)
                             WHERE p.stock_code = 'A1' AND f.country = 'Germany' AND f.date_id = 20110304`)
    expect(summary.parent).toMatchObject({ revenue: row!.revenue, quantity: Number(row!.quantity) })
    // 6 + 3 + 4 mugs at 2.55; the cancellation is listed but not counted.
    expect(summary).toMatchObject({
      reconciled: true,
      children: { revenue: '33.15', quantity: 13, transactions: 3, rows: 3 },
      uncounted: { lines: 1, revenue: '-2.55' },
      withoutLineage: 1,
    })

    // A line edited after silver was built: the silver row and bronze now differ, and the difference shows.
    await sql(`UPDATE bronze.raw_transactions SET quantity = 7 WHERE invoiceno = '536002'`)
    const stale = await explainSummary(s.db, target)
    expect(stale).toMatchObject({ reconciled: false, difference: { revenue: '-10.20', quantity: -4 } })
  })

  it('exports exactly the rows of a level as CSV, formula-like text neutralised', async () => {
    const target: ExplainTarget = { ...march, level: 'silver', country: 'Germany' }
    const csv = parse(await text(explainCsv(s.db, target)), { columns: true }) as Record<string, string>[]
    const page = await explainPage(s.db, { target, limit: 100 })
    expect(csv.map((r) => [r.day, r.stock_code, r.revenue])).toEqual(
      page.rows.map((r) => {
        const x = r as { day: string; stockCode: string; revenue: string }
        return [x.day, x.stockCode, x.revenue]
      }),
    )
    expect(await explainCount(s.db, target)).toBe(csv.length)
  })

  it('refuses a target that misses what its level needs, and a garbled position', async () => {
    await expect(
      explainPage(s.db, { target: { level: 'bronze', of: 'month', month: '2011-03' }, limit: 5 }),
    ).rejects.toThrow(UsageError)
    await expect(
      explainSummary(s.db, { level: 'breakdown', of: 'month', month: '2011-13', by: 'country' }),
    ).rejects.toThrow(/2011-13/)
    await expect(
      explainPage(s.db, { target: { ...march, by: 'product' }, after: { key: "1'; DROP" }, limit: 5 }),
    ).rejects.toThrow(/not a position/)
  })
})
