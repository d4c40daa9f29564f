import type { LogFacets } from '../../../src-shared/contract'
import { LogLevel } from '../../../src-shared/pipeline'
import { formatTime, shortId } from '../../lib/format'
import type { LogFilters } from '../../stores/logs-store'

/** Level, pipeline and run filters; each change asks the server for a fresh first page. */
export function LogFilterBar({
  filters,
  facets,
  onChange,
}: {
  filters: LogFilters
  facets: LogFacets
  onChange: (filters: LogFilters) => void
}) {
  const set = (patch: Partial<LogFilters>) => onChange({ ...filters, ...patch })
  return (
    <fieldset className="log-filters">
      <legend className="sr-only">Filter logs</legend>
      <div className="field inline">
        <label htmlFor="log-level">Level</label>
        <select
          id="log-level"
          value={filters.level ?? ''}
          onChange={(e) => set({ level: (e.target.value || undefined) as LogFilters['level'] })}
        >
          <option value="">All levels</option>
          {LogLevel.options.map((level) => (
            <option key={level} value={level}>
              {level}
            </option>
          ))}
        </select>
      </div>
      <div className="field inline">
        <label htmlFor="log-pipeline">Pipeline</label>
        <select
          id="log-pipeline"
          value={filters.pipeline ?? ''}
          onChange={(e) => set({ pipeline: e.target.value || undefined })}
        >
          <option value="">All pipelines</option>
          {facets.pipelines.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field inline">
        <label htmlFor="log-run">Run</label>
        <select
          id="log-run"
          value={filters.runId ?? ''}
          onChange={(e) => set({ runId: e.target.value || undefined })}
        >
          <option value="">All runs</option>
          {filters.runId && !facets.runs.some((r) => r.runId === filters.runId) ? (
            <option value={filters.runId}>{shortId(filters.runId)}</option>
          ) : null}
          {facets.runs.map((run) => (
            <option key={run.runId} value={run.runId}>
              {shortId(run.runId)} · {run.pipelineName} · {formatTime(run.startedAt)}
            </option>
          ))}
        </select>
      </div>
      {filters.level || filters.pipeline || filters.runId ? (
        <button type="button" className="button button-small" onClick={() => onChange({})}>
          Clear filters
        </button>
      ) : null}
    </fieldset>
  )
}
