import { create } from 'zustand'
import type { CheckpointFacets } from '../../src-shared/history'
import type { CheckpointRecord } from '../../src-shared/pipeline'
import { messageOf } from '../api/client'
import { api } from '../api/instance'
import { useView } from './view-store'

export interface CheckpointFilters {
  pipeline?: string
  runId?: string
  stage?: string
  status?: string
  from?: string
  to?: string
}

interface CheckpointsState {
  records: CheckpointRecord[]
  filters: CheckpointFilters
  nextBefore: number | null
  loaded: boolean
  loading: boolean
  error: string | null
  facets: CheckpointFacets
}

export const CHECKPOINT_PAGE = 200

export const useCheckpoints = create<CheckpointsState>()(() => ({
  records: [],
  filters: {},
  nextBefore: null,
  loaded: false,
  loading: false,
  error: null,
  facets: { pipelines: [], stages: [], statuses: [] },
}))

async function fetchPage(before: number | null): Promise<void> {
  const { filters } = useCheckpoints.getState()
  useCheckpoints.setState({ loading: true, error: null })
  try {
    const page = await api().request('checkpoints:page', {
      ...filters,
      before: before ?? undefined,
      limit: CHECKPOINT_PAGE,
    })
    if (useCheckpoints.getState().filters !== filters) return
    useCheckpoints.setState((s) => ({
      records: before === null ? page.records : [...s.records, ...page.records],
      nextBefore: page.nextBefore,
      loaded: true,
    }))
  } catch (error) {
    useCheckpoints.setState({ error: messageOf(error), loaded: true })
  } finally {
    useCheckpoints.setState({ loading: false })
  }
}

export function loadCheckpoints(): Promise<void> {
  void loadCheckpointFacets()
  return fetchPage(null)
}

export function loadMoreCheckpoints(): Promise<void> {
  const { nextBefore, loading } = useCheckpoints.getState()
  return nextBefore !== null && !loading ? fetchPage(nextBefore) : Promise.resolve()
}

export function setCheckpointFilters(filters: CheckpointFilters): Promise<void> {
  useCheckpoints.setState({ filters, records: [], nextBefore: null, loaded: false })
  return fetchPage(null)
}

export async function loadCheckpointFacets(): Promise<void> {
  try {
    useCheckpoints.setState({ facets: await api().request('checkpoints:facets') })
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
