import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { DryRun } from '../../../src-shared/contract'
import { jobSnapshot, runProgress, unitProgress } from '../../../src-shared/run-progress.fixture'
import { DryRunResult } from './dry-run-result'
import { JobProgress } from './job-progress'

const job = jobSnapshot({
  options: { pipeline: 'both', scope: { kind: 'year', year: 2011 }, force: false },
  runs: [
    runProgress({
      seq: 4,
      units: [
        unitProgress('2011-01', { state: 'completed', attempt: 1, durationMs: 1200, rows: 1 }),
        unitProgress('2011-02', {
          state: 'retrying',
          attempt: 2,
          maxAttempts: 4,
          startedAt: '2024-05-01T10:00:02.000Z',
          nextAttemptAt: '2024-05-01T10:00:06.000Z',
          error: 'could not serialize access',
        }),
        unitProgress('2011-03'),
      ],
    }),
  ],
})

describe('job progress', () => {
  it('shows each month’s status, the retry with its next attempt time, and a Cancel button', () => {
    const html = renderToStaticMarkup(<JobProgress job={job} onCancel={() => undefined} cancelling={false} />)
    expect(html).toContain('Running: Monthly, then reliable')
    expect(html).toContain('1 of 3 months completed')
    expect(html).toMatch(/attempt 2 of 4 failed: could not serialize access — next try at \d\d:\d\d:06/)
    expect(html).toContain('>Cancel</button>')
    expect(html).toContain('The reliable pipeline starts when the monthly run completes.')
  })

  it('says a cancelled job rolled back the month in flight', () => {
    const html = renderToStaticMarkup(
      <JobProgress
        job={{ ...job, status: 'cancelled', endedAt: job.startedAt }}
        onCancel={() => undefined}
        cancelling={false}
      />,
    )
    expect(html).toContain('the month in flight was rolled back')
    expect(html).not.toContain('>Cancel</button>')
  })
})

describe('dry-run result', () => {
  it('lists the plan with the exact change to gold and the skipped months', () => {
    const result: DryRun = {
      monthly: {
        items: [
          {
            monthKey: '2011-02',
            year: 2011,
            month: 2,
            reason: 'stale',
            silverRows: 812,
            diff: { action: 'update', changes: [{ column: 'total_revenue', old: '100.00', new: '120.50' }] },
          },
        ],
        skipped: [{ monthKey: '2011-01', reason: 'up_to_date', detail: 'completed at 10:00' }],
      },
      reliable: null,
    }
    const html = renderToStaticMarkup(
      <DryRunResult options={job.options} result={result} onRun={() => undefined} canRun={true} />,
    )
    expect(html).toContain('Dry run: nothing was written')
    expect(html).toContain('1 month would be processed; 1 month skipped.')
    expect(html).toContain('silver changed')
    expect(html).toContain('total_revenue')
    expect(html).toContain('100.00')
    expect(html).toContain('120.50')
    expect(html).toContain('up to date')
  })
})
