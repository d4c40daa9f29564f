import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, type Scratch } from '../test-support/scratch.js'
import { BOUNDS } from './bounds.js'
import { ingestFile } from './ingest/ingest.js'
import { runMonthly } from './monthly/index.js'
import { runReliable } from './reliable/pipeline.js'
import { initDatabase } from './schema/init.js'
import { buildSilver } from './silver/build.js'
import { layerStatus } from './status/layer-status.js'

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'
const quiet = (logDir: string) => ({ trigger: 'cli' as const, stdout: 'none' as const, logDir })

/**
 * One window of accepted values (engine/bounds.ts): ingest rejects what is outside it, silver leaves out bronze
 * lines outside it and refuses rows outside it, and the largest values it accepts flow through every pipeline.
 */
describe.each(backends)('bounds on $name', ({ scratch }) => {
  let s: Scratch
  let dir: string
  beforeAll(async () => {
    s = await scratch()
    dir = mkdtempSync(join(tmpdir(), 'assay-bounds-'))
  })
  afterAll(async () => {
    await s.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('ingest rejects a line dated 1900 and a quantity of 1,000,000,000, each with its reason', async () => {
    const path = join(dir, 'edges.csv')
    writeFileSync(
      path,
      [
        HEADER,
        // The largest values accepted: quantity ±1,000,000 at the highest price, on the window's first and last days.
        '500001,BIG1,biggest,1000000,01/01/1990 00:00,10000,12345,United Kingdom',
        '500001,BIG1,biggest,1000000,01/01/1990 00:00,10000,12345,United Kingdom',
        '500002,BIG2,biggest,1000000,31/12/2100 23:59,10000,,France',
        'C500003,BIG1,biggest,-1000000,02/01/1990 10:00,10000,12345,United Kingdom',
        '500004,OLD,too old,1,01/01/1900 00:00,1,1,United Kingdom',
        '500005,HUGE,too many,1000000000,13/01/1990 10:00,1,1,United Kingdom',
      ].join('\n'),
    )
    const report = await ingestFile(s.db, path)
    expect(report).toMatchObject({ loaded: 4, rejected: 2 })
    const { rows } = await s.db.query<{ line_number: number; reason: string }>(
      'SELECT line_number, reason FROM bronze.rejected_lines ORDER BY line_number',
    )
    expect(rows).toEqual([
      {
        line_number: 6,
        reason: 'invoice date 1900-01-01 is outside the supported window 1990-01-01…2100-12-31',
      },
      {
        line_number: 7,
        reason: "quantity 1000000000 is outside ±1,000,000 (a larger value would overflow gold's columns)",
      },
    ])
  })

  it("an incremental build counts a line dated at the timestamp type's edge as out of bounds and goes on", async () => {
    await buildSilver(s.db)
    await s.db.query(
      `INSERT INTO bronze.raw_transactions (invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country)
       VALUES ('600003', 'EDGE', 'by hand', 1, '294276-12-31 23:59', 1, '1', 'United Kingdom'),
              ('600004', 'EDGE', 'by hand', 1, '4713-01-01 00:00 BC', 1, '1', 'United Kingdom')`,
    )
    const report = await buildSilver(s.db)
    expect(report.mode).toBe('incremental')
    expect(report.outOfBounds).toBe(2)
    await s.db.query(`DELETE FROM bronze.raw_transactions WHERE invoiceno IN ('600003', '600004')`)
    expect((await buildSilver(s.db)).outOfBounds).toBe(0)
  })

  it('silver leaves out bronze lines outside the bounds that another tool wrote, and says so', async () => {
    await s.db.query(
      `INSERT INTO bronze.raw_transactions (invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country)
       VALUES ('600001', 'OLD', 'by hand', 1, '1900-01-01', 1, '1', 'United Kingdom'),
              ('600002', 'HUGE', 'by hand', 1000000000, '1990-01-15', 1, '1', 'United Kingdom')`,
    )
    const report = await buildSilver(s.db)
    expect(report.outOfBounds).toBe(2)
    const { rows } = await s.db.query<{ date_id: number; total_quantity: number }>(
      'SELECT date_id, total_quantity FROM silver.fact_sales_daily ORDER BY date_id',
    )
    expect(rows).toEqual([
      { date_id: 19900101, total_quantity: 2_000_000 },
      { date_id: 21001231, total_quantity: 1_000_000 },
    ])
    const months = await s.db.query<{ yyyymm: number }>(
      'SELECT yyyymm FROM ops.silver_months WHERE row_count > 0 ORDER BY 1',
    )
    expect(months.rows.map((r) => r.yyyymm)).toEqual([199001, 210012])
  })

  it('refuses a silver row outside the date window (a constraint, not a silent month nobody sees)', async () => {
    const error = await s.db
      .query(
        `INSERT INTO silver.fact_sales_daily (date_id, product_id, country, customer_id, total_transactions,
           total_quantity, total_revenue, avg_unit_price)
         SELECT 99990101, product_id, 'X', 1, 1, 1, 1, 1 FROM silver.dim_product LIMIT 1`,
      )
      .catch((e: unknown) => e)
    expect(String(error)).toMatch(/fact_sales_daily_date_id_window/)
  })

  it('the largest accepted values flow through monthly and reliable without overflowing gold', async () => {
    const monthly = await runMonthly(s.db, { scope: { kind: 'pending' }, force: false }, quiet(dir))
    expect(monthly.status).toBe('completed')
    const reliable = await runReliable(s.db, {}, quiet(dir))
    expect(reliable.status).toBe('completed')
    const { rows } = await s.db.query<{ total_revenue: string; avg_quantity_per_transaction: string }>(
      'SELECT total_revenue, avg_quantity_per_transaction FROM gold.fact_sales_monthly ORDER BY year, month',
    )
    expect(rows).toEqual([
      { total_revenue: '20000000000.00', avg_quantity_per_transaction: '2000000.00' },
      { total_revenue: '10000000000.00', avg_quantity_per_transaction: '1000000.00' },
    ])
    const product = await s.db.query<{ total_revenue: string }>(
      `SELECT g.total_revenue FROM gold.fact_product_performance g JOIN silver.dim_product p USING (product_id)
       WHERE p.stock_code = 'BIG1'`,
    )
    expect(product.rows).toEqual([{ total_revenue: '20000000000.00' }])
    expect(BOUNDS.maxQuantity * BOUNDS.maxPrice).toBe(1e10)
  })

  it('a silver row outside the window from before the constraint: status names it, silver --prune removes it, init restores the constraint', async () => {
    await s.db.exec('ALTER TABLE silver.fact_sales_daily DROP CONSTRAINT fact_sales_daily_date_id_window')
    await s.db.exec(`INSERT INTO silver.dim_date (date_id, date, day, day_of_week, month, quarter, year, day_name,
        month_name, is_weekend) VALUES (99990101, '9999-01-01', 1, 5, 1, 1, 9999, 'Friday', 'January', false)`)
    await s.db.exec(`INSERT INTO silver.fact_sales_daily (date_id, product_id, country, customer_id,
        total_transactions, total_quantity, total_revenue, avg_unit_price)
      SELECT 99990101, product_id, 'X', 1, 1, 1, 1, 1 FROM silver.dim_product LIMIT 1`)
    const status = await layerStatus(s.db)
    expect(status.drift?.outsideWindow).toEqual(['9999-01'])
    expect(status.nextSteps).toContainEqual(
      expect.objectContaining({ commands: ['assay silver --full --prune'] }),
    )
    const pruned = await buildSilver(s.db, { prune: true, full: true })
    expect(pruned, JSON.stringify(pruned)).toMatchObject({ pruned: 1 })
    expect((await layerStatus(s.db)).drift?.outsideWindow).toEqual([])
    const init = await initDatabase(s.db)
    expect(init.repaired.map((p) => p.name)).toEqual([
      'silver.fact_sales_daily.fact_sales_daily_date_id_window',
    ])
  })
})
