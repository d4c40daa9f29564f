/**
 * Byte bounds on every page of logs and checkpoints: rows alone do not bound a page when one row's metadata
 * may be megabytes. A value over ITEM_BYTES is cut in SQL (the full value never leaves PostgreSQL) and flagged;
 * the item's `:record` call returns it whole. A page stops once its running total passes PAGE_BYTES.
 */
export const ITEM_BYTES = 16 * 1024
export const PAGE_BYTES = 1024 * 1024

/**
 * Select-list items for a jsonb column cut to ITEM_BYTES: over it, the column becomes `{ preview: <the first
 * ITEM_BYTES characters of its text> }` and `"<alias>Bytes"` holds its full size (null when not cut).
 */
export function boundedJson(column: string, alias: string, fallback = column): string {
  const size = `octet_length(${column}::text)`
  return `CASE WHEN ${size} > ${ITEM_BYTES} THEN jsonb_build_object('preview', left(${column}::text, ${ITEM_BYTES}))
    ELSE ${fallback} END AS ${alias}, CASE WHEN ${size} > ${ITEM_BYTES} THEN ${size} END AS "${alias}Bytes"`
}

/** A text column cut to ITEM_BYTES characters, with `"<alias>Bytes"` its full size when cut. */
export function boundedText(column: string, alias: string): string {
  const size = `octet_length(${column})`
  return `left(${column}, ${ITEM_BYTES}) AS ${alias}, CASE WHEN ${size} > ${ITEM_BYTES} THEN ${size} END AS "${alias}Bytes"`
}

/** The rows of a page, newest first, that fit PAGE_BYTES (always at least one), and whether any were cut off. */
export function withinPageBytes<T>(rows: readonly T[]): { rows: T[]; cut: boolean } {
  let total = 0
  for (let i = 0; i < rows.length; i++) {
    total += Buffer.byteLength(JSON.stringify(rows[i]))
    if (total > PAGE_BYTES && i > 0) return { rows: rows.slice(0, i), cut: true }
  }
  return { rows: [...rows], cut: false }
}
