import { BOUNDS } from '../bounds.js'
import type { Queryable } from '../db/types.js'
import { GOLD_MATCHES_LEDGER } from '../verify/drift-check.js'

/** What status can tell about drift without reading silver (`assay verify` does the full check). */
export interface Drift {
  /** Months marked drifted, or completed whose gold row no longer holds what their run wrote. */
  months: string[]
  /** Months (YYYY-MM) silver's tracking knows outside the supported date window. */
  outsideWindow: string[]
}

const DRIFT = {
  name: 'status/drift',
  text: `
SELECT
  ARRAY(SELECT p.month_key FROM ops.processed_months p
        LEFT JOIN gold.fact_sales_monthly g ON g.year = p.year AND g.month = p.month
        WHERE p.status = 'drifted'
           OR (p.status = 'completed' AND p.silver_version IS NOT NULL AND NOT ${GOLD_MATCHES_LEDGER})
        ORDER BY 1) AS months,
  ARRAY(SELECT (yyyymm / 100) || '-' || lpad((yyyymm % 100)::text, 2, '0') FROM ops.silver_months
        WHERE row_count > 0 AND yyyymm NOT BETWEEN $1::int AND $2::int ORDER BY 1) AS outside`,
}

/** Drift the ops tables and gold show: two small tables, never silver. */
export async function readDrift(db: Queryable): Promise<Drift> {
  const { rows } = await db.query<{ months: string[]; outside: string[] }>(DRIFT, [
    Math.floor(BOUNDS.firstDateId / 100),
    Math.floor(BOUNDS.lastDateId / 100),
  ])
  return { months: rows[0]?.months ?? [], outsideWindow: rows[0]?.outside ?? [] }
}
