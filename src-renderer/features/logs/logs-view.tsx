import { useShallow } from 'zustand/react/shallow'
import { EmptyState, InlineError } from '../../components/feedback'
import { formatCount, plural } from '../../lib/format'
import {
  isFiltered,
  loadMore,
  setFilters,
  setFollow,
  showHeld,
  toggleExpanded,
  useLogs,
} from '../../stores/logs-store'
import { selectRunActive, useRuns } from '../../stores/runs-store'
import { ExportButton } from '../export/export-button'
import { LogFilterBar } from './log-filters'
import { LogsTable } from './logs-table'

/** Logs: ops.pipeline_logs, newest first, searched and filtered on the server, new records streaming in. */
export function LogsView() {
  const { records, filters, next, loaded, loading, error, facets, follow, held, expanded, total } = useLogs(
    useShallow(
      ({ records, filters, next, loaded, loading, error, facets, follow, held, expanded, total }) => ({
        records,
        filters,
        next,
        loaded,
        loading,
        error,
        facets,
        follow,
        held,
        expanded,
        total,
      }),
    ),
  )
  const runActive = useRuns(selectRunActive)
  const filtered = isFiltered(filters)
  return (
    <section className="view logs-view" data-state={loaded ? 'ready' : 'loading'} aria-label="Logs">
      <div className="panel logs-panel">
        <header className="panel-header">
          <div>
            <h2>Pipeline logs</h2>
            <p className="muted" aria-live="polite" data-testid="log-count">
              <span className={`live-dot ${runActive && follow ? 'on' : ''}`} aria-hidden="true" />
              {follow ? (runActive ? 'Live: new records stream in' : 'Live') : 'Paused'} ·{' '}
              {loading ? 'Searching…' : `${plural(records.length, 'record')} loaded`}
              {!loading && next !== null ? ' (scroll for older)' : ''}
              {!loading && total ? (
                <span
                  data-testid="log-total"
                  title={
                    total.partial
                      ? 'At least this many: counted among the newest records, as counting them all took too long'
                      : total.more
                        ? 'Counted exactly up to this many'
                        : undefined
                  }
                >
                  {' · '}
                  {formatCount(total.count)}
                  {total.more ? '+' : ''} {filtered ? 'match' : 'in all'}
                </span>
              ) : null}
            </p>
          </div>
          <div className="panel-header-actions">
            {held > 0 ? (
              <button type="button" className="button button-small" onClick={() => void showHeld()}>
                New records — show
              </button>
            ) : null}
            <label className="switch">
              <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
              Follow new records
            </label>
            <ExportButton table="logs" filter={filters} what="logs" />
          </div>
        </header>
        <LogFilterBar filters={filters} facets={facets} onChange={(f) => void setFilters(f)} />
        <InlineError message={error} />
        {loaded && records.length === 0 && !error ? (
          <EmptyState title={filtered ? 'No records match these filters' : 'No log records yet'}>
            <p>
              {filtered
                ? 'The search and filters cover every record in the table. Try fewer words, another level, or a wider time range.'
                : 'Records appear here as soon as a pipeline runs, from this console or the CLI.'}
            </p>
          </EmptyState>
        ) : (
          <LogsTable
            records={records}
            hasMore={next !== null}
            loading={loading}
            expanded={expanded}
            follow={follow}
            onToggle={toggleExpanded}
            onEnd={loadMore}
          />
        )}
      </div>
    </section>
  )
}
