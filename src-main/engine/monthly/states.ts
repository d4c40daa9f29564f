import { monthKey, yyyymm } from '../../../src-shared/months.js'
import type { MonthState, MonthStatus } from '../../../src-shared/pipeline.js'
import type { Db } from '../db/types.js'
import { LOCK } from '../ops/locks.js'
import { scopeBounds } from './scope.js'
import { MONTH_ROWS, type MonthRow } from './states-sql.js'

/** A month as planning sees it: its stored row, the silver tracking, and the derived status. */
export interface MonthView {
  row: MonthRow
  key: string
  status: MonthStatus
}

/** Which of these months (yyyymm) have their lock held by a live runner. Takes no lock. */
export async function heldMonthLocks(db: Db, months: number[]): Promise<Set<number>> {
  if (months.length === 0) return new Set()
  const held = await db.heldLocks(LOCK.month)
  return new Set(months.filter((m) => held.has(m)))
}

/**
 * The status a month shows. Stored statuses are in_progress/completed/failed; the rest are derived:
 * interrupted = in_progress with nobody holding its lock; stale = completed, but silver moved since
 * (another version, or another row count, or no fingerprint at all — processed by an older tool); drifted = marked
 * so by verify or a run's drift check, or completed but its gold row no longer holds what the run wrote.
 */
export function deriveStatus(row: MonthRow, locked: boolean): MonthStatus {
  switch (row.status) {
    case 'in_progress':
      return locked ? 'in_progress' : 'interrupted'
    case 'failed':
      return 'failed'
    case 'drifted':
      return 'drifted'
    case 'completed':
      if (!isCurrent(row)) return 'stale'
      return row.gold_ok === false ? 'drifted' : 'completed'
    default:
      return row.tracked_rows > 0 ? 'pending' : 'no_data'
  }
}

/** A completed month's fingerprint still matches silver's tracking. */
export function isCurrent(
  row: Pick<MonthRow, 'silver_version' | 'silver_rows' | 'version' | 'tracked_rows'>,
) {
  return row.silver_version === row.version && row.silver_rows === row.tracked_rows
}

/** Every known month in the bounds, with derived statuses: two small tables, never a scan of silver. */
export async function loadMonths(db: Db, bounds: { from: number; to: number }): Promise<MonthView[]> {
  const { rows } = await db.query<MonthRow>(MONTH_ROWS, [bounds.from, bounds.to])
  const running = rows.filter((r) => r.status === 'in_progress').map((r) => yyyymm(r))
  const held = await heldMonthLocks(db, running)
  return rows.map((row) => ({ row, key: monthKey(row), status: deriveStatus(row, held.has(yyyymm(row))) }))
}

function toState({ row, key, status }: MonthView): MonthState {
  return {
    monthKey: key,
    year: row.year,
    month: row.month,
    status,
    silverRows: row.tracked_rows,
    processedAt: row.processed_at,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    runId: row.run_id,
    host: row.host,
    attempts: row.attempts,
    error: row.error,
    sqlstate: row.sqlstate,
    fingerprint:
      row.silver_version === null
        ? null
        : {
            rows: row.silver_rows ?? 0,
            revenue: row.silver_revenue ?? '0.00',
            quantity: row.silver_quantity ?? 0,
            transactions: row.silver_transactions ?? 0,
            version: row.silver_version,
          },
  }
}

/** Every known month (from silver and from ops.processed_months) with its derived status, oldest first. */
export async function monthStates(db: Db): Promise<MonthState[]> {
  const views = await loadMonths(db, scopeBounds({ kind: 'all' }))
  return views.map(toState)
}
