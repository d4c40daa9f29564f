import { monthKey } from '../../../src-shared/months.js'
import type {
  MonthlyPlan,
  MonthlyScope,
  PlanItem,
  PlanReason,
  PlanSkip,
} from '../../../src-shared/pipeline.js'
import type { Db } from '../db/types.js'
import { preflight } from '../preflight.js'
import { computeDiffs } from './diff.js'
import { parseMonthlyScope, scopeBounds } from './scope.js'
import { loadMonths, type MonthView } from './states.js'

export interface PlanInput {
  scope: MonthlyScope
  force: boolean
  withDiff: boolean
}

const REASON: Partial<Record<MonthView['status'], PlanReason>> = {
  pending: 'new',
  failed: 'failed',
  stale: 'stale',
  drifted: 'drifted',
  interrupted: 'interrupted',
}

/** Why a completed month is skipped, for people. */
function upToDateDetail(view: MonthView): string {
  const when = view.row.processed_at ? ` at ${view.row.processed_at.slice(0, 19).replace('T', ' ')} UTC` : ''
  return `completed${when}; silver unchanged since (version ${view.row.version}); force to reprocess`
}

/**
 * Decides what a run would do, from ops.silver_months and ops.processed_months only (never a scan of silver):
 * `pending` = every month with silver rows that is new, failed, stale or interrupted; an explicit scope = its
 * months, completed ones skipped as up to date unless forced. Months without silver rows are reported, never
 * processed. With `withDiff`, each item carries the exact gold change, computed in a read-only transaction
 * that is rolled back.
 */
export async function planMonthly(db: Db, input: PlanInput): Promise<MonthlyPlan> {
  const scope = parseMonthlyScope(input.scope)
  // Runs check (for writing) before they plan; a dry-run checks here, for reading only.
  if (input.withDiff) await preflight(db, 'monthly', { write: false })
  const bounds = scopeBounds(scope)
  const views = (await loadMonths(db, bounds)).filter(
    (v) => !bounds.only || bounds.only.has(v.row.year * 100 + v.row.month),
  )
  const items: PlanItem[] = []
  const skipped: PlanSkip[] = []
  const explicit = scope.kind !== 'pending'

  for (const view of views) {
    const { row, key, status } = view
    if (status === 'in_progress') {
      skipped.push({
        monthKey: key,
        reason: 'running_elsewhere',
        detail: `being processed by run ${row.run_id ?? '?'} on ${row.host ?? 'an unknown host'}`,
      })
      continue
    }
    if (row.tracked_rows <= 0) {
      // A month nobody asked about and nothing was recorded for is not worth a line.
      if (explicit || row.status !== null)
        skipped.push({
          monthKey: key,
          reason: 'no_data',
          detail: 'no silver rows for this month: nothing to aggregate (not marked completed)',
        })
      continue
    }
    const reason: PlanReason | undefined =
      status === 'completed' ? (input.force ? 'forced' : undefined) : REASON[status]
    if (!reason) {
      if (explicit) skipped.push({ monthKey: key, reason: 'up_to_date', detail: upToDateDetail(view) })
      continue
    }
    items.push({ monthKey: key, year: row.year, month: row.month, reason, silverRows: row.tracked_rows })
  }

  if (bounds.single && views.length === 0) {
    skipped.push({
      monthKey: monthKey(bounds.single),
      reason: 'no_data',
      detail: 'no silver rows for this month: nothing to aggregate (not marked completed)',
    })
  }
  if (input.withDiff && items.length > 0) {
    const diffs = await computeDiffs(db, items)
    for (const item of items) item.diff = diffs.get(item.monthKey)
  }
  return { items, skipped }
}
