import { describe, expect, it } from 'vitest'
import { UnitState } from './contract.js'
import { UnitStatus } from './history.js'
import {
  MONTH_STATES,
  PROGRESS_STATES,
  RESUMABLE_RUN_STATUSES,
  RUN_STATES,
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
