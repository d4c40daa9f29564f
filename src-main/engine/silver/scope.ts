import { BOUNDS } from '../bounds.js'
import type { Queryable } from '../db/types.js'
import { DATE_ID, type Scope } from './sql.js'

/** Everything: a full build. */
export const FULL_SCOPE: Scope = { days: 'TRUE', codes: 'TRUE', facts: 'TRUE' }

/** Day numbers count from here: the plan reads them from the database, changedScope writes them back. */
const DAY_ZERO = '2000-01-01'

/** The day number of an ISO date (yyyy-mm-dd). */
export const dayNumber = (iso: string): number =>
  Math.round((Date.parse(iso) - Date.parse(DAY_ZERO)) / 86_400_000)

/** A day number as a SQL date constant (an integer, checked, so nothing but a number enters SQL). */
function dayConstant(days: number): string {
  if (!Number.isSafeInteger(days)) throw new Error(`not a day number: ${days}`)
  return `(DATE '${DAY_ZERO}' + ${days})`
}

/** The supported window (engine/bounds.ts) as day numbers: silver holds no fact outside it. */
const WINDOW = { first: dayNumber(BOUNDS.firstDate), last: dayNumber(BOUNDS.lastDate) }

/**
 * Only what the bronze change log names: its dates, which lie in `span` (the earliest and latest, as day numbers),
 * and its stock codes. The span is written as constants rather than read by subqueries: the planner then estimates
 * the range from the statistics (a new month's fact rows are none; with subqueries it guessed hundreds of thousands
 * and scanned all of silver), and the range test before the hash probe lets it read bronze through its date index.
 * Fact rows are looked for inside the window only: a bronze line dated 294276 AD (the type's edge) has no date_id.
 */
export function changedScope(span: Plan['span']): Scope {
  const codes = 'b.stockcode IN (SELECT stockcode FROM assay_scope_codes)'
  if (!span) return { days: 'FALSE', codes, facts: 'FALSE' }
  const [first, last] = [dayConstant(span.first), dayConstant(span.last)]
  const [factFirst, factLast] = [
    dayConstant(Math.max(span.first, WINDOW.first)),
    dayConstant(Math.min(span.last, WINDOW.last)),
  ]
  const inWindow = `day BETWEEN ${factFirst} AND ${factLast}`
  return {
    days: `(b.invoicedate >= ${first} AND b.invoicedate < ${last} + 1
      AND b.invoicedate::date IN (SELECT day FROM assay_scope_days))`,
    dayList: `SELECT day FROM assay_scope_days WHERE ${inWindow}`,
    codes,
    facts: `(f.date_id BETWEEN ${DATE_ID(factFirst)} AND ${DATE_ID(factLast)}
      AND f.date_id IN (SELECT ${DATE_ID('day')} FROM assay_scope_days WHERE ${inWindow}))`,
  }
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
  /** The earliest and latest changed dates as day numbers (see dayNumber; incremental builds that changed dates). */
  span?: { first: number; last: number }
}

/**
 * Folds the product counts' log into ops.silver_product_counts and names its stock codes in assay_scope_codes:
 * one statement, so the log rows it deletes are exactly the ones it adds (sql/0011_silver_product_counts.sql).
 */
const PRODUCT_FOLD = `
WITH taken AS (DELETE FROM ops.bronze_changed_products RETURNING stockcode, description, lines),
folded AS (
    INSERT INTO ops.silver_product_counts AS c (stockcode, description, lines)
    SELECT stockcode, description, sum(lines) FROM taken GROUP BY stockcode, description
    ON CONFLICT (stockcode, description) DO UPDATE SET lines = c.lines + EXCLUDED.lines
)
INSERT INTO assay_scope_codes SELECT DISTINCT stockcode FROM taken`

/**
 * A full build's recount of ops.silver_product_counts from all of bronze, taking the counts' log in the same
 * statement (one snapshot: a line is either in the scan or still logged for the next build, never both).
 */
export const PRODUCT_RECOUNT = `
TRUNCATE ops.silver_product_counts;
WITH taken AS (DELETE FROM ops.bronze_changed_products)
INSERT INTO ops.silver_product_counts (stockcode, description, lines)
SELECT stockcode, COALESCE(description, ''), count(*) FROM bronze.raw_transactions GROUP BY 1, 2`

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
                  EXISTS (SELECT 1 FROM ops.bronze_changed_dates) OR EXISTS (SELECT 1 FROM ops.bronze_changed_products)
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
    // The product counts' log is taken with the bronze scan that recounts them (PRODUCT_RECOUNT).
    await tx.exec('DELETE FROM ops.bronze_changed_dates')
    return { mode: 'full', reason, silverEmpty: state.silver_empty, days: 0, codes: 0 }
  }
  if (!state.changed) return { mode: 'incremental', silverEmpty: false, days: 0, codes: 0 }
  await tx.exec(`
CREATE TEMP TABLE assay_scope_days (day DATE PRIMARY KEY) ON COMMIT DROP;
CREATE TEMP TABLE assay_scope_codes (stockcode VARCHAR(20) PRIMARY KEY) ON COMMIT DROP;
WITH taken AS (DELETE FROM ops.bronze_changed_dates RETURNING day)
    INSERT INTO assay_scope_days SELECT DISTINCT day FROM taken;
${PRODUCT_FOLD};
DELETE FROM ops.silver_product_counts c USING assay_scope_codes s WHERE c.stockcode = s.stockcode AND c.lines = 0;
ANALYZE assay_scope_days; ANALYZE assay_scope_codes`)
  const counts = await tx.query<{ days: number; codes: number; first: number | null; last: number | null }>(
    `SELECT (SELECT count(*) FROM assay_scope_days)::int AS days,
            (SELECT count(*) FROM assay_scope_codes)::int AS codes,
            (SELECT min(day) - DATE '${DAY_ZERO}' FROM assay_scope_days) AS first,
            (SELECT max(day) - DATE '${DAY_ZERO}' FROM assay_scope_days) AS last`,
  )
  const { first, last, ...sizes } = counts.rows[0]!
  const span = first === null || last === null ? undefined : { first, last }
  return { mode: 'incremental', silverEmpty: false, ...sizes, span }
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
