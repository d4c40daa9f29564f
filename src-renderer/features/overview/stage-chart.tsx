import type { StageRun } from '../../../src-shared/overview'
import { BarChart, ChartLegend } from '../../components/bar-chart'
import { formatDuration, formatTime } from '../../lib/format'
import { showRun } from '../../stores/view-store'

/** How long each reliable stage took in the last runs (a failed stage's bar is its time until it failed). */
export function StageChart({ runs }: { runs: StageRun[] }) {
  const stages = [...new Set(runs.flatMap((r) => r.stages.map((s) => s.stage)))]
  return (
    <section className="panel" aria-labelledby="stages-title" data-testid="stage-chart">
      <header className="panel-header">
        <h2 id="stages-title">Stage durations, recent reliable runs</h2>
        <ChartLegend series={stages} />
      </header>
      {runs.length === 0 ? (
        <p className="muted">
          No reliable run yet — run the reliable pipeline to see how long its stages take.
        </p>
      ) : (
        <>
          <BarChart
            label="Stage durations of recent reliable runs"
            series={stages}
            axisLabel="Duration"
            format={formatDuration}
            width={460}
            groups={runs.map((run) => ({
              key: run.runId,
              label: formatTime(run.startedAt),
              values: stages.map((stage) => run.stages.find((s) => s.stage === stage)?.durationMs ?? null),
              className: run.status === 'failed' ? 'chart-problem' : undefined,
            }))}
          />
          <p className="muted small">
            Runs by start time, oldest left.{' '}
            {runs.some((r) => r.status === 'failed') ? 'Failed runs are outlined. ' : ''}
            Latest:{' '}
            <button type="button" className="link" onClick={() => showRun(runs[runs.length - 1]!.runId)}>
              open its detail
            </button>
          </p>
        </>
      )}
    </section>
  )
}
