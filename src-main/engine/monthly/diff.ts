import { dateIdRange } from '../../../src-shared/months.js'
import type { GoldDiff, PlanItem } from '../../../src-shared/pipeline.js'
import type { Db } from '../db/types.js'
import { DIFF_MONTH, GOLD_COLUMNS } from './sql.js'

type Value = string | number | null

type DiffRow = { silver_rows: number; exists: boolean } & Record<string, Value | boolean>

/** Thrown to end the dry-run transaction with a rollback while handing its result out. */
class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('dry-run rollback')
  }
}

/**
 * The old row and the new values of one month, compared column by column. New values are computed cast to the
 * gold column types, so "equal" here is exactly the upsert's `IS DISTINCT FROM` (which decides whether
 * updated_at moves).
 */
export function diffRow(row: DiffRow): GoldDiff {
  if (row.silver_rows === 0) return { action: 'unchanged', changes: [] }
  const changes = GOLD_COLUMNS.flatMap((column) => {
    const next = row[column] as Value
    const old = row.exists ? (row[`old_${column}`] as Value) : null
    return row.exists && String(old) === String(next) ? [] : [{ column, old, new: next }]
  })
  if (!row.exists) return { action: 'insert', changes }
  return { action: changes.length > 0 ? 'update' : 'unchanged', changes }
}

/**
 * The exact gold change of each planned month, computed in one REPEATABLE READ, READ ONLY transaction that is
 * always rolled back: a dry-run cannot write, and every month's diff describes the same snapshot.
 */
export async function computeDiffs(db: Db, items: PlanItem[]): Promise<Map<string, GoldDiff>> {
  try {
    await db.transaction(
      async (tx) => {
        await tx.query('SET TRANSACTION READ ONLY')
        const diffs = new Map<string, GoldDiff>()
        for (const item of items) {
          const [first, last] = dateIdRange(item)
          const { rows } = await tx.query<DiffRow>(DIFF_MONTH, [first, last, item.year, item.month])
          if (rows[0]) diffs.set(item.monthKey, diffRow(rows[0]))
        }
        throw new Rollback(diffs)
      },
      { isolation: 'repeatable read' },
    )
  } catch (error) {
    if (error instanceof Rollback) return error.value as Map<string, GoldDiff>
    throw error
  }
  throw new Error('unreachable: the dry-run transaction always rolls back')
}
