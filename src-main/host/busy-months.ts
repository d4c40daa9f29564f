import { yyyymm } from '../../src-shared/months.js'
import type { MonthlyScope, MonthState } from '../../src-shared/pipeline.js'
import { AssayError } from '../engine/errors.js'
import { scopeBounds } from '../engine/monthly/scope.js'

/**
 * Refuses an explicit scope whose every month with data is being processed by a live run elsewhere: the run
 * would only skip them, so the person gets the reason (which host, which run) instead of an empty run.
 */
export function assertNotAllBusy(scope: MonthlyScope, months: readonly MonthState[]): void {
  if (scope.kind === 'pending') return
  const { from, to, only } = scopeBounds(scope)
  const wanted = months.filter(
    (m) => yyyymm(m) >= from && yyyymm(m) <= to && (!only || only.has(yyyymm(m))) && m.status !== 'no_data',
  )
  const busy = wanted.filter((m) => m.status === 'in_progress')
  if (wanted.length === 0 || busy.length < wanted.length) return
  const first = busy[0]!
  const keys = busy.map((m) => m.monthKey).join(', ')
  const since = first.startedAt ? `, started ${first.startedAt.slice(11, 19)} UTC` : ''
  throw new AssayError(
    'run_active',
    `a run is already active on ${keys} from host ${first.host ?? 'unknown'} (run ${first.runId?.slice(0, 8) ?? '?'}${since}) — wait for it to finish`,
  )
}
