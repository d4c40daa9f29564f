import { describe, expect, it } from 'vitest'
import type { JobSnapshot, RunProgress } from './contract.js'
import type { RunEvent, RunRecord } from './pipeline.js'
import { AT, jobSnapshot } from './run-progress.fixture.js'
import {
  applyJobEvents,
  applyRunEvent,
  mergeJob,
  progressFromRecord,
  startRun,
  unitCounts,
} from './run-progress.js'

const at = AT
const started: Extract<RunEvent, { type: 'run.started' }> = {
  type: 'run.started',
  runId: 'r1',
  seq: 1,
  at,
  pipeline: 'monthly',
  planned: ['2011-01', '2011-02'],
  dryRun: false,
}

/** Applies run r1's event `type` with sequence number `seq`. */
function apply<T extends RunEvent['type']>(
  run: RunProgress,
  type: T,
  seq: number,
  fields: Omit<Extract<RunEvent, { type: T }>, 'type' | 'runId' | 'seq' | 'at'>,
): RunProgress {
  return applyRunEvent(run, { type, runId: 'r1', seq, at, ...fields } as unknown as RunEvent)
}

function job(runs = [startRun(started)]): JobSnapshot {
  return jobSnapshot({ runs })
}

describe('run progress', () => {
  it('starts with every planned unit waiting', () => {
    const run = startRun(started)
    expect(run.units.map((u) => [u.unit, u.state])).toEqual([
      ['2011-01', 'pending'],
      ['2011-02', 'pending'],
    ])
  })

  it('folds unit events, shows the next retry time, and ignores events it already has', () => {
    let run = startRun(started)
    run = apply(run, 'unit.started', 2, { unit: '2011-01', attempt: 1 })
    run = apply(run, 'unit.retrying', 3, {
      unit: '2011-01',
      attempt: 1,
      maxAttempts: 4,
      delayMs: 1000,
      nextAttemptAt: '2024-05-01T10:00:01.000Z',
      error: 'deadlock detected',
      sqlstate: '40P01',
    })
    expect(run.units[0]).toMatchObject({
      state: 'retrying',
      maxAttempts: 4,
      nextAttemptAt: '2024-05-01T10:00:01.000Z',
    })
    const same = apply(run, 'unit.started', 3, { unit: '2011-02', attempt: 1 })
    expect(same).toBe(run)
    run = apply(run, 'unit.completed', 4, { unit: '2011-01', durationMs: 1500, rows: 1, attempts: 2 })
    expect(run.units[0]).toMatchObject({ state: 'completed', attempt: 2, nextAttemptAt: null, error: null })
    expect(unitCounts(run)).toMatchObject({ completed: 1, pending: 1 })
  })

  it.each([
    { ended: 'cancelled', error: 'cancelled', why: 'the run is cancelled' },
    {
      ended: 'interrupted',
      error: "the run's final status could not be recorded",
      why: 'the run ends unrecorded (the database was lost)',
    },
  ] as const)('marks the unit in flight $ended when $why', ({ ended, error }) => {
    let run = startRun(started)
    run = apply(run, 'unit.started', 2, { unit: '2011-01', attempt: 1 })
    run = apply(run, 'run.finished', 3, { status: ended, durationMs: 10, error })
    expect(run.status).toBe(ended)
    expect(run.units.map((u) => u.state)).toEqual([ended, 'pending'])
  })

  it('adds runs from their run.started and reports events of runs it never saw start', () => {
    const second: RunEvent = {
      ...started,
      runId: 'r2',
      pipeline: 'reliable',
      planned: ['product_performance'],
    }
    const { job: next, missed } = applyJobEvents(job(), [
      second,
      { type: 'unit.started', runId: 'r3', seq: 5, at, unit: 'x', attempt: 1 },
    ])
    expect(next.runs.map((r) => r.runId)).toEqual(['r1', 'r2'])
    expect(missed).toBe(true)
  })

  it('merges a snapshot without going back to fewer applied events', () => {
    const local = applyJobEvents(job(), [
      { type: 'unit.started', runId: 'r1', seq: 2, at, unit: '2011-01', attempt: 1 },
    ]).job
    const stale = { ...job(), cancelRequested: true }
    const merged = mergeJob(local, stale)
    expect(merged.cancelRequested).toBe(true)
    expect(merged.runs[0]?.seq).toBe(2)
    expect(mergeJob(local, { ...stale, jobId: 'j2' }).jobId).toBe('j2')
  })

  it('derives progress of a run known only from its record', () => {
    const record = {
      runId: 'r9',
      pipeline: 'monthly',
      status: 'running',
      startedAt: at,
      durationMs: null,
      error: null,
      planned: ['a', 'b', 'c', 'd'],
      done: ['a'],
      failed: ['b'],
      skipped: ['c'],
    } as unknown as RunRecord
    expect(progressFromRecord(record).units.map((u) => u.state)).toEqual([
      'completed',
      'failed',
      'skipped',
      'pending',
    ])
  })
})
