import type { Queryable } from '../db/types.js'
import { OWNED, type OwnedKind, TRACKING_TRIGGERS } from './owned.js'

/** One owned object that is not as Assay left it. */
export interface SchemaProblem {
  kind: OwnedKind
  name: string
  state: 'missing' | 'disabled'
  /** A sentence naming the object, the problem, what it breaks and the command that repairs it. */
  message: string
}

/**
 * The owned objects that exist, one round trip over the catalogue. Triggers report whether they fire in a normal
 * session: 'D' (disabled) and 'R' (replica only) do not.
 */
const CATALOG = {
  name: 'schema/health',
  text: `
SELECT 'table' AS kind, n.nspname || '.' || c.relname AS name, true AS enabled
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'i') AND n.nspname IN ('bronze', 'silver', 'gold', 'ops')
UNION ALL
SELECT 'trigger', n.nspname || '.' || c.relname || '.' || t.tgname, t.tgenabled IN ('O', 'A')
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND n.nspname IN ('silver', 'ops')
UNION ALL
SELECT 'function', n.nspname || '.' || p.proname, true
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'ops'
UNION ALL
SELECT 'constraint', n.nspname || '.' || c.relname || '.' || k.conname, true
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'silver' AND k.contype = 'c'`,
}

/** Indexes and tables share pg_class: both are looked up under 'table'. */
const lookupKind = (kind: OwnedKind) => (kind === 'index' ? 'table' : kind)

/**
 * Compares the database with what Assay owns: missing tables, indexes, functions, constraints and triggers, and
 * triggers that exist but do not fire. Read-only; about a millisecond. `only` narrows the check (preflight asks for
 * the tracking triggers alone).
 */
export async function checkSchema(db: Queryable, only?: readonly string[]): Promise<SchemaProblem[]> {
  const { rows } = await db.query<{ kind: string; name: string; enabled: boolean }>(CATALOG)
  const found = new Map(rows.map((r) => [`${r.kind}:${r.name}`, r.enabled]))
  const problems: SchemaProblem[] = []
  for (const object of OWNED) {
    if (only && !only.includes(object.name)) continue
    const enabled = found.get(`${lookupKind(object.kind)}:${object.name}`)
    if (enabled === undefined) {
      problems.push({
        ...object,
        state: 'missing',
        message: `${object.kind} ${object.name} is missing (it ${object.role}) — run: assay init`,
      })
    } else if (!enabled) {
      problems.push({
        ...object,
        state: 'disabled',
        message: `trigger ${object.name} is disabled (it ${object.role}) — run: assay init`,
      })
    }
  }
  return problems
}

/** Only the silver tracking triggers: what every pipeline run checks before trusting ops.silver_months. */
export function checkTracking(db: Queryable): Promise<SchemaProblem[]> {
  return checkSchema(db, TRACKING_TRIGGERS)
}
