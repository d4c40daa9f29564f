import type { Queryable } from '../db/types.js'
import { DATE_ID, type Scope } from './sql.js'

/** Everything: a full build. */
export const FULL_SCOPE: Scope = { days: 'TRUE', codes: 'TRUE', facts: 'TRUE' }

/**
 * Only what the bronze change log names. The range test before the hash probe lets PostgreSQL skip most lines
 * cheaply (and use an index on invoicedate, if the user has one).
 */
export const CHANGED_SCOPE: Scope = {
  days: `(b.invoicedate >= (SELECT min(day) FROM assay_scope_days)
      AND b.invoicedate < (SELECT max(day) FROM assay_scope_days) + 1
      AND b.invoicedate::date IN (SELECT day FROM assay_scope_days))`,
  codes: 'b.stockcode IN (SELECT stockcode FROM assay_scope_codes)',
  facts: `f.date_id IN (SELECT ${DATE_ID('day')} FROM assay_scope_days)`,
}

export type BuildMode = 'full' | 'incremental'

export interface Plan {
  mode: BuildMode
  /** Why a full build: asked for, first build with the change log, bronze truncated, silver empty. */
  reason?: 'asked' | 'first' | 'truncated' | 'empty'
  /** silver.fact_sales_daily held no row when the build started: the bulk path applies (bulk.ts). */
  silverEmpty: boolean
  /** Changed dates and stock codes taken from the log (incremental builds). */
  days: number
  codes: number
}

/**
 * Decides the build and, for an incremental one, moves the change log into this transaction's scope tables.
 * Takes (deletes) only the log rows this transaction can see: a bronze change committed later stays logged,
 * so whatever of it this build saw or missed, the next build re-derives its dates and codes.
 */
export async function takeChanges(tx: Queryable, full: boolean): Promise<Plan> {
  const { rows } = await tx.query<{ full_needed: boolean | null; silver_empty: boolean; changed: boolean }>({
    name: 'silver/plan',
    text: `SELECT (SELECT full_needed FROM ops.silver_build_state) AS full_needed,
                  NOT EXISTS (SELECT 1 FROM silver.fact_sales_daily) AS silver_empty,
                  EXISTS (SELECT 1 FROM ops.bronze_changed_dates) OR EXISTS (SELECT 1 FROM ops.bronze_changed_codes)
                      AS changed`,
  })
  const state = rows[0]!
  const reason: Plan['reason'] = full
    ? 'asked'
    : state.full_needed === null
      ? 'first'
      : state.full_needed
        ? 'truncated'
        : state.silver_empty
          ? 'empty'
          : undefined
  if (reason) {
    await tx.exec('DELETE FROM ops.bronze_changed_dates; DELETE FROM ops.bronze_changed_codes')
    return { mode: 'full', reason, silverEmpty: state.silver_empty, days: 0, codes: 0 }
  }
  if (!state.changed) return { mode: 'incremental', silverEmpty: false, days: 0, codes: 0 }
  await tx.exec(`
CREATE TEMP TABLE assay_scope_days (day DATE PRIMARY KEY) ON COMMIT DROP;
CREATE TEMP TABLE assay_scope_codes (stockcode VARCHAR(20) PRIMARY KEY) ON COMMIT DROP;
WITH taken AS (DELETE FROM ops.bronze_changed_dates RETURNING day)
    INSERT INTO assay_scope_days SELECT DISTINCT day FROM taken;
WITH taken AS (DELETE FROM ops.bronze_changed_codes RETURNING stockcode)
    INSERT INTO assay_scope_codes SELECT DISTINCT stockcode FROM taken;
ANALYZE assay_scope_days; ANALYZE assay_scope_codes`)
  const counts = await tx.query<{ days: number; codes: number }>(
    `SELECT (SELECT count(*) FROM assay_scope_days)::int AS days,
            (SELECT count(*) FROM assay_scope_codes)::int AS codes`,
  )
  return { mode: 'incremental', silverEmpty: false, ...counts.rows[0]! }
}

/** Records that silver now reflects bronze up to the (emptied) change log. */
export async function recordBuild(tx: Queryable, mode: BuildMode): Promise<void> {
  await tx.query({
    name: 'silver/record-build',
    text: `INSERT INTO ops.silver_build_state (id, full_needed, built_at, mode)
           VALUES (TRUE, FALSE, CURRENT_TIMESTAMP, $1)
           ON CONFLICT (id) DO UPDATE SET full_needed = FALSE, built_at = EXCLUDED.built_at, mode = EXCLUDED.mode`,
    values: [mode],
  })
}
