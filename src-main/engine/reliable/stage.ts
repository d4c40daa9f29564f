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
