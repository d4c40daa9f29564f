import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { JobSnapshot, RunProgress, UnitProgress } from '../../../src-shared/contract'
import { AT, jobSnapshot, runProgress, unitProgress } from '../../../src-shared/run-progress.fixture'
import { RunStatusBadge } from '../../components/status'
import { JobProgress } from './job-progress'

const unit = (name: string, state: UnitProgress['state'], error: string | null = null): UnitProgress =>
  unitProgress(name, { state, attempt: 1, startedAt: AT, durationMs: 10, error })
const run = (pipeline: RunProgress['pipeline'], units: UnitProgress[], error: string | null): RunProgress =>
  runProgress({ runId: `${pipeline}-run`, pipeline, status: 'failed', seq: 9, durationMs: 50, error, units })
const job = (options: JobSnapshot['options'], runs: RunProgress[], error: string | null): JobSnapshot =>
  jobSnapshot({ options, status: 'failed', endedAt: AT, error, runs })
const render = (j: JobSnapshot) =>
  renderToStaticMarkup(<JobProgress job={j} onCancel={() => undefined} cancelling={false} />)

describe('job progress states', () => {
  it('a crashed run reads Interrupted, not Cancelled', () => {
    const html = renderToStaticMarkup(<RunStatusBadge status="interrupted" />)
    expect(html).toContain('Interrupted')
    expect(html).not.toContain('Cancelled')
  })

  it('a run whose database was lost mid-run reads Interrupted in the Run view, as in Runs and the run detail', () => {
    const lost = {
      ...run('monthly', [unit('2011-01', 'completed'), unit('2011-02', 'interrupted')], 'connection lost'),
      status: 'interrupted' as const,
    }
    const options = { pipeline: 'monthly', scope: { kind: 'pending' }, force: false } as const
    const html = render({ ...job(options, [lost], 'connection lost'), status: 'interrupted' })
    expect(html.match(/>Interrupted</g)).toHaveLength(3) // the job, its run and the month in flight
    expect(html).not.toContain('Failed')
    expect(html).not.toContain('Running')
    expect(html).toContain('1 of 2 months completed, 1 interrupted')
    expect(html).toMatch(/class="progress progress-stopped/)
  })

  it('a failed reliable run’s progress bar is red, not a 100 % green bar', () => {
    const failed = run(
      'reliable',
      [unit('a', 'completed'), unit('b', 'failed', 'boom')],
      'stage b failed: boom',
    )
    const html = render(
      job(
        { pipeline: 'reliable', scope: { kind: 'pending' }, force: false },
        [failed],
        'stage b failed: boom',
      ),
    )
    expect(html).toMatch(/class="progress progress-failed[^"]*"/)
    expect(html).not.toMatch(/class="progress progress-ok/)
  })

  it('"Both" with a failed monthly run says reliable did not start, and prints the error once', () => {
    const monthly = run('monthly', [unit('2011-09', 'failed', 'division by zero')], '1 month failed: 2011-09')
    const options = { pipeline: 'both', scope: { kind: 'pending' }, force: false } as const
    const html = render(job(options, [monthly], '1 month failed: 2011-09'))
    expect(html).toContain('The reliable pipeline did not start: the monthly run failed.')
    expect(html.split('1 month failed: 2011-09').length - 1).toBe(1)
  })

  it('a run with no month in scope does not claim everything is up to date', () => {
    const empty = { ...run('monthly', [], null), status: 'completed' as const }
    const html = render({
      ...job({ pipeline: 'monthly', scope: { kind: 'pending' }, force: false }, [empty], null),
      status: 'completed',
    })
    expect(html).not.toContain('up to date')
    expect(html).toContain('no month in scope has silver data')
  })
})
