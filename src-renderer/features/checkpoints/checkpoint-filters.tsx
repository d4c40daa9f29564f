import type { CheckpointFacets } from '../../../src-shared/history'
import { ClearFilters, FilterSelect, TimeRange } from '../../components/filter-controls'
import type { CheckpointFilters } from '../../stores/checkpoints-store'

/** Pipeline, run, stage, status and start-time range, applied on the server. */
export function CheckpointFilterBar({
  filters,
  facets,
  runs,
  onChange,
}: {
  filters: CheckpointFilters
  facets: CheckpointFacets
  runs: { value: string; label: string }[]
  onChange: (filters: CheckpointFilters) => void
}) {
  const set = (patch: Partial<CheckpointFilters>) => onChange({ ...filters, ...patch })
  return (
    <fieldset className="filter-bar">
      <legend className="sr-only">Filter checkpoints</legend>
      <FilterSelect
        id="cp-pipeline"
        label="Pipeline"
        any="All pipelines"
        value={filters.pipeline}
        options={facets.pipelines}
        onChange={(pipeline) => set({ pipeline })}
      />
      <FilterSelect
        id="cp-run"
        label="Run"
        any="All runs"
        value={filters.runId}
        options={runs}
        onChange={(runId) => set({ runId })}
      />
      <FilterSelect
        id="cp-stage"
        label="Stage"
        any="All stages"
        value={filters.stage}
        options={facets.stages}
        onChange={(stage) => set({ stage })}
      />
      <FilterSelect
        id="cp-status"
        label="Status"
        any="Any status"
        value={filters.status}
        options={facets.statuses}
        onChange={(status) => set({ status })}
      />
      <TimeRange from={filters.from} to={filters.to} onChange={(range) => set(range)} />
      <ClearFilters filters={filters} onClear={() => onChange({})} />
    </fieldset>
  )
}
