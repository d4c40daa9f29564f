import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { blankUnit, type RunUnit } from '../../../src-shared/history'
import { runRecord } from '../../../src-shared/history.fixture'
import { niceStep } from '../../components/bar-chart'
import { RunTimeline } from './run-timeline'
import { UnitFailure } from './unit-attempts'

const run = runRecord()
const unit = (name: string, patch: Partial<RunUnit>): RunUnit =>
  blankUnit(name, { status: 'completed', ...patch })

describe('run timeline', () => {
  it('places each unit on the run’s time axis and marks the failed one', () => {
    const html = renderToStaticMarkup(
      <RunTimeline
        run={run}
        now={Date.parse(run.endedAt!)}
        units={[
          unit('a', {
            startTime: '2024-05-01T10:00:00.000Z',
            endTime: '2024-05-01T10:00:05.000Z',
            durationMs: 5000,
          }),
          unit('b', {
            status: 'failed',
            startTime: '2024-05-01T10:00:05.000Z',
            endTime: '2024-05-01T10:00:10.000Z',
          }),
        ]}
      />,
    )
    expect(html).toContain('data-unit="b" data-status="failed"')
    expect(html).toMatch(/left:0%;width:max\(3px, calc\(50% - 0%\)\)/)
    expect(html).toMatch(/left:50%;width:max\(3px, calc\(100% - 50%\)\)/)
  })

  it('says how a failure was classified', () => {
    const html = renderToStaticMarkup(
      <UnitFailure
        stageWord="Stage"
        unit={unit('b', {
          status: 'failed',
          error: 'boom',
          sqlstate: '40001',
          transient: true,
          attempts: [
            { attempt: 1, at: null, outcome: 'failed', error: 'boom', code: '40001', delayMs: 1000 },
            { attempt: 2, at: null, outcome: 'failed', error: 'boom', code: '40001', delayMs: null },
          ],
        })}
      />,
    )
    expect(html).toContain('transient — retried 1 time<')
    expect(html).toContain('1.0 s')
  })

  it('chooses readable axis steps', () => {
    expect([niceStep(0.7), niceStep(13), niceStep(180), niceStep(31_000)]).toEqual([1, 20, 200, 50_000])
  })
})

describe('attempts on the timeline', () => {
  it('draws a retried unit as its attempts with the waits between them, each failure with its error', () => {
    const retried = unit('country_sales', {
      status: 'completed',
      startTime: '2024-05-01T10:00:01.000Z',
      endTime: '2024-05-01T10:00:09.000Z',
      durationMs: 8000,
      attempts: [
        {
          attempt: 1,
          at: '2024-05-01T10:00:02.000Z',
          outcome: 'failed',
          error: 'could not serialize access',
          code: '40001',
          delayMs: 1000,
        },
        {
          attempt: 2,
          at: '2024-05-01T10:00:04.000Z',
          outcome: 'failed',
          error: 'deadlock detected',
          code: '40P01',
          delayMs: 2000,
        },
        {
          attempt: 3,
          at: '2024-05-01T10:00:09.000Z',
          outcome: 'completed',
          error: null,
          code: null,
          delayMs: null,
        },
      ],
    })
    const html = renderToStaticMarkup(<RunTimeline run={run} units={[retried]} now={Date.now()} />)
    expect(html.match(/data-kind="failed"/g)).toHaveLength(2)
    expect(html.match(/data-kind="wait"/g)).toHaveLength(2)
    expect(html.match(/data-kind="final"/g)).toHaveLength(1)
    expect(html).toMatch(/attempt 2 failed at [\d:]+: deadlock detected \(40P01\)/)
    expect(html).toContain('waited 2.0 s before attempt 3')
  })
})
