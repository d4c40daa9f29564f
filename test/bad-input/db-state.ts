import { OWNED } from '../../src-main/engine/schema/owned.js'
import type { Sql } from '../../torture/db.js'

/** Every table a bad input could touch: each one Assay owns. */
const TABLES = OWNED.filter((o) => o.kind === 'table').map((o) => o.name)

/**
 * The content of every table as "rows:md5" (null for a missing table): two equal fingerprints mean nothing
 * was written, not even a row later rolled back into the same count.
 */
export async function fingerprint(sql: Sql): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {}
  for (const table of TABLES) {
    const [exists] = await sql<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [table])
    if (!exists?.ok) {
      out[table] = null
      continue
    }
    const [row] = await sql<{ f: string }>(
      `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') AS f FROM ${table} t`,
    )
    out[table] = row?.f ?? null
  }
  return out
}

/** Tables whose content differs between two fingerprints. */
export function changedTables(
  before: Record<string, string | null>,
  after: Record<string, string | null>,
): string[] {
  return Object.keys(before).filter((table) => before[table] !== after[table])
}
