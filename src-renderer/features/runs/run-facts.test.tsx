import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { blankUnit, type RunDetail, type RunUnit } from '../../../src-shared/history'
import { runRecord } from '../../../src-shared/history.fixture'
import { RunFacts } from './run-facts'
import { RunTimeline } from './run-timeline'

const start = '2026-01-01T10:00:00.000Z'
const failedAttempt = (n: number) => ({
  attempt: n,
  at: start,
  outcome: 'failed' as const,
  error: 'connection reset',
  code: 'ECONNRESET',
  delayMs: 100,
})
const unit = blankUnit('2011-09', {
  stage: 'monthly',
  status: 'in_progress',
  startTime: start,
  attempts: [failedAttempt(1), failedAttempt(2), failedAttempt(3), failedAttempt(4)],
})
const done: RunUnit = {
  ...unit,
  unit: '2011-08',
  status: 'completed',
  endTime: '2026-01-01T10:00:42.000Z',
  attempts: [],
}
// A run whose connection was lost: a later run marked it interrupted (hours later), never writing retries.
const detail: RunDetail = {
  run: runRecord({
    runId: 'r-crashed',
    pipelineName: 'monthly',
    pipeline: 'monthly',
    status: 'interrupted',
    startedAt: start,
    endedAt: '2026-01-01T15:00:00.000Z',
    durationMs: null,
    planned: ['2011-08', '2011-09'],
    done: ['2011-08'],
    failed: [],
    retries: 0,
    error: null,
    sqlstate: null,
  }),
  units: [done, unit],
  resumable: false,
  resumedBy: [],
}

describe('a crashed run in the history', () => {
  it('shows the retries that happened and a duration, not 0 and "—"', () => {
    const html = renderToStaticMarkup(<RunFacts detail={detail} />)
    expect(html).toMatch(/data-testid="run-retries">4</)
    expect(html).toMatch(/data-testid="run-duration">at least 42\.0 s</)
  })

  it('counts a retried unit’s last wait into the duration it knows of', () => {
    const late = (n: number) => ({ ...failedAttempt(n), at: '2026-01-01T10:01:00.000Z', delayMs: 4000 })
    const retried = { ...unit, attempts: [failedAttempt(1), late(2)] }
    const html = renderToStaticMarkup(<RunFacts detail={{ ...detail, units: [done, retried] }} />)
    expect(html).toMatch(/data-testid="run-duration">at least 1 min 04 s</)
  })

  it('draws the month in flight as interrupted, not a running bar', () => {
    const html = renderToStaticMarkup(<RunTimeline run={detail.run} units={detail.units} now={Date.now()} />)
    expect(html).toContain('data-status="interrupted"')
    expect(html).not.toContain('unit-in_progress')
  })
})
