/**
 * A level of "explain this number" as CSV: exactly the rows its pages show, all of them, in the same order,
 * streamed by COPY like the ops tables' exports (formula-like text neutralised, UTF-8, optional BOM).
 */
import type { Readable } from 'node:stream'
import type { Db, Queryable } from '../db/types.js'
import { copyCsv, type ExportOptions } from '../logs/export.js'
import { neutralised } from '../logs/export-tables.js'
import { CSV_COLUMNS, levelSelect } from './levels.js'
import { checkTarget, params } from './read.js'

/** Streams every row of a level as CSV. A bad target throws a UsageError at once. */
export function explainCsv(db: Db, target: unknown, options: ExportOptions = {}): Readable {
  const t = checkTarget(target)
  const values: string[] = []
  const bind = (v: string | number) => {
    values.push(String(v))
    return `current_setting('assay.export_${values.length}')`
  }
  const columns = CSV_COLUMNS[t.level]
    .map((c) => (c.text ? neutralised(`l.${c.name}`, `"${c.name}"`) : `l.${c.name} AS "${c.name}"`))
    .join(', ')
  const copy = `COPY (SELECT ${columns} FROM (${levelSelect(t, bind)}) l) TO STDOUT (FORMAT csv, HEADER)`
  return copyCsv(db, copy, values, options)
}

/** How many rows the CSV of a level holds now (the export dialog's count). */
export async function explainCount(db: Queryable, target: unknown): Promise<number> {
  const t = checkTarget(target)
  const { values, bind } = params()
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*)::int8 AS n FROM (${levelSelect(t, bind)}) l`,
    values,
  )
  return Number(rows[0]?.n ?? 0)
}
