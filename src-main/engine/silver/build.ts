import type { Db, Queryable } from '../db/types.js'
import { LOCK } from '../ops/locks.js'
import { bulkInsertFacts } from './bulk.js'
import { quickCheck, refreshBronzeStats } from './quick-check.js'
import {
  type BuildMode,
  changedScope,
  FULL_SCOPE,
  type Plan,
  PRODUCT_RECOUNT,
  recordBuild,
  takeChanges,
} from './scope.js'
import {
  COUNT_ORPHANS,
  COUNT_OUT_OF_BOUNDS,
  DELETE_ORPHANS,
  FACT_SOURCE,
  SCOPE_DAYS,
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
  /** Full: every bronze line re-aggregated; incremental: only the dates and stock codes bronze changed. */
  mode: BuildMode
  /** Why a full build (see Plan). */
  reason?: Plan['reason']
  /** Incremental: how many changed dates and stock codes the bronze change log named. */
  changedDays: number
  changedCodes: number
  dates: UpsertCounts
  products: UpsertCounts
  facts: UpsertCounts
  /** Fact rows kept although bronze no longer implies them (their date is gone from bronze, e.g. archived). */
  orphans: number
  /** Fact rows deleted because bronze no longer implies them (on dates bronze still has; any with `prune`). */
  pruned: number
  /** Bronze lines left out because they are outside the supported bounds (BOUNDS_TEXT), e.g. dated 1900. */
  outOfBounds: number
  /** Months (yyyymm) whose silver version moved: their gold is now stale. */
  changedMonths: number[]
  seconds: number
}

export interface SilverOptions {
  /** Also delete fact rows of dates bronze no longer has at all. Off by default: bronze may have been archived. */
  prune?: boolean
  /** Re-aggregate all of bronze, whatever the change log says. */
  full?: boolean
}

const NONE: UpsertCounts = { total: 0, inserted: 0, updated: 0, unchanged: 0 }

async function upsert(tx: Queryable, name: string, text: string): Promise<UpsertCounts> {
  const { rows } = await tx.query<{ total: number; inserted: number; updated: number }>({ name, text })
  const r = rows[0] ?? { total: 0, inserted: 0, updated: 0 }
  return { ...r, unchanged: r.total - r.inserted - r.updated }
}

async function versions(tx: Queryable): Promise<Map<number, number>> {
  const { rows } = await tx.query<{ yyyymm: number; version: number }>(SILVER_VERSIONS)
  return new Map(rows.map((r) => [r.yyyymm, Number(r.version)]))
}

async function count(tx: Queryable, text: string): Promise<number> {
  return (await tx.query<{ n: number }>(text)).rows[0]?.n ?? 0
}

/**
 * The fact writes, planned as if random reads cost little more than sequential ones (random_page_cost 1.1 instead of
 * the server's default 4). Each inserted row's foreign-key check looks its date up in dim_date, which is so small (a
 * few pages) that at the default the planner prefers reading all of it to its primary key: 312 rows read per fact row
 * at scale 10, 2.9 s of a new month's insert instead of 0.6 s. Turning sequential scans off would do the same, but it
 * would also force index scans where a full build over a filled silver reads most of it.
 */
async function writeFacts(tx: Queryable): Promise<UpsertCounts> {
  await tx.exec('SET LOCAL random_page_cost = 1.1')
  const counts = await upsert(tx, 'silver/fact', UPSERT_FACT)
  await tx.exec('SET LOCAL random_page_cost TO DEFAULT')
  return counts
}

/** The report of a build that found nothing to do. */
function noop(started: number): SilverReport {
  return {
    mode: 'incremental',
    changedDays: 0,
    changedCodes: 0,
    dates: NONE,
    products: NONE,
    facts: NONE,
    orphans: 0,
    pruned: 0,
    outOfBounds: 0,
    changedMonths: [],
    seconds: (performance.now() - started) / 1000,
  }
}

