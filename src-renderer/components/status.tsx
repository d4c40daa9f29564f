import type { UnitState } from '../../src-shared/contract'
import {
  MONTH_STATES,
  PROGRESS_STATES,
  RUN_STATES,
  type StateInfo,
  type Tone,
} from '../../src-shared/ops-states'
import type { MonthStatus, RunStatus } from '../../src-shared/pipeline'

const pick = <K extends string>(states: Record<K, StateInfo>, field: 'label' | 'glyph') =>
  Object.fromEntries(Object.entries<StateInfo>(states).map(([k, v]) => [k, v[field]])) as Record<K, string>

export const MONTH_STATUS_LABEL = pick(MONTH_STATES, 'label')

/** A glyph per status, so colour is never the only signal. */
export const MONTH_STATUS_GLYPH = pick(MONTH_STATES, 'glyph')

export const MONTH_STATUSES = Object.keys(MONTH_STATES) as MonthStatus[]

/** The palette is the months' one: each tone is drawn as the month status of the same meaning. */
export const TONE_CLASS: Record<Tone, string> = {
  ok: 'status-completed',
  active: 'status-in_progress',
  warn: 'status-stale',
  failed: 'status-failed',
  stopped: 'status-interrupted',
  waiting: 'status-pending',
  muted: 'status-no_data',
}

export function MonthStatusBadge({ status }: { status: MonthStatus }) {
  return (
    <span className={`badge status-${status}`}>
      <span aria-hidden="true">{MONTH_STATUS_GLYPH[status]}</span> {MONTH_STATUS_LABEL[status]}
    </span>
  )
}

/** A unit's state; `finished` says the run is over, so a unit still waiting was never run. */
export function UnitStateBadge({ state, finished = false }: { state: UnitState; finished?: boolean }) {
  const info = PROGRESS_STATES[state]
  const label = finished && state === 'pending' ? 'Not run' : info.label
  return <span className={`badge ${TONE_CLASS[info.tone]}`}>{label}</span>
}

/** Run and job statuses: an interrupted run (its runner died) reads as such, not as cancelled. */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  const info = RUN_STATES[status]
  return <span className={`badge ${TONE_CLASS[info.tone]}`}>{info.label}</span>
}
