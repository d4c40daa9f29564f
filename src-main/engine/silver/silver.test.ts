import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { backends, suiteScratch } from '../../test-support/scratch.js'
import type { Db } from '../db/types.js'
import { AssayError } from '../errors.js'
import { buildSilver } from './build.js'

const FIXTURE = new URL('../../../test/fixtures/silver/bronze.csv', import.meta.url)

async function loadFixture(db: Db): Promise<void> {
  await db.copyIn(
    'COPY bronze.raw_transactions (invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country) FROM STDIN (FORMAT csv, HEADER)',
    Readable.from([readFileSync(FIXTURE)]),
  )
}

async function facts(db: Db): Promise<unknown[][]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT f.date_id, p.stock_code, f.country, f.customer_id, f.total_transactions, f.total_quantity,
            f.total_revenue, f.avg_unit_price
     FROM silver.fact_sales_daily f JOIN silver.dim_product p USING (product_id)
     ORDER BY f.date_id, p.stock_code, f.country`,
  )
  return rows.map((r) => Object.values(r))
}

async function versions(db: Db): Promise<Record<number, number>> {
  const { rows } = await db.query<{ yyyymm: number; version: number }>(
    'SELECT yyyymm, version FROM ops.silver_months ORDER BY yyyymm',
  )
  return Object.fromEntries(rows.map((r) => [r.yyyymm, Number(r.version)]))
}

/** Computed by hand from test/fixtures/silver/bronze.csv (see the README there). */
const EXPECTED_FACTS = [
  [20101201, '22633', 'United Kingdom', 17850, 1, 6, '11.10', '1.85'],
  [20101201, '85123A', 'United Kingdom', 17850, 3, 12, '20.80', '1.77'],
  [20101202, '22633', 'France', 12583, 2, 4, '8.40', '2.10'],
  [20101202, '85123A', 'France', -1, 1, 1, '3.00', '3.00'],
  [20101202, 'POST', 'France', -1, 1, 2, '36.00', '18.00'],
  [20110104, '84029G', 'United Kingdom', 14688, 1, 5, '16.95', '3.39'],
  [20110104, 'C2', 'EIRE', 14911, 1, 1, '50.00', '50.00'],
  [20110104, 'M', 'United Kingdom', 14688, 1, 1, '0.85', '0.85'],
  [20110105, '22633', 'United Kingdom', -1, 1, 2, '2.00', '1.00'],
  [20110105, '71053', 'United Kingdom', 17850, 1, 12, '40.68', '3.39'],
  [20110105, 'BANK CHARGES', 'United Kingdom', 15602, 1, 1, '15.00', '15.00'],
  [20110105, 'DOT', 'United Kingdom', -1, 1, 1, '569.77', '569.77'],
]

describe.each(backends)('silver on $name', ({ scratch }) => {
  const s = suiteScratch(scratch)

  it('refuses to build from an empty bronze, naming the commands that fill it', async () => {
    const error = await buildSilver(s.db).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AssayError)
    expect((error as Error).message).toMatch(/assay demo --scale 0.2, or assay ingest <file>/)
  })

  it('builds the dimensions and facts the contract defines', async () => {
    await loadFixture(s.db)
    const report = await buildSilver(s.db)
    expect(report).toMatchObject({ mode: 'full', reason: 'first' })
    expect(report.dates).toEqual({ total: 4, inserted: 4, updated: 0, unchanged: 0 })
    expect(report.products).toEqual({ total: 10, inserted: 10, updated: 0, unchanged: 0 })
    expect(report.facts).toEqual({ total: 12, inserted: 12, updated: 0, unchanged: 0 })
    expect(report.changedMonths).toEqual([201012, 201101])

    const { rows: dates } = await s.db.query('SELECT * FROM silver.dim_date ORDER BY date_id')
    expect(dates.map(({ created_at, ...d }) => d)).toEqual([
      {
        date_id: 20101201,
        date: '2010-12-01',
        day: 1,
        day_of_week: 3,
        month: 12,
        quarter: 4,
        year: 2010,
        day_name: 'Wednesday',
        month_name: 'December',
        is_weekend: false,
        is_holiday: false,
      },
      {
        date_id: 20101202,
        date: '2010-12-02',
        day: 2,
        day_of_week: 4,
        month: 12,
        quarter: 4,
        year: 2010,
        day_name: 'Thursday',
        month_name: 'December',
        is_weekend: false,
        is_holiday: false,
      },
      {
        date_id: 20110104,
        date: '2011-01-04',
        day: 4,
        day_of_week: 2,
        month: 1,
        quarter: 1,
        year: 2011,
        day_name: 'Tuesday',
        month_name: 'January',
        is_weekend: false,
        is_holiday: false,
      },
      {
        date_id: 20110105,
        date: '2011-01-05',
        day: 5,
        day_of_week: 3,
        month: 1,
        quarter: 1,
        year: 2011,
        day_name: 'Wednesday',
        month_name: 'January',
        is_weekend: false,
        is_holiday: false,
      },
    ])

    const { rows: products } = await s.db.query<{
      stock_code: string
      description: string
      category: string
    }>('SELECT stock_code, description, category FROM silver.dim_product ORDER BY stock_code')
    expect(products.map((p) => [p.stock_code, p.description, p.category])).toEqual([
      ['22633', 'HAND WARMER RED', 'General'],
      ['71053', 'WHITE METAL LANTERN', 'General'],
      ['84029G', 'Unknown', 'General'],
      ['85123A', 'WHITE HANGING HEART', 'General'],
      ['AMAZONFEE', 'AMAZON FEE', 'General'],
      ['BANK CHARGES', 'Bank Charges', 'Bank Charges'],
      ['C2', 'CARRIAGE', 'Carriage'],
      ['DOT', 'DOTCOM POSTAGE', 'General'],
      ['M', 'Manual', 'Manual'],
      ['POST', 'POSTAGE', 'Postage'],
    ])
    expect(await facts(s.db)).toEqual(EXPECTED_FACTS)
  })

  it('changes nothing when run again on unchanged bronze, incremental or full: no month version moves', async () => {
    const before = await versions(s.db)
    const { rows: stamp } = await s.db.query<{ u: string }>(
      'SELECT max(updated_at) AS u FROM silver.fact_sales_daily',
    )
    const noop = await buildSilver(s.db)
    expect(noop).toMatchObject({ mode: 'incremental', changedDays: 0, changedCodes: 0, changedMonths: [] })
    expect(noop.facts.total).toBe(0)
    const full = await buildSilver(s.db, { full: true })
    expect(full).toMatchObject({ mode: 'full', reason: 'asked' })
    expect(full.dates).toEqual({ total: 4, inserted: 0, updated: 0, unchanged: 4 })
    expect(full.products).toEqual({ total: 10, inserted: 0, updated: 0, unchanged: 10 })
    expect(full.facts).toEqual({ total: 12, inserted: 0, updated: 0, unchanged: 12 })
    expect(full.changedMonths).toEqual([])
    expect(await versions(s.db)).toEqual(before)
    const { rows: after } = await s.db.query<{ u: string }>(
      'SELECT max(updated_at) AS u FROM silver.fact_sales_daily',
    )
    expect(after[0]?.u).toBe(stamp[0]?.u)
  })

  it('re-aggregates only the changed date, updates exactly the affected row and bumps exactly its month', async () => {
    const before = await versions(s.db)
    await s.db.query(`UPDATE bronze.raw_transactions SET unitprice = 60.00 WHERE invoiceno = '536373'`)
    const report = await buildSilver(s.db)
    expect(report).toMatchObject({ mode: 'incremental', changedDays: 1, changedCodes: 1 })
    // 2011-01-04 holds three fact rows; one of them changed.
    expect(report.facts).toEqual({ total: 3, inserted: 0, updated: 1, unchanged: 2 })
    expect(report.changedMonths).toEqual([201101])
    const after = await versions(s.db)
    expect(after[201101]).toBe(before[201101]! + 1)
    expect(after[201012]).toBe(before[201012])
    const changed = (await facts(s.db)).find((f) => f[1] === 'C2')
    expect(changed).toEqual([20110104, 'C2', 'EIRE', 14911, 1, 1, '60.00', '60.00'])
  })

  it('a bronze change that silver does not see (lineage only) makes no month stale', async () => {
    await s.db.query(
      `UPDATE bronze.raw_transactions SET source_file = 'renamed.csv' WHERE invoiceno = '536365'`,
    )
    const report = await buildSilver(s.db)
    expect(report).toMatchObject({ mode: 'incremental', changedDays: 1, changedMonths: [] })
    expect(report.facts).toMatchObject({ updated: 0, inserted: 0 })
  })

  it('deletes rows bronze no longer implies on dates it still has; keeps a vanished date unless prune', async () => {
    // DOT moves from 2011-01-05 (which keeps other lines) to a new date: its old row goes, a new one comes.
    await s.db.query(
      `UPDATE bronze.raw_transactions SET invoicedate = '2011-01-06 09:00' WHERE invoiceno = '536374'`,
    )
    const moved = await buildSilver(s.db)
    expect(moved).toMatchObject({ mode: 'incremental', changedDays: 2, orphans: 0, pruned: 1 })
    expect(moved.facts.inserted).toBe(1)
    expect((await facts(s.db)).filter((f) => f[1] === 'DOT').map((f) => f[0])).toEqual([20110106])
    // Bronze of 2011-01-06 archived (deleted): its silver row stays unless --prune.
    await s.db.query(`DELETE FROM bronze.raw_transactions WHERE invoicedate::date = '2011-01-06'`)
    const kept = await buildSilver(s.db)
    expect(kept).toMatchObject({ orphans: 1, pruned: 0, changedMonths: [] })
    expect(await buildSilver(s.db, { full: true })).toMatchObject({ orphans: 1, pruned: 0 })
    const pruned = await buildSilver(s.db, { full: true, prune: true })
    expect(pruned).toMatchObject({ orphans: 0, pruned: 1, changedMonths: [201101] })
    expect((await facts(s.db)).filter((f) => f[1] === 'DOT')).toEqual([])
  })
})
