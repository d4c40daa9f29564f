import { describe, expect, it } from 'vitest'
import { UnitState } from './contract.js'
import { UnitStatus } from './history.js'
import {
  checkpointOutcome,
  describeSqlstate,
  historyUnitState,
  MONTH_STATES,
  PROGRESS_STATES,
  RESUMABLE_RUN_STATUSES,
  RUN_STATES,
  runDuration,
  runProgress,
  runRetries,
  runStateLabel,
  UNIT_STATES,
} from './ops-states.js'
import { MonthStatus, RunStatus } from './pipeline.js'

describe('ops states', () => {
  it('reads every state of every enum', () => {
    expect(Object.keys(RUN_STATES).sort()).toEqual([...RunStatus.options].sort())
    expect(Object.keys(MONTH_STATES).sort()).toEqual([...MonthStatus.options].sort())
    expect(Object.keys(UNIT_STATES).sort()).toEqual([...UnitStatus.options].sort())
    expect(Object.keys(PROGRESS_STATES).sort()).toEqual([...UnitState.options].sort())
  })

  it('counts only failed as a failure: cancelled and interrupted are not', () => {
    for (const states of [RUN_STATES, MONTH_STATES, UNIT_STATES, PROGRESS_STATES]) {
      const failures = Object.entries(states)
        .filter(([, info]) => info.failure)
        .map(([status]) => status)
      expect(failures).toEqual(['failed'])
    }
  })

  it('tells an interrupted run from a cancelled one', () => {
    expect(RUN_STATES.interrupted.label).toBe('Interrupted')
    expect(RUN_STATES.cancelled.label).toBe('Cancelled')
    expect(RESUMABLE_RUN_STATUSES).toEqual(['failed', 'cancelled', 'interrupted'])
    expect(runStateLabel('interrupted')).toBe('Interrupted')
    expect(runStateLabel('paused')).toBe('paused')
  })
})

describe('ops states: what the views derive', () => {
  it('a unit in flight when its run stopped is interrupted (crash) or cancelled, not running', () => {
    // [the unit's stored status, its run's status, what the history shows]
    const cases = [
      ['in_progress', 'interrupted', 'interrupted'],
      ['in_progress', 'failed', 'interrupted'],
      ['in_progress', 'cancelled', 'cancelled'],
      ['in_progress', 'running', 'in_progress'],
      ['pending', 'failed', 'not_run'],
      ['failed', 'failed', 'failed'],
    ] as const
    expect(cases.map(([unit, run]) => historyUnitState(unit, run))).toEqual(cases.map(([, , shown]) => shown))
  })

  it('a failed run’s progress is red even when every unit is over', () => {
    const unit = (state: 'completed' | 'failed') => ({ state }) as never
    const p = runProgress({ status: 'failed', units: [unit('completed'), unit('completed'), unit('failed')] })
    expect(p).toEqual({ done: 3, total: 3, tone: 'failed' })
    expect(runProgress({ status: 'completed', units: [unit('completed')] }).tone).toBe('ok')
  })

  it('counts a cancelled stage as a cancellation, not a failure', () => {
    expect(checkpointOutcome('failed', { cancelled: true })).toBe('cancelled')
    expect(checkpointOutcome('failed', { error: 'x' })).toBe('failed')
    expect(checkpointOutcome('failed', null)).toBe('failed')
  })

  it('names SQLSTATEs, 22012 as well as 40001', () => {
    expect(describeSqlstate('22012')).toBe('SQLSTATE 22012 (division_by_zero)')
    expect(describeSqlstate('40001')).toBe('SQLSTATE 40001 (serialization_failure)')
    expect(describeSqlstate('99999')).toBe('SQLSTATE 99999')
  })

  it('a crashed run’s retries come from its units’ attempts; its duration is not the reaping time', () => {
    const attempts = [
      { outcome: 'failed', delayMs: 100 },
      { outcome: 'failed', delayMs: 200 },
      { outcome: 'running', delayMs: null },
    ]
    expect(runRetries(0, [{ attempts }, { attempts: attempts.slice(0, 2) }])).toBe(4)
    expect(runRetries(5, [{ attempts }])).toBe(5)
    const run = { durationMs: null, startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T01:00:00Z' }
    expect(runDuration({ ...run, status: 'interrupted' })).toBeNull()
    expect(runDuration({ ...run, status: 'failed' })).toBe(3_600_000)
  })
})
