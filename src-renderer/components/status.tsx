import type { UnitState } from '../../src-shared/contract'
import type { MonthStatus } from '../../src-shared/pipeline'

export const MONTH_STATUS_LABEL: Record<MonthStatus, string> = {
  completed: 'Completed',
  in_progress: 'In progress',
  failed: 'Failed',
  stale: 'Stale',
  interrupted: 'Interrupted',
  pending: 'Never processed',
  no_data: 'No data',
}

/** A glyph per status, so colour is never the only signal. */
export const MONTH_STATUS_GLYPH: Record<MonthStatus, string> = {
  completed: '✓',
  in_progress: '●',
  failed: '✕',
  stale: '!',
  interrupted: '‖',
  pending: '○',
  no_data: '–',
}

export const MONTH_STATUSES = Object.keys(MONTH_STATUS_LABEL) as MonthStatus[]

export function MonthStatusBadge({ status }: { status: MonthStatus }) {
  return (
    <span className={`badge status-${status}`}>
      <span aria-hidden="true">{MONTH_STATUS_GLYPH[status]}</span> {MONTH_STATUS_LABEL[status]}
    </span>
  )
}

const UNIT_LABEL: Record<UnitState, string> = {
  pending: 'Waiting',
  running: 'Running',
  retrying: 'Retrying',
  completed: 'Completed',
  skipped: 'Skipped',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

const UNIT_CLASS: Record<UnitState, string> = {
  pending: 'status-pending',
  running: 'status-in_progress',
  retrying: 'status-stale',
  completed: 'status-completed',
  skipped: 'status-no_data',
  failed: 'status-failed',
  cancelled: 'status-interrupted',
}

/** A unit's state; `finished` says the run is over, so a unit still waiting was never run. */
export function UnitStateBadge({ state, finished = false }: { state: UnitState; finished?: boolean }) {
  const label = finished && state === 'pending' ? 'Not run' : UNIT_LABEL[state]
  return <span className={`badge ${UNIT_CLASS[state]}`}>{label}</span>
}

/** Run and job statuses share the unit palette. */
export function RunStatusBadge({
  status,
}: {
  status: 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted'
}) {
  const state: UnitState = status === 'interrupted' ? 'cancelled' : status
  return (
    <span className={`badge ${UNIT_CLASS[state]}`}>
      {status === 'running' ? 'Running' : (UNIT_LABEL[state] ?? status)}
    </span>
  )
}
