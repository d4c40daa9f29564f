import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, type Scratch, suiteScratch } from '../../test-support/scratch.js'
import type { RunHooks } from '../api.js'
import type { Db } from '../db/types.js'
import { planMonthly, runMonthly } from '../monthly/index.js'
import { defaultFixture, loadFixture } from '../reliable/fixture.js'
import { runReliable } from '../reliable/pipeline.js'
import { checkSchema } from '../schema/health.js'
import { initDatabase } from '../schema/init.js'
import { layerStatus } from '../status/layer-status.js'
import { verifyGold } from './verify.js'

/**
 * The damage catalogue (issue #11, docs/reliability.md): each damage is applied to a database a normal run
 * produced, and ends either refused, or detected (by a run's drift check or by `verify`) and repaired, with gold
 * equal to a clean rebuild. Damages run one after another on one database; each test starts from verified-clean gold.
 */
const GOLD = {
  monthly: `SELECT year, month, total_revenue, total_quantity, total_transactions, total_products, total_countries,
              avg_revenue_per_transaction, avg_quantity_per_transaction, unique_customers
            FROM gold.fact_sales_monthly ORDER BY year, month`,
  products: `SELECT product_id, stock_code, description, category, total_revenue, total_quantity, total_transactions,
               total_days_sold, total_countries, avg_revenue_per_day, avg_quantity_per_day,
               avg_revenue_per_transaction, avg_quantity_per_transaction, first_sale_date, last_sale_date
             FROM gold.fact_product_performance ORDER BY product_id`,
  countries: `SELECT country, total_revenue, total_quantity, total_transactions, total_products, total_days_active,
                unique_customers, avg_revenue_per_transaction, avg_quantity_per_transaction, top_product_id,
                top_product_revenue, first_transaction_date, last_transaction_date
              FROM gold.fact_country_sales ORDER BY country COLLATE "C"`,
}

async function gold(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const [name, sql] of Object.entries(GOLD)) out[name] = (await db.query(sql)).rows
  return out
}

/**
 * A database for the enclosing `describe` with the fixture loaded and one normal monthly and reliable run done;
 * `monthly(force)` runs the pending months again.
 */
function afterNormalRuns(scratch: () => Promise<Scratch>, prefix: string) {
  const s = suiteScratch(scratch)
  let logDir = ''
  const hooks = (): RunHooks => ({ trigger: 'cli', stdout: 'none', logDir })
  const monthly = (force = false) => runMonthly(s.db, { scope: { kind: 'pending' }, force }, hooks())
  beforeAll(async () => {
    logDir = mkdtempSync(join(tmpdir(), prefix))
    await loadFixture(s.db, defaultFixture())
    expect((await monthly()).status).toBe('completed')
    expect((await runReliable(s.db, {}, hooks())).status).toBe('completed')
  })
  afterAll(() => rmSync(logDir, { recursive: true, force: true }))
  return { s, hooks, monthly }
}

