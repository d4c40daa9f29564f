import { PgDb } from '../../src-main/engine/db/pg.js'
import { runMonthly } from '../../src-main/engine/monthly/index.js'
import { type GoldRow, snapshotGold } from '../checks.js'
import { createDatabase, dropDatabase, newName, pool, server, sqlOf } from '../db.js'
import type { Rng } from '../rng.js'
import { LOG_DIR, sleep, waitFor } from '../runner.js'
import type { FaultFamily, Trial } from '../trial.js'
import { monthInProgress, runRegistered, slowMonths } from './common.js'

/**
 * 6. Silver changes while a run is in flight (updates, inserts, deletes, a new month). Right after the run,
 * each month must be either stale (its silver version moved) or correct for the silver it claims; after a
 * normal rerun, gold must equal a clean run over the changed silver. The same statements replayed on a fresh
 * copy of the template give that clean reference.
 */
const VARIANTS = ['update', 'insert', 'delete', 'new-month', 'in-flight', 'burst'] as const
type Kind = 'update' | 'insert' | 'delete' | 'new-month'

function ym(month: string): number {
  return Number(month.replace('-', ''))
}

/** A deterministic statement changing one month of silver (replayable on another copy). */
function mutation(kind: Kind, month: string, rng: Rng): string {
  const m = ym(month)
  const n = rng.int(1, 3)
  switch (kind) {
    case 'update':
      return `UPDATE silver.fact_sales_daily SET total_quantity = total_quantity + ${n}, total_revenue = total_revenue + ${n}.25
              WHERE id IN (SELECT id FROM silver.fact_sales_daily WHERE date_id / 100 = ${m} ORDER BY id LIMIT ${n})`
    case 'delete':
      return `DELETE FROM silver.fact_sales_daily
              WHERE id IN (SELECT id FROM silver.fact_sales_daily WHERE date_id / 100 = ${m} ORDER BY id DESC LIMIT ${n})`
    case 'insert':
      return `INSERT INTO silver.fact_sales_daily (date_id, product_id, country, customer_id, total_transactions, total_quantity, total_revenue, avg_unit_price)
              SELECT date_id, product_id, 'Torture ${rng.int(1, 1_000_000)}', 99999, 2, ${n * 5}, ${n * 7}.50, 1.50
              FROM silver.fact_sales_daily WHERE date_id / 100 = ${m} ORDER BY id LIMIT 1`
    case 'new-month':
      return `INSERT INTO silver.dim_date (date_id, date, day, day_of_week, month, quarter, year, day_name, month_name, is_weekend)
              VALUES (20120115, '2012-01-15', 15, 0, 1, 1, 2012, 'Sunday', 'January', true) ON CONFLICT DO NOTHING;
              INSERT INTO silver.fact_sales_daily (date_id, product_id, country, customer_id, total_transactions, total_quantity, total_revenue, avg_unit_price)
              SELECT 20120115, min(product_id), 'Torture ${rng.int(1, 1_000_000)}', -1, 1, ${n}, ${n}.00, 1.00 FROM silver.dim_product`
  }
}

/**
 * One normal monthly run, in this process (the engine's own code, without paying a CLI start-up per trial).
 * Throws unless it completed.
 */
async function cleanRun(database: string): Promise<void> {
  const db = await PgDb.open({ ...server, kind: 'postgres', database, source: 'torture' }, { max: 2 })
  try {
    const summary = await runMonthly(
      db,
      { scope: { kind: 'pending' }, force: false },
      { trigger: 'cli', stdout: 'none', logDir: LOG_DIR },
    )
    if (summary.status !== 'completed')
      throw new Error(`clean reference run ${summary.status}: ${summary.error}`)
  } finally {
    await db.close()
  }
}

/** The gold a clean run produces over the template's silver changed by `statements`. */
async function cleanReference(trial: Trial, statements: string[]) {
  const name = await createDatabase(newName(`sref${trial.index}`), trial.suite.template)
  try {
    const p = pool(name, 1)
    try {
      const sql = sqlOf(p)
      for (const statement of statements) await sql(statement)
      await cleanRun(name)
      return await snapshotGold(sql, ['gold.fact_sales_monthly'])
    } finally {
      await p.end()
    }
  } finally {
    await dropDatabase(name)
  }
}

export const silverChange: FaultFamily = {
  name: 'silver changes mid-run',
  title:
    'silver.fact_sales_daily changed during a run: months end stale or reprocessed, never silently wrong',
  async run(trial) {
    const { rng } = trial
    const variant = trial.pickVariant(VARIANTS)
    const months = trial.suite.months
    const delay = rng.int(30, 90)
    const child = trial.monthly([], { faults: slowMonths(delay) })
    const gone = () => !child.running
    await waitFor(() => runRegistered(trial), { timeoutMs: 30_000, until: gone })
    const statements: string[] = []
    const touched = new Set<string>()
    const count = variant === 'burst' ? rng.int(3, 6) : 1
    for (let i = 0; i < count; i++) {
      await sleep(rng.int(0, (months.length * delay) / count))
      const kind: Kind =
        variant === 'burst' || variant === 'in-flight'
          ? rng.pick(['update', 'insert', 'delete'] as const)
          : variant
      let month = rng.pick(months)
      if (variant === 'in-flight') {
        await waitFor(async () => (await monthInProgress(trial)) !== undefined, {
          timeoutMs: 3000,
          until: gone,
        })
        month = (await monthInProgress(trial)) ?? month
      }
      if (kind === 'new-month') month = '2012-01'
      const statement = mutation(kind, month, rng)
      await trial.sql(statement)
      statements.push(statement)
      touched.add(month)
    }
    const result = await child.done
    trial.expectExit('runner', result, [0])
    trial.note(`changed ${[...touched].join(', ')}; runner exited ${result.code} after ${result.ms} ms`)
    // Right after the run: a month recorded as up to date with silver must hold exactly what a clean run gives.
    const claims = await trial.sql<{ month_key: string }>(
      `SELECT p.month_key FROM ops.processed_months p JOIN ops.silver_months s ON s.year = p.year AND s.month = p.month
       WHERE p.status = 'completed' AND p.silver_version = s.version`,
    )
    const after = (await snapshotGold(trial.sql, ['gold.fact_sales_monthly']))['gold.fact_sales_monthly']!
    const reference = await cleanReference(trial, statements)
    trial.reference = reference
    const clean = reference['gold.fact_sales_monthly']!
    for (const { month_key } of claims) {
      const got = after.get(month_key)
      const want = clean.get(month_key)
      if (!sameRow(got, want))
        trial.fail(
          `silently wrong: ${month_key} claims to match silver but differs from a clean run (${describeDifference(want, got)})`,
        )
    }
    // A changed month may be processed again by the rerun: once by the run, once more after going stale.
    for (const month of touched) trial.allowExtra(month)
  },
}

function sameRow(a: GoldRow | undefined, b: GoldRow | undefined): boolean {
  if (!a || !b) return a === b
  return Object.keys(b).every((column) => a[column] === b[column])
}

function describeDifference(want: GoldRow | undefined, got: GoldRow | undefined): string {
  if (!want || !got) return `${got ? 'present' : 'missing'} vs clean ${want ? 'present' : 'missing'}`
  return Object.keys(want)
    .filter((column) => want[column] !== got[column])
    .map((column) => `${column} ${got[column]} vs ${want[column]}`)
    .join(', ')
}
