import { assertMigrated } from '../db/migrate.js'
import type { Db, Queryable } from '../db/types.js'
import { AssayError } from '../errors.js'
import {
  COUNT_ORPHANS,
  COUNT_OUT_OF_BOUNDS,
  DELETE_ORPHANS,
  FACT_SOURCE,
  SILVER_VERSIONS,
  UPSERT_DIM_DATE,
  UPSERT_DIM_PRODUCT,
  UPSERT_FACT,
} from './sql.js'

/** What one upsert did: rows bronze implies, and how many of them were new, changed or already right. */
export interface UpsertCounts {
  total: number
  inserted: number
  updated: number
  unchanged: number
}

export interface SilverReport {
  dates: UpsertCounts
  products: UpsertCounts
  facts: UpsertCounts
  /** Fact rows bronze no longer implies: deleted with `prune`, otherwise only counted. */
  orphans: number
  pruned: number
  /** Bronze lines left out because they are outside the supported bounds (BOUNDS_TEXT), e.g. dated 1900. */
  outOfBounds: number
  /** Months (yyyymm) whose silver version moved: their gold is now stale. */
  changedMonths: number[]
  seconds: number
}

export interface SilverOptions {
  /** Delete fact rows that bronze no longer implies. Off by default: silver may hold rows whose bronze was archived. */
  prune?: boolean
}

async function upsert(tx: Queryable, name: string, text: string): Promise<UpsertCounts> {
  const { rows } = await tx.query<{ total: number; inserted: number; updated: number }>({ name, text })
  const r = rows[0] ?? { total: 0, inserted: 0, updated: 0 }
  return { ...r, unchanged: r.total - r.inserted - r.updated }
}

async function versions(tx: Queryable): Promise<Map<number, number>> {
  const { rows } = await tx.query<{ yyyymm: number; version: number }>(SILVER_VERSIONS)
  return new Map(rows.map((r) => [r.yyyymm, Number(r.version)]))
}

/**
 * Builds silver.dim_date, silver.dim_product and silver.fact_sales_daily from bronze, per the upstream
 * contract, in one transaction. Re-running on unchanged bronze changes no row and so leaves every month's
 * silver version (and with it gold's freshness) alone.
 */
export async function buildSilver(db: Db, options: SilverOptions = {}): Promise<SilverReport> {
  await assertMigrated(db)
  const started = performance.now()
  const { rows } = await db.query<{ any: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM bronze.raw_transactions) AS any',
  )
  if (!rows[0]?.any) {
    throw new AssayError(
      'bronze_empty',
      'bronze.raw_transactions is empty: nothing to build — run: assay demo --scale 0.2, or assay ingest <file>',
    )
  }
  return db.transaction(async (tx) => {
    const before = await versions(tx)
    const dates = await upsert(tx, 'silver/dim-date', UPSERT_DIM_DATE)
    const products = await upsert(tx, 'silver/dim-product', UPSERT_DIM_PRODUCT)
    await tx.exec(FACT_SOURCE)
    const facts = await upsert(tx, 'silver/fact', UPSERT_FACT)
    const orphans = (await tx.query<{ n: number }>(COUNT_ORPHANS)).rows[0]?.n ?? 0
    const pruned = options.prune && orphans > 0 ? (await tx.query(DELETE_ORPHANS)).rowCount : 0
    const outOfBounds = (await tx.query<{ n: number }>(COUNT_OUT_OF_BOUNDS)).rows[0]?.n ?? 0
    const after = await versions(tx)
    const changedMonths = [...after.keys()].filter((m) => before.get(m) !== after.get(m))
    await tx.exec('DROP TABLE IF EXISTS assay_fact_src')
    return {
      dates,
      products,
      facts,
      orphans,
      pruned,
      outOfBounds,
      changedMonths,
      seconds: (performance.now() - started) / 1000,
    }
  })
}
