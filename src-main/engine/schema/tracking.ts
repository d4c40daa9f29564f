import type { Db } from '../db/types.js'
import { RESYNC_TRACKING } from '../verify/sql.js'
import { verifyGold } from '../verify/verify.js'

const SILVER_COUNTS = {
  name: 'schema/silver-counts',
  text: 'SELECT date_id / 100 AS yyyymm, count(*)::int8 AS n FROM silver.fact_sales_daily GROUP BY 1 ORDER BY 1',
}

/**
 * After the tracking triggers were missing or disabled, silver may have changed unseen: ops.silver_months is
 * re-counted from silver (a month whose count moved gets a new version, so it is stale), then every month is
 * verified by content, and those whose gold no longer matches are marked drifted. Returns the marked months.
 */
export async function resyncTracking(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ yyyymm: number; n: number }>(SILVER_COUNTS)
  await db.query(RESYNC_TRACKING, [rows.map((r) => r.yyyymm), rows.map((r) => r.n)])
  const report = await verifyGold(db, { kind: 'pending' }, { reliable: false })
  return report.marked
}
