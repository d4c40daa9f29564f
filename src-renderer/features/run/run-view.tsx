import { EmptyState } from '../../components/feedback'
import { useRunForm } from '../../stores/run-form-store'
import { cancelRun, selectRunActive, startRun, useRuns } from '../../stores/runs-store'
import { useSetup } from '../../stores/setup-store'
import { DryRunResult } from './dry-run-result'
import { ExternalRuns } from './external-runs'
import { JobProgress } from './job-progress'
import { ResetPanel } from './reset-panel'
import { RunFormPanel } from './run-form'

function ReadyCallout() {
  const next = useSetup((s) => s.status?.next)
  const active = useRuns(selectRunActive)
  if (next !== 'run' || active) return null
  return (
    <div className="panel callout" role="status">
      <h2>Your data is ready</h2>
      <p>
        Silver is loaded and gold is empty. Run the monthly pipeline over every month that needs work to fill
        it.
      </p>
      <button
        type="button"
        className="button button-primary"
        onClick={() => void startRun({ pipeline: 'monthly', scope: { kind: 'pending' }, force: false })}
      >
        Run all pending months
      </button>
    </div>
  )
}

/** Run: choose pipeline and scope, preview with a dry-run, launch, watch live, cancel; reset. */
export function RunView() {
  const job = useRuns((s) => s.job)
  const dryRun = useRuns((s) => s.dryRun)
  const overview = useRuns((s) => s.overview)
  const pending = useRuns((s) => s.pending)
  const form = useRunForm((s) => s.form)
  const running = job?.status === 'running'
  return (
    <section className="view run-view" data-state="ready" aria-label="Run">
      <div className="run-layout">
        <aside className="panel run-side">
          <h2>Start a run</h2>
          <RunFormPanel />
          <h2 className="section-gap">Reset processing state</h2>
          <ResetPanel />
        </aside>
        <div className="run-main">
          <ReadyCallout />
          <ExternalRuns records={overview.active} ownRunIds={job?.runs.map((r) => r.runId) ?? []} />
          {dryRun ? (
            <DryRunResult
              options={dryRun.options}
              result={dryRun.result}
              canRun={!running && pending === null}
              onRun={() => void startRun(dryRun.options)}
            />
          ) : null}
          {job ? (
            <JobProgress job={job} onCancel={() => void cancelRun()} cancelling={pending === 'cancel'} />
          ) : null}
          {!job && !dryRun ? (
            <div className="panel">
              <EmptyState title="No run in this console yet">
                <p>
                  Choose a pipeline and the months to cover, then press <strong>Dry run</strong> to preview
                  the exact change to gold, or <strong>Run</strong> to start
                  {form.pipeline === 'both' ? ' both pipelines in order' : ''}.
                </p>
              </EmptyState>
            </div>
          ) : null}
        </div>
      </div>
    </section>
  )
}
