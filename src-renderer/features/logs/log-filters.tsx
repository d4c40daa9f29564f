import { useEffect, useState } from 'react'
import type { LogFacets } from '../../../src-shared/contract'
import { LogLevel } from '../../../src-shared/pipeline'
import { FilterBar, runOptions } from '../../components/filter-controls'
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
  return (
    <FilterBar
      name="logs"
      className="log-filters"
      filters={filters}
      onChange={onChange}
      selects={[
        { key: 'level', label: 'Level', any: 'All levels', options: LogLevel.options },
        { key: 'pipeline', label: 'Pipeline', any: 'All pipelines', options: facets.pipelines },
        { key: 'runId', label: 'Run', any: 'All runs', options: runOptions(facets.runs) },
      ]}
    >
      <SearchBox value={filters.search ?? ''} />
    </FilterBar>
  )
}
