import { monthKey } from '../../../src-shared/months.js'
import type { MonthlyScope } from '../../../src-shared/pipeline.js'
import type { Db, Queryable } from '../db/types.js'
import { parseMonthlyScope, scopeBounds } from '../monthly/scope.js'
import { GOLD_COLUMNS } from '../monthly/sql.js'
import { preflight } from '../preflight.js'
import { STAGES } from '../reliable/pipeline.js'
import { compareStage, MARK_DRIFTED, RESYNC_TRACKING, VERIFY_MONTHS } from './sql.js'

/** One value that differs: gold as stored against gold recomputed from silver. */
export interface ValueDiff {
  column: string
  stored: string | number | null
  expected: string | number | null
  /** expected − stored, for numbers. */
  delta?: string
}

/**
 * A month whose gold is not what silver implies.
 * - `drifted`: the month is recorded as done and current, yet gold or silver changed behind Assay's back (a gold
 *   row edited or deleted, silver changed with its tracking triggers bypassed). Marked `drifted`: monthly redoes it.
 * - `pending`: monthly already plans it (new, stale, failed, interrupted): not drift, but gold is not final yet.
 * - `orphan`: gold has a row for a month silver has no rows for; monthly never deletes gold, so it stays.
 */
export interface MonthFinding {
  monthKey: string
  kind: 'drifted' | 'pending' | 'orphan'
  /** What differs, in words: e.g. "gold row missing", "silver changed without tracking (rows 120 → 118)". */
  reasons: string[]
  changes: ValueDiff[]
}

/** A reliable stage's gold table against its recomputation. */
export interface TableFinding {
  table: string
  missing: number
  extra: number
  differing: number
  /** Up to five rows, with what differs. */
  examples: { key: string; kind: 'missing' | 'extra' | 'differs'; changes: ValueDiff[] }[]
}

export interface VerifyReport {
  scope: MonthlyScope
  monthsChecked: number
  months: MonthFinding[]
  tables: TableFinding[]
  /** Months marked `drifted` in ops.processed_months (and tracking re-synced) so `assay monthly` repairs them. */
  marked: string[]
  /** True when gold equals silver everywhere in scope. */
  clean: boolean
  ms: number
}

type Value = string | number | null
type MonthRow = Record<string, Value | boolean> & {
  yyyymm: number
  silver_rows: number
  gold_exists: boolean
  status: string | null
  silver_version: number | null
  tracked_rows: number
  version: number
}

const DECIMAL = /^-?\d+(?:\.(\d+))?$/

