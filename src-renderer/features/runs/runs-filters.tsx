import { RunStatus, Trigger } from '../../../src-shared/pipeline'
import { ClearFilters, FilterSelect, TimeRange } from '../../components/filter-controls'
import type { RunFilters } from '../../stores/history-store'

/** Pipeline, status, trigger and time range; each change asks the server for the first page again. */
export function RunsFilters({
  filters,
  pipelines,
  onChange,
}: {
  filters: RunFilters
  pipelines: string[]
  onChange: (filters: RunFilters) => void
}) {
  const set = (patch: Partial<RunFilters>) => onChange({ ...filters, ...patch })
  return (
    <fieldset className="filter-bar">
      <legend className="sr-only">Filter runs</legend>
      <FilterSelect
        id="runs-pipeline"
        label="Pipeline"
        any="All pipelines"
        value={filters.pipeline}
        options={pipelines}
        onChange={(pipeline) => set({ pipeline })}
      />
      <FilterSelect
        id="runs-status"
        label="Status"
        any="Any status"
        value={filters.status}
        options={RunStatus.options}
        onChange={(status) => set({ status: status as RunFilters['status'] })}
      />
      <FilterSelect
        id="runs-trigger"
        label="Trigger"
        any="CLI or console"
        value={filters.trigger}
        options={Trigger.options}
        onChange={(trigger) => set({ trigger: trigger as RunFilters['trigger'] })}
      />
      <TimeRange from={filters.from} to={filters.to} onChange={(range) => set(range)} />
      <ClearFilters filters={filters} onClear={() => onChange({})} />
    </fieldset>
  )
}
