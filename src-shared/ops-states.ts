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
  drifted: state('Drifted', '≠', 'warn', true),
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
  /** In flight when its run ended without recording its end (a lost database): as the run detail says it. */
  interrupted: state('Interrupted', '‖', 'stopped', true),
}

/** Run statuses a reliable run can be resumed from (its completed stages are skipped). */
export const RESUMABLE_RUN_STATUSES = (Object.keys(RUN_STATES) as RunStatus[]).filter(
  (status) => RUN_STATES[status].resumable,
)

/** How a sentence says a run (or job) ended: "failed", "was cancelled", "was interrupted". */
export function endedAs(status: RunStatus): string {
  if (status === 'cancelled' || status === 'interrupted') return `was ${status}`
  return status === 'running' ? 'is running' : status
}

/** The label of a run status, or the raw value for one another writer stored. */
export function runStateLabel(status: string): string {
  return status in RUN_STATES ? RUN_STATES[status as RunStatus].label : status
}

/** A unit of a recorded run, resolved against its run: in flight when the run stopped = interrupted or cancelled. */
export type HistoryUnitState = UnitStatus | 'interrupted' | 'cancelled'

export const HISTORY_UNIT_STATES: Record<HistoryUnitState, StateInfo> = {
  ...UNIT_STATES,
  interrupted: state('Interrupted', '‖', 'stopped', true),
  cancelled: state('Cancelled', '■', 'stopped', true),
}

/**
 * What a recorded unit really is, given its run: a unit still `in_progress` in a run that is over was stopped
 * by the run's end (a crash: interrupted; or a cancel), never "running"; one still waiting was not run.
 */
export function historyUnitState(unit: UnitStatus, run: RunStatus): HistoryUnitState {
  if (run === 'running' || (unit !== 'in_progress' && unit !== 'pending')) return unit
  if (unit === 'pending') return 'not_run'
  if (run === 'cancelled') return 'cancelled'
  return run === 'completed' ? 'completed' : 'interrupted'
}

/** A run's live progress: how many units are over, and the tone of its bar (a failed run is never green). */
export function runProgress(run: { status: RunStatus; units: readonly { state: UnitState }[] }): {
  done: number
  total: number
  tone: Tone
} {
  const done = run.units.filter((u) => PROGRESS_STATES[u.state].final).length
  const failed = run.status === 'failed' || run.units.some((u) => PROGRESS_STATES[u.state].failure)
  const tone: Tone = failed
    ? 'failed'
    : RUN_STATES[run.status].tone === 'stopped'
      ? 'stopped'
      : RUN_STATES[run.status].tone
  return { done, total: run.units.length, tone }
}

/**
 * A checkpoint's outcome for counting: a stage stopped by a cancel is stored as `failed` with
 * `metadata.cancelled`, and is a cancellation, not a failure.
 */
export function checkpointOutcome(status: string, metadata: Record<string, unknown> | null): string {
  return status === 'failed' && metadata?.cancelled === true ? 'cancelled' : status
}

/** SQLSTATEs the pipelines meet, by name, so a code is never shown bare. */
export const SQLSTATE_NAMES: Record<string, string> = {
  '22012': 'division_by_zero',
  '23502': 'not_null_violation',
  '23505': 'unique_violation',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42P01': 'undefined_table',
  '42703': 'undefined_column',
  '53300': 'too_many_connections',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
  '57P02': 'crash_shutdown',
  '57P03': 'cannot_connect_now',
  '08001': 'sqlclient_unable_to_establish_sqlconnection',
  '08003': 'connection_does_not_exist',
  '08006': 'connection_failure',
}

/** "SQLSTATE 22012 (division_by_zero)", or the bare code when it has no name here. */
export function describeSqlstate(code: string): string {
  const name = SQLSTATE_NAMES[code]
  return name ? `SQLSTATE ${code} (${name})` : `SQLSTATE ${code}`
}

/** Retries a recorded run made: its own count, or (a crashed run never wrote it) its units' retried attempts. */
export function runRetries(
  recorded: number,
  units: readonly { attempts: readonly { outcome: string; delayMs: number | null }[] }[],
): number {
  const seen = units.reduce(
    (sum, u) => sum + u.attempts.filter((a) => a.outcome === 'failed' && a.delayMs !== null).length,
    0,
  )
  return Math.max(recorded, seen)
}

/**
 * A recorded run's duration: its own, or start to end when it ended without writing one. An interrupted run's
 * end is when a later run noticed it, not when it stopped: no duration from that.
 */
export function runDuration(run: {
  durationMs: number | null
  status: RunStatus
  startedAt: string
  endedAt: string | null
}): number | null {
  if (run.durationMs !== null) return run.durationMs
  if (!run.endedAt || run.status === 'interrupted') return null
  const ms = Date.parse(run.endedAt) - Date.parse(run.startedAt)
  return Number.isFinite(ms) && ms >= 0 ? ms : null
}
