import { sqlState } from '../db/error-class.js'
import { assertMigrated, migrationNames } from '../db/migrate.js'
import type { Queryable } from '../db/types.js'
import { AssayError } from '../errors.js'

/**
 * What one round trip says before a build: the schema is migrated, bronze has lines, and whether anything is to
 * do at all. A no-op `assay silver` (bronze unchanged since the last build) is this query and nothing else — no
 * transaction, no lock: a build that is taking the change log has not committed its DELETE, so its log rows are
 * still visible here and this check says "changed" (the locked path then re-plans).
 */
const QUICK_CHECK = {
  name: 'silver/quick-check',
  text: `SELECT (SELECT array_agg(version) FROM ops.schema_migrations) AS applied,
                EXISTS (SELECT 1 FROM bronze.raw_transactions) AS bronze,
                (SELECT full_needed FROM ops.silver_build_state) IS FALSE
                    AND EXISTS (SELECT 1 FROM silver.fact_sales_daily)
                    AND NOT EXISTS (SELECT 1 FROM ops.bronze_changed_dates)
                    AND NOT EXISTS (SELECT 1 FROM ops.bronze_changed_products) AS unchanged`,
}

/** Throws `schema_missing` or `bronze_empty` when no build can run; true when bronze is unchanged since the last. */
export async function quickCheck(db: Queryable): Promise<boolean> {
  let row: { applied: number[] | null; bronze: boolean; unchanged: boolean }
  try {
    row = (await db.query<typeof row>(QUICK_CHECK)).rows[0]!
  } catch (error) {
    // A table this query reads is missing: say which migrations are pending (assertMigrated throws), else rethrow.
    if (sqlState(error) === '42P01') await assertMigrated(db)
    throw error
  }
  const applied = new Set((row.applied ?? []).map(Number))
  const pending = migrationNames().filter((m) => !applied.has(m.version))
  if (pending.length > 0) await assertMigrated(db)
  if (!row.bronze) {
    throw new AssayError(
      'bronze_empty',
      'bronze.raw_transactions is empty: nothing to build — run: assay demo --scale 0.2, or assay ingest <file>',
    )
  }
  return row.unchanged
}

/**
 * ANALYZE bronze when its statistics are missing or stale (over a tenth of it changed since): just after a load,
 * before autovacuum gets to it, the planner sees no statistics, estimates the filtered bronze as one line and
 * joins it to dim_product by a nested loop — measured: 416 s instead of ~10 s for scale 1's first build.
 * Outside the build's transaction, so its lock is not held for the build. A user who does not own bronze gets a
 * warning from PostgreSQL and the build goes on.
 */
export async function refreshBronzeStats(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ stale: boolean }>({
    name: 'silver/bronze-stats',
    text: `SELECT c.reltuples < 0 OR COALESCE(s.n_mod_since_analyze, 0) > 0.1 * c.reltuples + 1000 AS stale
           FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
           WHERE c.oid = 'bronze.raw_transactions'::regclass`,
  })
  if (!rows[0]?.stale) return false
  await db.exec('ANALYZE bronze.raw_transactions')
  return true
}
