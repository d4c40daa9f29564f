import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, itOn, type Scratch } from '../../test-support/scratch.js'
import { waitFor } from '../../test-support/wait.js'
import type { Db } from '../db/types.js'
import { loadDemo } from '../demo/demo.js'
import { ingestFile } from '../ingest/ingest.js'
import { buildSilver, type SilverReport } from './build.js'

/** Silver by natural keys (product ids differ between an incremental history and a fresh build). */
async function snapshot(db: Db): Promise<{ facts: string[]; products: string[]; dates: string[] }> {
  const text = async (sql: string) => (await db.query<{ r: string }>(sql)).rows.map((x) => x.r)
  return {
    facts: await text(
      `SELECT concat_ws('|', f.date_id, p.stock_code, f.country, f.customer_id, f.total_transactions,
                        f.total_quantity, f.total_revenue, f.avg_unit_price) AS r
       FROM silver.fact_sales_daily f JOIN silver.dim_product p USING (product_id) ORDER BY 1`,
    ),
    // Dimension rows outlive their last bronze line in any build (only facts are pruned): compare those bronze has.
    products: await text(
      `SELECT concat_ws('|', stock_code, description, category) AS r FROM silver.dim_product
       WHERE stock_code IN (SELECT stockcode FROM bronze.raw_transactions) ORDER BY 1`,
    ),
    dates: await text(
      `SELECT concat_ws('|', date_id, date, day_of_week, month_name, is_weekend) AS r FROM silver.dim_date
       WHERE date IN (SELECT invoicedate::date FROM bronze.raw_transactions) ORDER BY 1`,
    ),
  }
}

/** A from-scratch build of the same bronze: silver emptied, then built. */
async function fromScratch(db: Db): Promise<Awaited<ReturnType<typeof snapshot>>> {
  await db.exec(
    'TRUNCATE silver.fact_sales_daily, silver.dim_product, silver.dim_date RESTART IDENTITY CASCADE',
  )
  const report = await buildSilver(db)
  expect(report.mode).toBe('full')
  return snapshot(db)
}

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'

/** A month after the demo's last (2011-12): new dates, a known code with a new description, a new code. */
const NEW_MONTH = [
  HEADER,
  '700001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,02/01/2012 08:26,2.55,17850,United Kingdom',
  '700001,NEWCODE,BRAND NEW THING,3,02/01/2012 08:26,4.00,17850,United Kingdom',
  '700002,NEWCODE,BRAND NEW THING,1,15/01/2012 10:00,4.00,,France',
  'C700003,NEWCODE,BRAND NEW THING,-1,16/01/2012 10:00,4.00,12583,France',
].join('\n')

/**
 * Each step changes bronze the way a user or another tool would, then builds incrementally in `db`, and compares
 * with a from-scratch build of identical bronze in `ref`.
 */
