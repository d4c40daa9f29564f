import { useEffect } from 'react'
import { EmptyState, InlineError } from '../../components/feedback'
import { MoreButton } from '../../components/more-button'
import { plural } from '../../lib/format'
import {
  loadCheckpoints,
  loadMoreCheckpoints,
  setCheckpointFilters,
  useCheckpointFacets,
  useCheckpoints,
} from '../../stores/checkpoints-store'
import { useLogs } from '../../stores/logs-store'
import { showView } from '../../stores/view-store'
import { ExportButton } from '../export/export-button'
import { CheckpointFilterBar } from './checkpoint-filters'
import { CheckpointsTable } from './checkpoints-table'

/** Checkpoints: ops.pipeline_checkpoint with server-side filters, paging and export. */
export function CheckpointsView() {
  const records = useCheckpoints((s) => s.records)
  const filters = useCheckpoints((s) => s.filters)
  const more = useCheckpoints((s) => s.next !== null)
  const loaded = useCheckpoints((s) => s.loaded)
  const loading = useCheckpoints((s) => s.loading)
  const error = useCheckpoints((s) => s.error)
  const facets = useCheckpointFacets((s) => s.facets)
  const recentRuns = useLogs((s) => s.facets.runs)
  useEffect(() => {
    void loadCheckpoints()
  }, [])
  const filtered = Object.values(filters).some(Boolean)
  return (
    <section
      className="view checkpoints-view"
      data-state={loaded ? 'ready' : 'loading'}
      aria-label="Checkpoints"
    >
      <div className="panel">
        <header className="panel-header">
          <h2>Checkpoints</h2>
          <div className="panel-header-actions">
            <span className="muted">
              {plural(records.length, 'checkpoint')} loaded{more ? ' (more below)' : ''}
            </span>
            <ExportButton table="checkpoints" filter={filters} what="checkpoints" />
          </div>
        </header>
        <CheckpointFilterBar
          filters={filters}
          facets={facets}
          runs={recentRuns}
          onChange={(f) => void setCheckpointFilters(f)}
        />
        <InlineError message={error} />
        {loaded && records.length === 0 && !error ? (
          <EmptyState title={filtered ? 'No checkpoints match these filters' : 'No checkpoints yet'}>
            {filtered ? (
              <p>Clear or widen the filters.</p>
            ) : (
              <p>
                Every month and stage a pipeline processes writes one. Start a run from{' '}
                <button type="button" className="link" onClick={() => showView('run')}>
                  Run
                </button>
                .
              </p>
            )}
          </EmptyState>
        ) : (
          <div className="table-scroll">
            <CheckpointsTable records={records} />
          </div>
        )}
        <MoreButton
          more={more}
          loading={loading}
          label="Older checkpoints"
          onMore={() => void loadMoreCheckpoints()}
        />
      </div>
    </section>
  )
}
