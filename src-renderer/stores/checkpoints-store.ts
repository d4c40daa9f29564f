import { create } from 'zustand'
import type { CheckpointFacets, CheckpointQuery } from '../../src-shared/history'
import type { CheckpointRecord } from '../../src-shared/pipeline'
import { api } from '../api/instance'
import { createPagedStore, type FiltersOf } from './paged-store'
import { setRouteParams, useView } from './view-store'

export type CheckpointFilters = FiltersOf<CheckpointQuery>

export const CHECKPOINT_PAGE = 200

const paged = createPagedStore<CheckpointFilters, CheckpointRecord, number>(async (filters, before) => {
  const page = await api().request('checkpoints:page', {
    ...filters,
    before: before ?? undefined,
    limit: CHECKPOINT_PAGE,
  })
  return { records: page.records, next: page.nextBefore }
})

/** ops.pipeline_checkpoint, paged newest first on the server with the view's filters. */
export const useCheckpoints = paged.use

/** The values the filter menus offer. */
export const useCheckpointFacets = create<{ facets: CheckpointFacets }>()(() => ({
  facets: { pipelines: [], stages: [], statuses: [] },
}))

export function loadCheckpoints(): Promise<void> {
  void loadCheckpointFacets()
  return paged.loadFirst()
}

export const loadMoreCheckpoints = paged.loadMore
/** New filters for the checkpoints, written to the URL (#/checkpoints?stage=…) unless they came from it. */
export function setCheckpointFilters(
  filters: CheckpointFilters,
  options: { fromUrl?: boolean } = {},
): Promise<void> {
  if (!options.fromUrl && useView.getState().view === 'checkpoints') setRouteParams({ ...filters })
  return paged.setFilters(filters)
}

export async function loadCheckpointFacets(): Promise<void> {
  try {
    useCheckpointFacets.setState({ facets: await api().request('checkpoints:facets') })
  } catch {
    // The filters still list what is loaded; the banner reports a lost database.
  }
}

let timer: ReturnType<typeof setTimeout> | undefined

/** Checkpoints changed (any process): re-read the first page while the view is open and not scrolled far. */
export function refreshCheckpoints(): void {
  if (useView.getState().view !== 'checkpoints' || timer) return
  timer = setTimeout(() => {
    timer = undefined
    if (useCheckpoints.getState().records.length <= CHECKPOINT_PAGE) void loadCheckpoints()
  }, 400)
}
