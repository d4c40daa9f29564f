import { useEffect } from 'react'
import { EmptyState, InlineError } from '../../components/feedback'
import { MoreButton } from '../../components/more-button'
import { loadDetail, loadMoreRuns, loadRuns, setRunFilters, useRunList } from '../../stores/history-store'
import { useLogs } from '../../stores/logs-store'
import { showView, useView } from '../../stores/view-store'
import { ExportButton } from '../export/export-button'
import { RunDetailView } from './run-detail'
import { RunsFilters } from './runs-filters'
import { RunsTable } from './runs-table'

function RunsList() {
  const runs = useRunList((s) => s.records)
  const filters = useRunList((s) => s.filters)
  const next = useRunList((s) => s.next !== null)
  const loaded = useRunList((s) => s.loaded)
  const loading = useRunList((s) => s.loading)
  const error = useRunList((s) => s.error)
  const pipelines = useLogs((s) => s.facets.pipelines)
  const filtered = Object.values(filters).some(Boolean)
  return (
    <section className="view runs-view" data-state={loaded ? 'ready' : 'loading'} aria-label="Runs">
      <div className="panel">
        <header className="panel-header">
          <h2>Runs</h2>
          <ExportButton
            table="runs"
            what="runs"
            filter={{
              pipeline: filters.pipeline,
              status: filters.status,
              from: filters.from,
              to: filters.to,
            }}
            blocked={filters.trigger ? 'the runs export cannot filter by trigger — clear it first' : null}
          />
        </header>
        <RunsFilters filters={filters} pipelines={pipelines} onChange={(f) => void setRunFilters(f)} />
        <InlineError message={error} />
        {loaded && runs.length === 0 && !error ? (
          <EmptyState title={filtered ? 'No runs match these filters' : 'No runs yet'}>
            {filtered ? (
              <p>Clear or widen the filters.</p>
            ) : (
              <p>
                Start one from{' '}
                <button type="button" className="link" onClick={() => showView('run')}>
                  Run
                </button>{' '}
                or with <code>assay monthly</code> / <code>assay reliable</code>; every run from anywhere is
                listed here.
              </p>
            )}
          </EmptyState>
        ) : (
          <RunsTable runs={runs} />
        )}
        <MoreButton
          more={Boolean(next)}
          loading={loading}
          label="Older runs"
          onMore={() => void loadMoreRuns()}
        />
      </div>
    </section>
  )
}

/** Runs: the history from ops.pipeline_runs; #/runs/<id> opens one run's detail. */
export function RunsView() {
  const runId = useView((s) => s.runId)
  useEffect(() => {
    if (runId) void loadDetail(runId)
    else void loadRuns()
  }, [runId])
  return runId ? <RunDetailView runId={runId} /> : <RunsList />
}
