import { useEffect } from 'react'
import { endedAs } from '../../../src-shared/ops-states'
import { InlineError } from '../../components/feedback'
import { useMonths } from '../../stores/months-store'
import { loadOverview, useOverview } from '../../stores/overview-store'
import { rerunMonths, useRuns } from '../../stores/runs-store'
import { showRun } from '../../stores/view-store'
import { BreakerCard } from './breaker-card'
import { HealthCards } from './health-cards'
import { LayersPanel } from './layers-panel'
import { RevenuePanel } from './revenue-panel'
import { StageChart } from './stage-chart'

/** The outcome of a run a fix button started: a failure is said here, where the click was. */
function FixRunOutcome() {
  const fixJobId = useOverview((s) => s.fixJobId)
  const job = useRuns((s) => (s.job && s.job.jobId === fixJobId ? s.job : null))
  if (!job || job.status === 'running' || job.status === 'completed') return null
  const run = job.runs.find((r) => r.status !== 'completed') ?? job.runs[job.runs.length - 1]
  return (
    <div className="banner banner-danger" role="alert" data-testid="fix-run-outcome">
      <strong>The run {endedAs(job.status)}.</strong> {job.error ?? run?.error ?? ''}{' '}
      {run ? (
        <button type="button" className="link" onClick={() => showRun(run.runId)}>
          Open the run
        </button>
      ) : null}
    </div>
  )
}

/** Every failed month in one click: a monthly run of exactly those months. */
function RerunFailed({ failed }: { failed: string[] }) {
  const busy = useRuns((s) => s.pending !== null || s.job?.status === 'running')
  if (failed.length === 0) return null
  return (
    <div className="panel callout" data-testid="rerun-failed">
      <p>
        <strong>
          {failed.length} month{failed.length === 1 ? '' : 's'} failed:
        </strong>{' '}
        {failed.join(', ')}.{' '}
        <button
          type="button"
          className="button button-small button-primary"
          disabled={busy}
          onClick={() => void rerunMonths(failed)}
        >
          Re-run failed months only
        </button>
      </p>
    </div>
  )
}

/** Overview: can the numbers be trusted? Prerequisites, pipeline health, revenue reconciled, the breaker. */
export function OverviewView() {
  const overview = useOverview((s) => s.overview)
  const error = useOverview((s) => s.error)
  const months = useMonths((s) => s.months)
  const statusOf = (key: string) => months.find((m) => m.monthKey === key)?.status
  useEffect(() => {
    void loadOverview()
  }, [])
  return (
    <section className="view overview-view" data-state={overview ? 'ready' : 'loading'} aria-label="Overview">
      <InlineError message={error} />
      <FixRunOutcome />
      <RerunFailed failed={months.filter((m) => m.status === 'failed').map((m) => m.monthKey)} />
      {overview ? (
        <>
          <div className="overview-top">
            <LayersPanel overview={overview} />
            <BreakerCard breaker={overview.breaker} />
          </div>
          <div className="overview-charts">
            <RevenuePanel
              months={overview.months}
              missing={overview.monthsMissingInGold}
              statusOf={statusOf}
            />
            <StageChart runs={overview.stageRuns} />
          </div>
          <HealthCards overview={overview} />
        </>
      ) : null}
    </section>
  )
}
