import { useEffect, useState } from 'react'
import type { LogFacets } from '../../../src-shared/contract'
import { LogLevel } from '../../../src-shared/pipeline'
import { ClearFilters, FilterSelect, TimeRange } from '../../components/filter-controls'
import { formatTime, shortId } from '../../lib/format'
import { type LogFilters, setSearch } from '../../stores/logs-store'

/** The search box: shows what is typed at once; the store asks the server once typing pauses. */
function SearchBox({ value }: { value: string }) {
  const [text, setText] = useState(value)
  useEffect(() => setText(value), [value])
  return (
    <div className="field inline search-field">
      <label htmlFor="log-search">Search</label>
      <input
        id="log-search"
        type="search"
        value={text}
        maxLength={200}
        placeholder="text in message or metadata"
        aria-describedby="log-search-hint"
        onChange={(e) => {
          setText(e.target.value)
          setSearch(e.target.value)
        }}
      />
      <span id="log-search-hint" className="sr-only">
        Searches every record on the server, case-insensitive: the message for this exact text, the metadata
        for these words (the last may be the start of a word)
      </span>
    </div>
  )
}

/** Search, level, pipeline, run and time range; each change asks the server for a fresh first page. */
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
  const runs = facets.runs.map((run) => ({
    value: run.runId,
    label: `${shortId(run.runId)} · ${run.pipelineName} · ${formatTime(run.startedAt)}`,
  }))
  if (filters.runId && !runs.some((r) => r.value === filters.runId))
    runs.unshift({ value: filters.runId, label: shortId(filters.runId) })
  return (
    <fieldset className="filter-bar log-filters">
      <legend className="sr-only">Filter logs</legend>
      <SearchBox value={filters.search ?? ''} />
      <FilterSelect
        id="log-level"
        label="Level"
        any="All levels"
        value={filters.level}
        options={LogLevel.options}
        onChange={(level) => set({ level: level as LogFilters['level'] })}
      />
      <FilterSelect
        id="log-pipeline"
        label="Pipeline"
        any="All pipelines"
        value={filters.pipeline}
        options={facets.pipelines}
        onChange={(pipeline) => set({ pipeline })}
      />
      <FilterSelect
        id="log-run"
        label="Run"
        any="All runs"
        value={filters.runId}
        options={runs}
        onChange={(runId) => set({ runId })}
      />
      <TimeRange from={filters.from} to={filters.to} onChange={(range) => set(range)} />
      <ClearFilters filters={filters} onClear={() => onChange({})} />
    </fieldset>
  )
}