describe.each(backends)('damage catalogue on $name', ({ scratch }) => {
  const { s, hooks, monthly } = afterNormalRuns(scratch, 'assay-damage-')

  /** Gold now equals what a forced rebuild of every month and both stages computes from silver. */
  async function expectCleanRebuild(): Promise<void> {
    const repaired = await gold(s.db)
    expect((await monthly(true)).status).toBe('completed')
    expect((await runReliable(s.db, {}, hooks())).status).toBe('completed')
    expect(repaired).toEqual(await gold(s.db))
    expect((await verifyGold(s.db, { kind: 'pending' })).clean).toBe(true)
  }

  it('a normal run verifies clean', async () => {
    const report = await verifyGold(s.db, { kind: 'pending' })
    expect(report).toMatchObject({ clean: true, months: [], tables: [], marked: [] })
    expect(report.monthsChecked).toBe(3)
  })

  it('a gold row deleted by hand: the next monthly run finds it (drift check) and recomputes it', async () => {
    await s.db.query('DELETE FROM gold.fact_sales_monthly WHERE year = 2011 AND month = 1')
    const status = await layerStatus(s.db)
    expect(status.drift?.months).toEqual(['2011-01'])
    expect(status.complete).toBe(false)
    expect(status.nextSteps.map((step) => step.commands)).toContainEqual(['assay monthly'])
    const plan = await planMonthly(s.db, { scope: { kind: 'pending' }, force: false, withDiff: true })
    expect(plan.items.map((i) => [i.monthKey, i.reason])).toEqual([['2011-01', 'drifted']])
    const run = await monthly()
    expect(run.done).toEqual(['2011-01'])
    await expectCleanRebuild()
  })

  it('a gold revenue edited by hand: the drift check finds it; verify names the column and the difference', async () => {
    await s.db.query(
      'UPDATE gold.fact_sales_monthly SET total_revenue = total_revenue + 100 WHERE year = 2010 AND month = 12',
    )
    const report = await verifyGold(s.db, { kind: 'pending' }, { mark: false })
    expect(report.clean).toBe(false)
    expect(report.months).toHaveLength(1)
    expect(report.months[0]).toMatchObject({ monthKey: '2010-12', kind: 'drifted' })
    expect(report.months[0]?.changes).toEqual([
      expect.objectContaining({ column: 'total_revenue', delta: '-100.00' }),
    ])
    expect((await monthly()).done).toEqual(['2010-12'])
    await expectCleanRebuild()
  })

  it('a gold count edited by hand (beyond the cheap check): verify finds and marks it, monthly repairs it', async () => {
    await s.db.query(
      'UPDATE gold.fact_sales_monthly SET unique_customers = 999 WHERE year = 2011 AND month = 2',
    )
    expect((await monthly()).done).toEqual([])
    const report = await verifyGold(s.db, { kind: 'pending' })
    expect(report.marked).toEqual(['2011-02'])
    expect(report.months[0]?.reasons).toEqual(['gold differs in unique_customers'])
    const states = await s.db.query<{ status: string }>(
      "SELECT status FROM ops.processed_months WHERE month_key = '2011-02'",
    )
    expect(states.rows).toEqual([{ status: 'drifted' }])
    expect((await monthly()).done).toEqual(['2011-02'])
    await expectCleanRebuild()
  })

  it('silver changed with its triggers bypassed (session_replication_role = replica): verify finds it by content', async () => {
    await s.db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica')
      await tx.query(
        `UPDATE silver.fact_sales_daily SET total_revenue = total_revenue + 7.5
         WHERE id = (SELECT min(id) FROM silver.fact_sales_daily WHERE date_id / 100 = 201101)`,
      )
    })
    const plan = await planMonthly(s.db, { scope: { kind: 'pending' }, force: false, withDiff: false })
    expect(plan.items).toEqual([])
    const report = await verifyGold(s.db, { kind: 'pending' })
    expect(report.marked).toEqual(['2011-01'])
    expect(report.months[0]?.reasons[0]).toMatch(/silver changed without tracking: .*revenue/)
    expect(report.tables.map((t) => t.table).sort()).toEqual([
      'gold.fact_country_sales',
      'gold.fact_product_performance',
    ])
    expect((await monthly()).done).toEqual(['2011-01'])
    expect((await runReliable(s.db, {}, hooks())).status).toBe('completed')
    await expectCleanRebuild()
  })

  it('silver rows deleted with the tracking trigger disabled: verify re-syncs the tracking, monthly repairs', async () => {
    await s.db.exec('ALTER TABLE silver.fact_sales_daily DISABLE TRIGGER assay_track_delete')
    await s.db.query(
      `DELETE FROM silver.fact_sales_daily
       WHERE id IN (SELECT id FROM silver.fact_sales_daily WHERE date_id / 100 = 201012 ORDER BY id LIMIT 2)`,
    )
    await s.db.exec('ALTER TABLE silver.fact_sales_daily ENABLE TRIGGER assay_track_delete')
    const report = await verifyGold(s.db, { kind: 'pending' })
    expect(report.marked).toEqual(['2010-12'])
    expect(report.months[0]?.reasons[0]).toMatch(/ops.silver_months counts \d+ rows, silver has \d+/)
    expect((await monthly()).done).toEqual(['2010-12'])
    expect((await verifyGold(s.db, { kind: 'pending' }, { reliable: false })).clean).toBe(true)
    expect((await runReliable(s.db, {}, hooks())).status).toBe('completed')
    await expectCleanRebuild()
  })

  it('reliable gold edited and deleted by hand: verify names the rows, reliable repairs them', async () => {
    await s.db.query(
      'UPDATE gold.fact_product_performance SET total_quantity = total_quantity + 3 WHERE product_id = 1',
    )
    await s.db.query("DELETE FROM gold.fact_country_sales WHERE country = 'France'")
    const report = await verifyGold(s.db, { kind: 'pending' })
    expect(report.months).toEqual([])
    const byTable = Object.fromEntries(report.tables.map((t) => [t.table, t]))
    expect(byTable['gold.fact_product_performance']).toMatchObject({ differing: 1, missing: 0, extra: 0 })
    expect(byTable['gold.fact_product_performance']?.examples[0]?.changes).toEqual([
      expect.objectContaining({ column: 'total_quantity', delta: '-3' }),
    ])
    expect(byTable['gold.fact_country_sales']).toMatchObject({ differing: 0, missing: 1, extra: 0 })
    expect((await runReliable(s.db, {}, hooks())).status).toBe('completed')
    await expectCleanRebuild()
  })
})

