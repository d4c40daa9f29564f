import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../src-main/engine/db/migrate.js'
import { PgDb } from '../src-main/engine/db/pg.js'
import { checkState, diffGold, isInflated, snapshotGold } from './checks.js'
import { createDatabase, dropDatabase, newName, pool, type Sql, server, sqlOf } from './db.js'
import { oracleDisagreements, syntheticSilver } from './fixture.js'

let name: string
let sql: Sql
let end: () => Promise<void>

/** Gold computed by hand from silver, as a stand-in for `assay monthly` (the harness's checks are under test). */
const FILL_GOLD = `
  INSERT INTO gold.fact_sales_monthly (year, month, total_revenue, total_quantity, total_transactions, total_products, total_countries)
  SELECT date_id / 10000, (date_id / 100) % 100, sum(total_revenue), sum(total_quantity), sum(total_transactions),
         count(DISTINCT product_id), count(DISTINCT country)
  FROM silver.fact_sales_daily GROUP BY 1, 2;
  INSERT INTO ops.processed_months (month_key, year, month, status, silver_version)
  SELECT lpad(year::text, 4, '0') || '-' || lpad(month::text, 2, '0'), year, month, 'completed', version FROM ops.silver_months;`

describe('checks', () => {
  beforeAll(async () => {
    name = await createDatabase(newName('checks'))
    const db = await PgDb.open({ ...server, database: name })
    await migrate(db)
    await db.close()
    const p = pool(name, 1)
    sql = sqlOf(p)
    end = () => p.end()
    await syntheticSilver(sql, 0.002, 7)
    await sql(FILL_GOLD)
  })
  afterAll(async () => {
    await end()
    await dropDatabase(name)
  })

  it('a snapshot equals itself and agrees with the contract sums', async () => {
    const a = await snapshotGold(sql)
    const b = await snapshotGold(sql)
    expect(a['gold.fact_sales_monthly']!.size).toBe(13)
    expect(diffGold(a, b)).toEqual([])
    expect(await oracleDisagreements(sql, a)).toEqual([])
    const state = await checkState(sql)
    expect(state.monthsWithData).toHaveLength(13)
    expect(state).toMatchObject({ notCompleted: [], stale: [], processedTwice: [], stuckRuns: [] })
  })

  it('finds inflated, changed, missing and extra rows, and formatting differences (12.3 vs 12.30)', async () => {
    const reference = await snapshotGold(sql)
    await sql(`UPDATE gold.fact_sales_monthly SET total_revenue = total_revenue * 2 WHERE month = 1`)
    await sql(`UPDATE gold.fact_sales_monthly SET total_countries = total_countries - 1 WHERE month = 2`)
    await sql(`DELETE FROM gold.fact_sales_monthly WHERE month = 3`)
    await sql(`INSERT INTO gold.fact_sales_monthly (year, month) VALUES (2012, 1)`)
    const differences = diffGold(reference, await snapshotGold(sql))
    const byKey = Object.fromEntries(differences.map((d) => [d.key, d]))
    expect(Object.keys(byKey).sort()).toEqual(['2011-01', '2011-02', '2011-03', '2012-01'])
    expect(isInflated(byKey['2011-01']!)).toBe(true)
    expect(isInflated(byKey['2011-02']!)).toBe(false)
    expect(byKey['2011-03']!.kind).toBe('missing')
    expect(byKey['2012-01']!.kind).toBe('extra')
    expect(isInflated(byKey['2012-01']!)).toBe(true)
    expect(await oracleDisagreements(sql, await snapshotGold(sql))).not.toEqual([])
    await sql('TRUNCATE gold.fact_sales_monthly, ops.processed_months')
    await sql(FILL_GOLD)
  })

  it('reports months not completed, stale months, double processing and stuck runs', async () => {
    await sql(`UPDATE ops.processed_months SET status = 'failed' WHERE month_key = '2011-04'`)
    await sql(`UPDATE silver.fact_sales_daily SET total_quantity = total_quantity + 1
               WHERE id = (SELECT min(id) FROM silver.fact_sales_daily WHERE date_id / 100 = 201105)`)
    await sql(`INSERT INTO ops.pipeline_checkpoint (pipeline_name, run_id, stage, checkpoint_key, status)
               VALUES ('p', 'r1', 'monthly_aggregate', '2011-06', 'completed'),
                      ('p', 'r2', 'monthly_aggregate', '2011-06', 'completed'),
                      ('p', 'r3', 'monthly_aggregate', '2011-07', 'completed'),
                      ('p', 'r4', 'monthly_aggregate', '2011-07', 'completed')`)
    await sql(`INSERT INTO ops.pipeline_runs (run_id, pipeline_name, pipeline, trigger, status)
               VALUES ('stuck-1', 'p', 'monthly', 'cli', 'running')`)
    const state = await checkState(sql, { allowed: (month) => (month === '2011-07' ? 2 : 1) })
    expect(state.notCompleted).toEqual([{ month: '2011-04', status: 'failed' }])
    expect(state.stale).toEqual(['2011-05'])
    expect(state.processedTwice).toEqual([{ month: '2011-06', completions: 2, allowed: 1 }])
    expect(state.stuckRuns).toEqual(['stuck-1'])
  })
})