/**
 * Builds silver.dim_date, silver.dim_product and silver.fact_sales_daily from bronze, per the upstream
 * contract, in one transaction. Incremental by default: only the dates and stock codes that bronze's change
 * log names (any writer's inserts, updates and deletes) are re-derived, and the result equals a full build.
 * Re-running on unchanged bronze changes no row and so leaves every month's silver version (and with it gold's
 * freshness) alone.
 */
export async function buildSilver(db: Db, options: SilverOptions = {}): Promise<SilverReport> {
  const started = performance.now()
  const unchanged = await quickCheck(db)
  if (unchanged && options.full !== true) return noop(started)
  await refreshBronzeStats(db)
  return db.transaction(async (tx) => {
    // One build at a time; bronze writers never wait for a build (see takeChanges).
    await tx.query('SELECT pg_advisory_xact_lock($1::int, 0)', [LOCK.silver])
    // The aggregation's and the upsert's sorts fit in memory (the default 4MB spills a month to disk).
    await tx.exec(`SET LOCAL work_mem = '64MB'`)
    const plan = await takeChanges(tx, options.full === true)
    const base = {
      mode: plan.mode,
      reason: plan.reason,
      changedDays: plan.days,
      changedCodes: plan.codes,
    }
    if (plan.mode === 'incremental' && plan.days === 0 && plan.codes === 0) return noop(started)
    const scope = plan.mode === 'full' ? FULL_SCOPE : changedScope(plan.span)
    const before = await versions(tx)
    await tx.exec(SCOPE_DAYS(scope))
    const dates = await upsert(tx, 'silver/dim-date', UPSERT_DIM_DATE)
    if (plan.mode === 'full') await tx.exec(PRODUCT_RECOUNT)
    const products = await upsert(tx, `silver/dim-product/${plan.mode}`, UPSERT_DIM_PRODUCT(scope))
    // The fact aggregation joins dim_product: a freshly filled one must not look empty to the planner.
    if (plan.mode === 'full') await tx.exec('ANALYZE silver.dim_product')
    // The planner's statistics predate a new month's lines: it guessed 3,000 of a month's 290,000 and looked up
    // dim_product once a line by a nested loop (1.1 s at scale 10, against 0.5 s for a hash join of all products).
    if (plan.mode === 'incremental') await tx.exec('SET LOCAL enable_nestloop = off')
    await tx.exec(FACT_SOURCE(scope))
    if (plan.mode === 'incremental') await tx.exec('SET LOCAL enable_nestloop TO DEFAULT')
    // Into an empty fact table nothing can be orphaned or unchanged: the bulk path (bulk.ts).
    const bulk = plan.silverEmpty
    // From here to the commit, other writers of the facts (the course's modelling step) wait; readers do not. The
    // orphans and the upsert's look-up then see every key there is until this build commits (UPSERT_FACT).
    if (!bulk) await tx.exec('LOCK TABLE silver.fact_sales_daily IN SHARE ROW EXCLUSIVE MODE')
    // Orphans before the upsert: it writes only keys the source has, orphans are keys it lacks, so the result is
    // the same, and a new month's rows are not read back just to find none of them orphaned.
    const pruned = bulk ? 0 : (await tx.query(DELETE_ORPHANS(scope, options.prune === true))).rowCount
    const orphans = bulk ? 0 : await count(tx, COUNT_ORPHANS(scope))
    const facts = bulk ? await bulkInsertFacts(tx) : await writeFacts(tx)
    const outOfBounds = await count(tx, COUNT_OUT_OF_BOUNDS(scope))
    const after = await versions(tx)
    const changedMonths = [...after.keys()].filter((m) => before.get(m) !== after.get(m))
    await recordBuild(tx, plan.mode)
    await tx.exec('DROP TABLE IF EXISTS assay_fact_src, assay_days, assay_scope_days, assay_scope_codes')
    return {
      ...base,
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
