/**
 * One reading of every state the ops tables and a run's progress can be in, shared by the console's views and
 * the CLI: its label, a glyph (so colour is never the only signal), a tone (the colour family), and what it means
 * for the operator. The rules, once: a cancellation is the operator's choice, not a failure; an interrupted run
 * (its runner died) is not a cancelled one; only `failed` counts as a failure.
 */
import type { UnitState } from './contract.js'
import type { UnitStatus } from './history.js'
import type { MonthStatus, RunStatus } from './pipeline.js'

/** The colour family a state is drawn in; the renderer maps each to one CSS class. */
export type Tone = 'ok' | 'active' | 'warn' | 'failed' | 'stopped' | 'waiting' | 'muted'

export interface StateInfo {
  label: string
  glyph: string
  tone: Tone
  /** Counts as a failure (in totals, exit codes, outlines); cancelled and interrupted do not. */
  failure: boolean
  /** Will not change by itself. */
  final: boolean
}

const state = (label: string, glyph: string, tone: Tone, final: boolean, failure = false): StateInfo => ({
  label,
  glyph,
  tone,
  failure,
  final,
})

/** ops.pipeline_runs.status. */
export const RUN_STATES: Record<RunStatus, StateInfo & { resumable: boolean }> = {
  running: { ...state('Running', '●', 'active', false), resumable: false },
  completed: { ...state('Completed', '✓', 'ok', true), resumable: false },
  failed: { ...state('Failed', '✕', 'failed', true, true), resumable: true },
  cancelled: { ...state('Cancelled', '■', 'stopped', true), resumable: true },
  interrupted: { ...state('Interrupted', '‖', 'stopped', true), resumable: true },
}

/** A month as the Months view derives it (ops.processed_months plus silver). */
export const MONTH_STATES: Record<MonthStatus, StateInfo> = {
  completed: state('Completed', '✓', 'ok', true),
  in_progress: state('In progress', '●', 'active', false),
  failed: state('Failed', '✕', 'failed', true, true),
  stale: state('Stale', '!', 'warn', true),
  interrupted: state('Interrupted', '‖', 'stopped', true),
  pending: state('Never processed', '○', 'waiting', true),
  no_data: state('No data', '–', 'muted', true),
}

/** A unit (month or stage) of a finished or running run, from its checkpoint (run detail). */
export const UNIT_STATES: Record<UnitStatus, StateInfo> = {
  completed: state('Completed', '✓', 'ok', true),
  failed: state('Failed', '✕', 'failed', true, true),
  in_progress: state('Running', '●', 'active', false),
  pending: state('Waiting', '○', 'waiting', false),
  skipped: state('Skipped', '–', 'muted', true),
  not_run: state('Not run', '○', 'muted', true),
}

/** A unit's live state in a run's progress. */
export const PROGRESS_STATES: Record<UnitState, StateInfo> = {
  pending: state('Waiting', '○', 'waiting', false),
  running: state('Running', '●', 'active', false),
  retrying: state('Retrying', '↻', 'warn', false),
  completed: state('Completed', '✓', 'ok', true),
  skipped: state('Skipped', '–', 'muted', true),
  failed: state('Failed', '✕', 'failed', true, true),
  cancelled: state('Cancelled', '■', 'stopped', true),
}

/** Run statuses a reliable run can be resumed from (its completed stages are skipped). */
export const RESUMABLE_RUN_STATUSES = (Object.keys(RUN_STATES) as RunStatus[]).filter(
  (status) => RUN_STATES[status].resumable,
)

/** The label of a run status, or the raw value for one another writer stored. */
export function runStateLabel(status: string): string {
  return status in RUN_STATES ? RUN_STATES[status as RunStatus].label : status
}
