import { useState } from 'react'
import { EmptyState, InlineError } from '../../components/feedback'
import { formatDateTime, plural } from '../../lib/format'
import { loadMore, setFilters, useLogs } from '../../stores/logs-store'
import { selectRunActive, useRuns } from '../../stores/runs-store'
import { LogFilterBar } from './log-filters'
import { LogsTable } from './logs-table'

/** Logs: ops.pipeline_logs, newest first, filtered on the server, with new records streaming in. */
export function LogsView() {
  const { records, filters, nextBefore, loaded, loading, error, facets } = useLogs()
  const runActive = useRuns(selectRunActive)
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const selected = records.find((r) => r.id === selectedId)
  const filtered = Boolean(filters.level || filters.pipeline || filters.runId)
  return (
    <section className="view logs-view" data-state={loaded ? 'ready' : 'loading'} aria-label="Logs">
      <div className="panel logs-panel">
        <header className="panel-header">
          <h2>Pipeline logs</h2>
          <p className="muted" aria-live="polite">
            <span className={`live-dot ${runActive ? 'on' : ''}`} aria-hidden="true" />
            {runActive ? 'Live: new records stream in' : 'Live'} · {plural(records.length, 'record')} loaded
            {nextBefore !== null ? ' (scroll for older)' : ''}
          </p>
        </header>
        <LogFilterBar filters={filters} facets={facets} onChange={(f) => void setFilters(f)} />
        <InlineError message={error} />
        {loaded && records.length === 0 && !error ? (
          <EmptyState title={filtered ? 'No records match these filters' : 'No log records yet'}>
            <p>
              {filtered
                ? 'Clear or change the filters.'
                : 'Records appear here as soon as a pipeline runs, from this console or the CLI.'}
            </p>
          </EmptyState>
        ) : (
          <LogsTable
            records={records}
            hasMore={nextBefore !== null}
            loading={loading}
            selectedId={selectedId}
            onSelect={setSelectedId}
            onEnd={loadMore}
          />
        )}
        {selected ? (
          <section className="log-detail" aria-label="Selected record">
            <p>
              <strong>{selected.level}</strong> · {formatDateTime(selected.timestamp)} ·{' '}
              {selected.logger || 'logger —'}
              {selected.module
                ? ` · ${selected.module}${selected.function ? `.${selected.function}` : ''}${selected.line ? `:${selected.line}` : ''}`
                : ''}
            </p>
            <p className="log-detail-message">{selected.message}</p>
            <pre className="mono">{JSON.stringify(selected.metadata, null, 2)}</pre>
          </section>
        ) : null}
      </div>
    </section>
  )
}
