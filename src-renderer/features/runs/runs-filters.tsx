import { RunStatus, Trigger } from '../../../src-shared/pipeline'
import { FilterBar } from '../../components/filter-controls'
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
  return (
    <FilterBar
      name="runs"
      filters={filters}
      onChange={onChange}
      selects={[
        { key: 'pipeline', label: 'Pipeline', any: 'All pipelines', options: pipelines },
        { key: 'status', label: 'Status', any: 'Any status', options: RunStatus.options },
        { key: 'trigger', label: 'Trigger', any: 'CLI or console', options: Trigger.options },
      ]}
    />
  )
}