describe.each(backends)('schema damage on $name', ({ scratch }) => {
  const { s, hooks, monthly } = afterNormalRuns(scratch, 'assay-schema-damage-')

  it('init on an intact database finds nothing to repair', async () => {
    expect(await checkSchema(s.db)).toEqual([])
    expect((await initDatabase(s.db)).repaired).toEqual([])
  })

  it('ops.pipeline_logs dropped: status names init, and init recreates it (no dead end)', async () => {
    await s.db.exec('DROP TABLE ops.pipeline_logs')
    const status = await layerStatus(s.db)
    expect(status.nextSteps[0]).toMatchObject({ commands: ['assay init'] })
    expect(status.nextSteps[0]?.why).toMatch(/ops.pipeline_logs/)
    const report = await initDatabase(s.db)
    expect(report.repaired.map((p) => `${p.kind} ${p.name} ${p.state}`)).toContain(
      'table ops.pipeline_logs missing',
    )
    expect(await checkSchema(s.db)).toEqual([])
    expect((await layerStatus(s.db)).nextSteps.flatMap((step) => step.commands)).not.toContain('assay init')
  })

  it.each([
    ['dropped', 'DROP TRIGGER assay_track_update ON silver.fact_sales_daily', 'missing'],
    ['disabled', 'ALTER TABLE silver.fact_sales_daily DISABLE TRIGGER assay_track_update', 'disabled'],
  ])(
    'a tracking trigger %s, silver changed meanwhile: monthly refuses; init restores it and finds the change',
    async (_how, damage, state) => {
      await s.db.exec(damage)
      await s.db.query(
        `UPDATE silver.fact_sales_daily SET total_quantity = total_quantity + 1
       WHERE id = (SELECT min(id) FROM silver.fact_sales_daily WHERE date_id / 100 = 201102)`,
      )
      const refused = await monthly().catch((e: unknown) => e)
      expect(String(refused)).toMatch(
        new RegExp(`trigger silver.fact_sales_daily.assay_track_update is ${state} .* run: assay init`),
      )
      const report = await initDatabase(s.db)
      expect(report.repaired).toEqual([
        expect.objectContaining({ name: 'silver.fact_sales_daily.assay_track_update', state }),
      ])
      expect(report.drifted).toEqual(['2011-02'])
      expect((await monthly()).done).toEqual(['2011-02'])
      expect((await runReliable(s.db, {}, hooks())).status).toBe('completed')
      expect((await verifyGold(s.db, { kind: 'pending' })).clean).toBe(true)
      await s.db.query(
        `UPDATE silver.fact_sales_daily SET total_quantity = total_quantity - 1
       WHERE id = (SELECT min(id) FROM silver.fact_sales_daily WHERE date_id / 100 = 201102)`,
      )
      expect((await monthly()).done).toEqual(['2011-02'])
      expect((await runReliable(s.db, {}, hooks())).status).toBe('completed')
    },
  )

  it("the monthly upsert's unique key dropped: monthly refuses, init recreates it", async () => {
    await s.db.exec('DROP INDEX ops.processed_months_month_key_key')
    const refused = await monthly().catch((e: unknown) => e)
    expect(String(refused)).toMatch(/ops.processed_months has no unique constraint on \(month_key\)/)
    expect((await initDatabase(s.db)).repaired).toEqual([
      expect.objectContaining({
        kind: 'index',
        name: 'ops.processed_months_month_key_key',
        state: 'missing',
      }),
    ])
    expect((await monthly()).status).toBe('completed')
  })

  it('a notify trigger and a tracking function dropped: init recreates both', async () => {
    await s.db.exec('DROP TRIGGER assay_notify ON ops.pipeline_runs')
    await s.db.exec('DROP FUNCTION ops.track_silver_truncate() CASCADE')
    const names = (await initDatabase(s.db)).repaired.map((p) => p.name).sort()
    expect(names).toEqual([
      'ops.pipeline_runs.assay_notify',
      'ops.track_silver_truncate',
      'silver.fact_sales_daily.assay_track_truncate',
    ])
    expect(await checkSchema(s.db)).toEqual([])
    const report = await verifyGold(s.db, { kind: 'pending' })
    expect(report, JSON.stringify(report)).toMatchObject({ clean: true })
  })
})
