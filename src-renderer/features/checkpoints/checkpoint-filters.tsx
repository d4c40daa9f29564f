import type { LogFacets } from '../../../src-shared/contract'
import type { CheckpointFacets } from '../../../src-shared/history'
import { FilterBar, runOptions } from '../../components/filter-controls'
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
  runs: LogFacets['runs']
  onChange: (filters: CheckpointFilters) => void
}) {
  return (
    <FilterBar
      name="checkpoints"
      filters={filters}
      onChange={onChange}
      selects={[
        { key: 'pipeline', label: 'Pipeline', any: 'All pipelines', options: facets.pipelines },
        { key: 'runId', label: 'Run', any: 'All runs', options: runOptions(runs) },
        { key: 'stage', label: 'Stage', any: 'All stages', options: facets.stages },
        { key: 'status', label: 'Status', any: 'Any status', options: facets.statuses },
      ]}
    />
  )
}
