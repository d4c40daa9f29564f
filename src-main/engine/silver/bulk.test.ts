import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { backends, suiteScratch } from '../../test-support/scratch.js'
import type { Db } from '../db/types.js'
import { buildSilver } from './build.js'

const FIXTURE = new URL('../../../test/fixtures/silver/bronze.csv', import.meta.url)

/** Every index and constraint of the fact table, by name, with its definition and its oid (rebuilt → new oid). */
async function structures(db: Db): Promise<{ name: string; def: string; oid: number }[]> {
  const { rows } = await db.query<{ name: string; def: string; oid: number }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def, oid::int8 AS oid FROM pg_constraint
     WHERE conrelid = 'silver.fact_sales_daily'::regclass
     UNION ALL
     SELECT i.relname, pg_get_indexdef(i.oid), i.oid::int8 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = 'silver.fact_sales_daily'::regclass
     ORDER BY 1, 2`,
  )
  return rows.map((r) => ({ ...r, oid: Number(r.oid) }))
}

describe.each(backends)('the first silver build on $name (bulk path)', ({ scratch }) => {
  const s = suiteScratch(scratch)

  it("rebuilds only Assay's own indexes and constraints; a user's stay as they are", async () => {
    await s.db.exec(`
      CREATE INDEX my_report_idx ON silver.fact_sales_daily (country, date_id);
      -- A user redefined one of the contract's index names: not Assay's definition, so not Assay's to touch.
      DROP INDEX silver.idx_fact_sales_daily_customer;
      CREATE INDEX idx_fact_sales_daily_customer ON silver.fact_sales_daily (customer_id, country);`)
    await s.db.copyIn(
      'COPY bronze.raw_transactions (invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country) FROM STDIN (FORMAT csv, HEADER)',
      Readable.from([readFileSync(FIXTURE)]),
    )
    const before = await structures(s.db)
    const report = await buildSilver(s.db)
    expect(report.facts).toEqual({ total: 12, inserted: 12, updated: 0, unchanged: 0 })
    expect(report.changedMonths).toEqual([201012, 201101])
    const after = await structures(s.db)
    expect(after.map(({ name, def }) => ({ name, def }))).toEqual(
      before.map(({ name, def }) => ({ name, def })),
    )
    const rebuilt = new Set(
      after.filter((a) => !before.some((b) => b.name === a.name && b.oid === a.oid)).map((a) => a.name),
    )
    expect([...rebuilt].sort()).toEqual(
      [
        'assay_fact_sales_daily_country_product_idx',
        'fact_sales_daily_date_id_fkey',
        'fact_sales_daily_date_id_product_id_country_key',
        'fact_sales_daily_pkey',
        'fact_sales_daily_product_id_fkey',
        'idx_fact_sales_daily_country',
        'idx_fact_sales_daily_date',
        'idx_fact_sales_daily_date_country',
        'idx_fact_sales_daily_product',
        'idx_fact_sales_daily_revenue',
      ].sort(),
    )
    // The rebuilt keys and foreign keys work: the upsert path and the constraints see them.
    const again = await buildSilver(s.db, { full: true })
    expect(again.facts).toEqual({ total: 12, inserted: 0, updated: 0, unchanged: 12 })
    await expect(
      s.db.query(
        `INSERT INTO silver.fact_sales_daily (date_id, product_id, country, total_transactions, total_quantity,
           total_revenue, avg_unit_price) VALUES (20101201, 999999, 'X', 1, 1, 1, 1)`,
      ),
    ).rejects.toThrow(/fact_sales_daily_product_id_fkey/)
  })
})
