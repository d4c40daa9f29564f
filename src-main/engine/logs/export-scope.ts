import type { ExportFilter } from '../../../src-shared/export.js'
import type { Queryable } from '../db/types.js'
import { AssayError } from '../errors.js'
import { EXPORTS, type ExportTable } from './export-tables.js'
import { filterConditions, positional } from './filter.js'

/**
 * The filters the engine's export applies per table (engine/logs/export-tables). A view filter the export
 * cannot apply is refused, never dropped: an export must contain exactly what the view shows.
 */
export function checkExportFilter(table: ExportTable, filter: ExportFilter): ExportFilter {
  const columns = EXPORTS[table].filters
  const supported = new Set(Object.keys(columns).flatMap((k) => (k === 'time' ? ['from', 'to'] : [k])))
  const given = Object.entries(filter).filter(([, v]) => v !== undefined && v !== '')
  for (const [key] of given) {
    if (!supported.has(key)) {
      throw new AssayError(
        'export_filter',
        `the ${table} export cannot be filtered by ${key} yet — clear that filter, or export everything`,
      )
    }
  }
  return Object.fromEntries(given) as ExportFilter
}

/** How many rows an export of `table` with `filter` holds now (the progress bar's total). */
export async function countExport(db: Queryable, table: ExportTable, filter: ExportFilter): Promise<number> {
  const spec = EXPORTS[table]
  const { values, bind } = positional()
  const where = filterConditions(checkExportFilter(table, filter), spec.filters, bind, `the ${table} export`)
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int8 AS n FROM ${spec.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`,
    values,
  )
  return Number(rows[0]?.n ?? 0)
}
