/**
 * verify's statements: one set-based pass over the scope's silver rows for the monthly gold, and one per
 * reliable stage. Each recomputes with the pipelines' own definitions (GOLD_AGGREGATES, the stages' `source`),
 * so verify and the pipelines can never disagree about what gold should be.
 */

import { GOLD_AGGREGATES, GOLD_COLUMNS } from '../monthly/sql.js'
import type { StageDefinition } from '../reliable/stage.js'

const cols = (prefix: string, alias: string) =>
  GOLD_COLUMNS.map((c) => `${prefix}.${c} AS ${alias}${c}`).join(', ')

/**
 * Every month of [$1, $2] (yyyymm) known to silver, gold or ops.processed_months: gold recomputed from silver
 * (`new_*`), gold as stored (`old_*`), the input fingerprint recorded when the month was processed (`rec_*`) and
 * the current one, and ops.silver_months' tracking. $3/$4: the scope's date_id range.
 */
export const VERIFY_MONTHS = {
  name: 'verify/months',
  text: `
WITH agg AS (
  SELECT f.date_id / 100 AS yyyymm, count(*)::int8 AS silver_rows,
         COALESCE(sum(f.total_revenue), 0)::numeric(18,2) AS fp_revenue,
         COALESCE(sum(f.total_transactions), 0)::int8 AS fp_transactions,${GOLD_AGGREGATES}
  FROM silver.fact_sales_daily f
  WHERE f.date_id BETWEEN $3::int AND $4::int
  GROUP BY 1
),
g AS (SELECT * FROM gold.fact_sales_monthly WHERE year * 100 + month BETWEEN $1::int AND $2::int),
p AS (SELECT * FROM ops.processed_months WHERE year * 100 + month BETWEEN $1::int AND $2::int),
keys AS (
  SELECT yyyymm FROM agg UNION SELECT year * 100 + month FROM g UNION SELECT year * 100 + month FROM p
)
SELECT k.yyyymm, COALESCE(a.silver_rows, 0) AS silver_rows, a.fp_revenue, a.fp_transactions,
       ${cols('a', 'new_')}, (g.id IS NOT NULL) AS gold_exists, ${cols('g', 'old_')},
       p.status, p.silver_version, p.silver_rows AS rec_rows, p.silver_revenue AS rec_revenue,
       p.silver_quantity AS rec_quantity, p.silver_transactions AS rec_transactions,
       COALESCE(s.row_count, 0) AS tracked_rows, COALESCE(s.version, 0) AS version
FROM keys k
LEFT JOIN agg a ON a.yyyymm = k.yyyymm
LEFT JOIN g ON g.year * 100 + g.month = k.yyyymm
LEFT JOIN p ON p.year * 100 + p.month = k.yyyymm
LEFT JOIN ops.silver_months s ON s.yyyymm = k.yyyymm
ORDER BY 1`,
}

/** Marks drifted months so a plain `assay monthly` redoes them. $1 month keys, $2 what differs (per month). */
export const MARK_DRIFTED = {
  name: 'verify/mark-drifted',
  text: `
UPDATE ops.processed_months p SET status = 'drifted', error = d.why, updated_at = CURRENT_TIMESTAMP
FROM unnest($1::text[], $2::text[]) AS d(month_key, why)
WHERE p.month_key = d.month_key AND p.status IN ('completed', 'drifted')`,
}

/**
 * Re-syncs ops.silver_months with silver's real row counts where the tracking triggers missed changes (they were
 * bypassed, disabled or dropped): the version moves, so the months' gold is stale. $1 yyyymm, $2 row counts.
 */
export const RESYNC_TRACKING = {
  name: 'verify/resync-tracking',
  text: `
INSERT INTO ops.silver_months AS s (yyyymm, year, month, row_count, version, changed_at)
SELECT m, m / 100, m % 100, n, 1, CURRENT_TIMESTAMP FROM unnest($1::int[], $2::int8[]) AS d(m, n)
ON CONFLICT (yyyymm) DO UPDATE
SET row_count = EXCLUDED.row_count, version = s.version + 1, changed_at = EXCLUDED.changed_at
WHERE s.row_count IS DISTINCT FROM EXCLUDED.row_count`,
}

/**
 * A reliable stage's gold table against its recomputation, row by row: `missing` (silver implies it, gold lacks
 * it), `extra` (gold has it, silver does not), `differs` with each column's expected and stored value. Values
 * compare as JSON, where 1.5 equals 1.50.
 */
export function compareStage(stage: StageDefinition, key: string): { name: string; text: string } {
  return {
    name: `verify/${stage.name}`,
    text: `${stage.source},
s AS (SELECT src.${key} AS k, to_jsonb(src) AS j FROM source src),
t AS (SELECT g.${key} AS k, to_jsonb(g) AS j FROM ${stage.table} g),
pairs AS (SELECT COALESCE(s.k, t.k)::text AS key, s.j AS expected, t.j AS stored FROM s FULL JOIN t ON t.k = s.k)
SELECT key, CASE WHEN stored IS NULL THEN 'missing' WHEN expected IS NULL THEN 'extra' ELSE 'differs' END AS kind,
       (SELECT jsonb_agg(jsonb_build_object('column', e.key, 'expected', e.value, 'stored', stored -> e.key))
        FROM jsonb_each(expected) e WHERE (stored -> e.key) IS DISTINCT FROM e.value) AS changes
FROM pairs
WHERE stored IS NULL OR expected IS NULL
   OR EXISTS (SELECT 1 FROM jsonb_each(expected) e WHERE (stored -> e.key) IS DISTINCT FROM e.value)
ORDER BY key`,
  }
}
