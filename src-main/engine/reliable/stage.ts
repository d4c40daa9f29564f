import type { Statement } from '../db/types.js'

/** The reliable pipeline's stage names, in run order. */
export type StageName = 'product_performance' | 'country_sales'

/**
 * One stage: a gold table rebuilt from silver by two set-based statements run in one transaction with the
 * stage's checkpoint. `upsert` returns one row `{ source_rows, inserted, updated }`; rows whose values did not
 * change are not touched (their updated_at stays). `prune` deletes gold rows whose key no longer has silver rows.
 */
export interface StageDefinition {
  name: StageName
  /** The gold table the stage keeps (the checkpoint key). */
  table: string
  /** `WITH …, source AS (…)`: the rows the table should hold, computed from silver. */
  source: string
  upsert: Statement
  prune: Statement
}

/** What one stage changed. */
export interface StageCounts {
  /** Rows the stage computed from silver (= rows of the gold table afterwards). */
  sourceRows: number
  inserted: number
  updated: number
  deleted: number
}

/** Rows written = every gold row the stage inserted, changed or deleted (0 on a rerun over unchanged silver). */
export function rowsWritten(counts: StageCounts): number {
  return counts.inserted + counts.updated + counts.deleted
}

/**
 * `SET a = EXCLUDED.a, …` and the `(g.a, …) IS DISTINCT FROM (EXCLUDED.a, …)` guard of an upsert, from one
 * column list, so the two can never disagree.
 */
export function upsertClauses(alias: string, columns: readonly string[]): { set: string; changed: string } {
  return {
    set: columns.map((c) => `${c} = EXCLUDED.${c}`).join(',\n        '),
    changed: `(${columns.map((c) => `${alias}.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `EXCLUDED.${c}`).join(', ')})`,
  }
}

/**
 * `name AS (…)`: silver's sums of revenue, quantity and transactions per key, with distinct counts and the first
 * and last date (from dim_date) under the names the gold table gives them.
 */
export function silverTotals(
  name: string,
  key: string,
  counts: Record<string, string>,
  dates: { first: string; last: string },
): string {
  const distinct = Object.entries(counts).map(([alias, column]) => `count(DISTINCT f.${column}) AS ${alias}`)
  const measures = ['total_revenue', 'total_quantity', 'total_transactions'].map((c) => `sum(f.${c}) AS ${c}`)
  return `${name} AS (
    SELECT f.${key},
           ${[...measures, ...distinct, `min(d.date) AS ${dates.first}`, `max(d.date) AS ${dates.last}`].join(',\n           ')}
    FROM silver.fact_sales_daily f
    JOIN silver.dim_date d ON d.date_id = f.date_id
    GROUP BY f.${key}
)`
}

/** `CASE WHEN d > 0 THEN round(n / d, 2) ELSE 0 END AS alias`: a per-unit average that is 0 where there is no unit. */
export function perUnit(numerator: string, divisor: string, alias: string): string {
  return `CASE WHEN ${divisor} > 0 THEN round(${numerator} / ${divisor}, 2) ELSE 0 END AS ${alias}`
}

/**
 * A stage whose gold table has one row per value of a silver key: an upsert of `source` (its CTEs, the last named
 * `source`) that leaves unchanged rows alone, and a prune of keys silver no longer has.
 */
export function goldStage(spec: {
  name: StageName
  table: string
  /** The key column, in gold and in silver.fact_sales_daily. */
  key: string
  /** Every column the stage computes besides the key, in table order. */
  columns: readonly string[]
  source: string
}): StageDefinition {
  const { name, table, key, columns, source } = spec
  const { set, changed } = upsertClauses('g', columns)
  const statement = `reliable/${name.replaceAll('_', '-')}`
  return {
    name,
    table,
    source,
    upsert: {
      name: `${statement}-upsert`,
      text: `${source},
written AS (
    INSERT INTO ${table} AS g (${key}, ${columns.join(', ')}, created_at, updated_at)
    SELECT ${key}, ${columns.join(', ')}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM source
    ON CONFLICT (${key}) DO UPDATE SET
        ${set},
        updated_at = CURRENT_TIMESTAMP
    WHERE ${changed}
    RETURNING (g.xmax = 0) AS inserted
)
SELECT (SELECT count(*) FROM source)::int AS source_rows,
       (count(*) FILTER (WHERE inserted))::int AS inserted,
       (count(*) FILTER (WHERE NOT inserted))::int AS updated
FROM written`,
    },
    prune: {
      name: `${statement}-prune`,
      text: `DELETE FROM ${table} g
           WHERE NOT EXISTS (SELECT 1 FROM silver.fact_sales_daily f WHERE f.${key} = g.${key})`,
    },
  }
}