/** expected − stored for two decimals (exactly, as BigInt), signed; undefined when either is not a number. */
export function delta(stored: unknown, expected: unknown): string | undefined {
  const a = DECIMAL.exec(String(stored))
  const b = DECIMAL.exec(String(expected))
  if (stored === null || expected === null || !a || !b) return undefined
  const places = Math.max(a[1]?.length ?? 0, b[1]?.length ?? 0)
  const scaled = (text: string, fraction = '') =>
    BigInt(`${text.split('.')[0]}${fraction.padEnd(places, '0')}`)
  const d = scaled(String(expected), b[1]) - scaled(String(stored), a[1])
  const digits = (d < 0n ? -d : d).toString().padStart(places + 1, '0')
  const body = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`
  return `${d < 0n ? '-' : '+'}${body}`
}

function goldChanges(row: MonthRow): ValueDiff[] {
  return GOLD_COLUMNS.flatMap((column) => {
    const expected = row[`new_${column}`] as Value
    const stored = row[`old_${column}`] as Value
    if (String(expected) === String(stored)) return []
    const d = delta(stored, expected)
    return [{ column, stored, expected, ...(d ? { delta: d } : {}) }]
  })
}

const FINGERPRINT = ['rows', 'revenue', 'quantity', 'transactions'] as const

/** The recorded input fingerprint's parts that no longer match silver's content. */
function movedFingerprint(row: MonthRow): string[] {
  const current: Record<(typeof FINGERPRINT)[number], unknown> = {
    rows: row.silver_rows,
    revenue: row.fp_revenue,
    quantity: row.new_total_quantity,
    transactions: row.fp_transactions,
  }
  return FINGERPRINT.filter((f) => String(row[`rec_${f}`]) !== String(current[f])).map(
    (f) => `${f} ${row[`rec_${f}`]} → ${current[f]}`,
  )
}

/**
 * Classifies one month; undefined when its gold is right. A difference is drift when Assay believes the month is
 * done and current (completed, with silver's tracked version and row count unchanged since), or when silver's
 * tracking itself is wrong (rows changed while the triggers were bypassed); otherwise monthly already plans it.
 */
export function judgeMonth(row: MonthRow): MonthFinding | undefined {
  const key = monthKey({ year: Math.floor(row.yyyymm / 100), month: row.yyyymm % 100 })
  if (Number(row.silver_rows) === 0) {
    if (!row.gold_exists) return undefined
    const why = 'gold has a row for a month silver has no rows for (monthly never deletes gold months)'
    return { monthKey: key, kind: 'orphan', reasons: [why], changes: [] }
  }
  const changes = row.gold_exists ? goldChanges(row) : []
  const untracked = Number(row.tracked_rows) !== Number(row.silver_rows)
  const recorded = (row.status === 'completed' || row.status === 'drifted') && row.silver_version !== null
  const believedCurrent =
    recorded &&
    Number(row.silver_version) === Number(row.version) &&
    Number(row.rec_rows) === Number(row.tracked_rows)
  const moved = believedCurrent ? movedFingerprint(row) : []
  const reasons: string[] = []
  if (untracked)
    reasons.push(
      `silver changed without tracking: ops.silver_months counts ${row.tracked_rows} rows, silver has ${row.silver_rows}`,
    )
  else if (moved.length > 0)
    reasons.push(
      `silver changed without tracking: content differs from the recorded fingerprint (${moved.join(', ')})`,
    )
  if (!row.gold_exists) reasons.push('gold row missing')
  else if (changes.length > 0) reasons.push(`gold differs in ${changes.map((c) => c.column).join(', ')}`)
  if (reasons.length === 0) return undefined
  if (row.status === 'drifted' || believedCurrent || untracked)
    return { monthKey: key, kind: 'drifted', reasons, changes }
  const state = row.status === null ? 'never processed' : row.status === 'completed' ? 'stale' : row.status
  return {
    monthKey: key,
    kind: 'pending',
    reasons: [`${state}: assay monthly plans it`, ...reasons],
    changes,
  }
}

async function compareTables(db: Queryable): Promise<TableFinding[]> {
  const keys: Record<string, string> = { product_performance: 'product_id', country_sales: 'country' }
  const out: TableFinding[] = []
  for (const stage of STAGES) {
    const { rows } = await db.query<{
      key: string
      kind: 'missing' | 'extra' | 'differs'
      changes: ValueDiff[] | null
    }>(compareStage(stage, keys[stage.name] ?? 'id'))
    const count = (kind: string) => rows.filter((r) => r.kind === kind).length
    out.push({
      table: stage.table,
      missing: count('missing'),
      extra: count('extra'),
      differing: count('differs'),
      examples: rows.slice(0, 5).map((r) => ({
        key: r.key,
        kind: r.kind,
        changes: (r.changes ?? []).map((c) => {
          const d = delta(c.stored, c.expected)
          return { ...c, ...(d ? { delta: d } : {}) }
        }),
      })),
    })
  }
  return out.filter((t) => t.missing + t.extra + t.differing > 0)
}

export interface VerifyOptions {
  /** Mark drifted months and re-sync silver tracking so `assay monthly` repairs them (default true). */
  mark?: boolean
  /** Also compare the reliable stages' tables (default true; they are whole-table, not per month). */
  reliable?: boolean
}

/**
 * Proves that gold equals silver for every month in scope: every gold column recomputed in one set-based pass and
 * compared with the stored row, the recorded input fingerprint compared with silver's content, silver's tracking
 * compared with its real row counts; and the reliable stages' tables recomputed and compared row by row. Drifted
 * months are marked `drifted` (with what differs) so a plain `assay monthly` redoes them.
 */
export async function verifyGold(
  db: Db,
  scopeInput: unknown,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const started = performance.now()
  const scope = parseMonthlyScope(scopeInput)
  const mark = options.mark !== false
  await preflight(db, 'monthly', { write: mark })
  const bounds = scopeBounds(scope)
  const { rows } = await db.query<MonthRow>(VERIFY_MONTHS, [
    bounds.from,
    bounds.to,
    bounds.from * 100 + 1,
    bounds.to * 100 + 31,
  ])
  const months = rows.flatMap((row) => judgeMonth(row) ?? [])
  const tables = options.reliable === false ? [] : await compareTables(db)
  const marked: string[] = []
  const drifted = months.filter((m) => m.kind === 'drifted')
  if (mark && drifted.length > 0) {
    const untracked = rows.filter((r) => r.tracked_rows !== r.silver_rows && r.silver_rows > 0)
    await db.transaction(async (tx) => {
      if (untracked.length > 0)
        await tx.query(RESYNC_TRACKING, [untracked.map((r) => r.yyyymm), untracked.map((r) => r.silver_rows)])
      await tx.query(MARK_DRIFTED, [
        drifted.map((m) => m.monthKey),
        drifted.map((m) => `drifted: ${m.reasons.join('; ')}`.slice(0, 1000)),
      ])
    })
    marked.push(...drifted.map((m) => m.monthKey))
  }
  return {
    scope,
    monthsChecked: rows.length,
    months,
    tables,
    marked,
    clean: months.length === 0 && tables.length === 0,
    ms: Math.round(performance.now() - started),
  }
}