describe.each(backends)('incremental silver on $name equals a from-scratch build', ({ name, scratch }) => {
  let s: Scratch
  let ref: Scratch
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'assay-silver-'))
    s = await scratch()
    ref = await scratch()
    for (const db of [s.db, ref.db]) await loadDemo(db, { scale: 0.01, seed: 7 })
    expect((await buildSilver(s.db)).mode).toBe('full')
  })
  afterAll(async () => {
    await s?.dispose()
    await ref?.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  /** The lines per (stock code, description) the build keeps, and the same counted from bronze now. */
  async function counts(db: Db): Promise<{ kept: string[]; bronze: string[] }> {
    const text = async (sql: string) => (await db.query<{ r: string }>(sql)).rows.map((x) => x.r)
    return {
      kept: await text(`SELECT concat_ws('|', stockcode, description, lines) AS r FROM ops.silver_product_counts
                        WHERE lines <> 0 ORDER BY 1`),
      bronze: await text(`SELECT concat_ws('|', stockcode, COALESCE(description, ''), count(*)) AS r
                          FROM bronze.raw_transactions GROUP BY stockcode, COALESCE(description, '') ORDER BY 1`),
    }
  }

  async function step(change: (db: Db) => Promise<unknown>): Promise<SilverReport> {
    await change(s.db)
    await change(ref.db)
    const report = await buildSilver(s.db)
    expect(report.mode).toBe('incremental')
    // Products are derived from the kept counts, folded from the log: they must equal a recount of bronze.
    const kept = await counts(s.db)
    expect(kept.kept).toEqual(kept.bronze)
    expect(await snapshot(s.db)).toEqual(await fromScratch(ref.db))
    return report
  }

  it('after edits of quantity, price, description, date and country', async () => {
    const report = await step((db) =>
      db.exec(`
        UPDATE bronze.raw_transactions SET quantity = quantity + 1 WHERE id % 97 = 0;
        UPDATE bronze.raw_transactions SET unitprice = unitprice * 2 WHERE id % 89 = 0 AND unitprice < 100;
        UPDATE bronze.raw_transactions SET description = 'RENAMED' WHERE id % 7 = 0 AND stockcode IN
          (SELECT stockcode FROM bronze.raw_transactions GROUP BY stockcode ORDER BY stockcode LIMIT 3);
        UPDATE bronze.raw_transactions SET invoicedate = invoicedate + interval '1 day' WHERE id % 101 = 0;
        UPDATE bronze.raw_transactions SET country = 'Iceland' WHERE id % 103 = 0;`),
    )
    expect(report.facts.updated + report.facts.inserted).toBeGreaterThan(0)
    expect(report.pruned).toBeGreaterThan(0)
  })

  it("after lines that change a product's most common description, then a missing description", async () => {
    const code = `(SELECT stockcode FROM bronze.raw_transactions WHERE description IS NOT NULL
                   GROUP BY stockcode ORDER BY count(*) DESC, stockcode LIMIT 1)`
    const more = `INSERT INTO bronze.raw_transactions (invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country)
      SELECT '810000', ${code}, 'THE NEW NAME', 1, '2011-06-01 10:00', 1.00, NULL, 'Malta' FROM generate_series(1, 500)`
    const flipped = await step((db) => db.exec(more))
    expect(flipped.products.updated).toBe(1)
    // Most of those lines lose their description: the old one wins again.
    const back = await step((db) =>
      db.exec(`UPDATE bronze.raw_transactions SET description = NULL WHERE invoiceno = '810000' AND quantity = 1
               AND id % 5 <> 0`),
    )
    expect(back.products.updated).toBe(1)
  })

  it('after deletes, and lines written by another tool (plain INSERT)', async () => {
    const report = await step((db) =>
      db.exec(`
        DELETE FROM bronze.raw_transactions WHERE id % 53 = 0;
        INSERT INTO bronze.raw_transactions (invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country)
        VALUES ('800001', 'OTHERTOOL', 'FROM ANOTHER TOOL', 2, '2011-03-15 12:00', 1.50, '12345', 'Norway'),
               ('800002', '85123A', 'WHITE HANGING HEART T-LIGHT HOLDER', 5, '2011-03-15 12:30', 2.55, NULL, 'Norway');`),
    )
    expect(report.changedDays).toBeGreaterThan(1)
  })

  it('after ingesting a file that adds a new month: only that month becomes stale', async () => {
    const path = join(dir, 'jan-2012.csv')
    writeFileSync(path, NEW_MONTH)
    const report = await step((db) => ingestFile(db, path))
    expect(report).toMatchObject({ changedDays: 3, changedMonths: [201201] })
    expect(report.facts).toMatchObject({ total: 3, inserted: 3, updated: 0 })
  })

  it("after deleting a file's lines and ingesting it again", async () => {
    const path = join(dir, 'jan-2012.csv')
    const report = await step(async (db) => {
      await db.exec(`DELETE FROM bronze.raw_transactions WHERE source_file = 'jan-2012.csv';
                     DELETE FROM bronze.ingested_files WHERE file_name = 'jan-2012.csv'`)
      await ingestFile(db, path)
    })
    // Same lines back: silver already right, no month stale.
    expect(report).toMatchObject({ changedDays: 3, changedMonths: [] })
  })

  itOn(name, 'postgres')(
    'after a bronze write that commits while a build runs (picked up by the next)',
    async () => {
      const insert = `INSERT INTO bronze.raw_transactions (invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country)
      VALUES ('900001', 'INFLIGHT', 'WRITTEN DURING A BUILD', 4, '2011-05-20 10:00', 3.00, '13000', 'Spain')`
      const session = await s.db.session()
      try {
        await session.query('BEGIN')
        await session.query(insert)
        // The build neither waits for the open write nor takes its log rows.
        const during = await buildSilver(s.db)
        expect(during.changedMonths).toEqual([])
        await session.query('COMMIT')
      } finally {
        await session.release()
      }
      const report = await step((db) => (db === s.db ? Promise.resolve() : db.query(insert)))
      expect(report).toMatchObject({ changedDays: 1, changedMonths: [201105] })
    },
  )

  itOn(name, 'postgres')(
    'while another writer deletes a fact row: the build waits for its transaction, then puts the row back',
    async () => {
      // A bronze line on a date silver has: that date is in the next build's scope.
      const line = `INSERT INTO bronze.raw_transactions (invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country)
        SELECT '910001', stockcode, description, 4, invoicedate, 1.25, '12345', 'Atlantis' FROM bronze.raw_transactions
        WHERE quantity > 0 AND unitprice > 0 ORDER BY id LIMIT 1`
      for (const db of [s.db, ref.db]) await db.exec(line)
      // Another tool deletes a fact row of that date that bronze still implies, and has not committed yet.
      const session = await s.db.session()
      try {
        await session.query('BEGIN')
        await session.query(`DELETE FROM silver.fact_sales_daily WHERE id = (
          SELECT min(f.id) FROM silver.fact_sales_daily f JOIN silver.dim_date d USING (date_id)
          WHERE d.date = (SELECT invoicedate::date FROM bronze.raw_transactions WHERE invoiceno = '910001'))`)
        const build = buildSilver(s.db)
        build.catch(() => undefined)
        // The build waits for the table: one that went on would still see the row, and leave it deleted.
        await waitFor('the build to wait for the writer', async () => {
          const { rows } = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'relation'`)
          return rows[0]!.n > 0
        })
        await session.query('COMMIT')
        const report = await build
        expect(report.facts).toMatchObject({ inserted: 2, updated: 0 })
      } finally {
        await session.release()
      }
      expect(await snapshot(s.db)).toEqual(await fromScratch(ref.db))
    },
  )

  it('after a TRUNCATE and reload of bronze (a full build, and still equal)', async () => {
    for (const db of [s.db, ref.db]) {
      await db.exec('TRUNCATE bronze.raw_transactions')
      await loadDemo(db, { scale: 0.01, seed: 7 })
    }
    // prune: the new month's dates are gone from bronze now, and this time they should go from silver too.
    const report = await buildSilver(s.db, { prune: true })
    expect(report).toMatchObject({ mode: 'full', reason: 'truncated' })
    expect(report.changedMonths).toContain(201201)
    expect(await snapshot(s.db)).toEqual(await fromScratch(ref.db))
  })
})
