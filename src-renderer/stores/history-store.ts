import { create } from 'zustand'
import type { StoredLogRecord } from '../../src-shared/contract'
import type { RunCursor, RunDetail, RunListQuery } from '../../src-shared/history'
import type { RunRecord } from '../../src-shared/pipeline'
import { messageOf } from '../api/client'
import { api } from '../api/instance'
import { createPagedStore, type FiltersOf } from './paged-store'
import { loadSnapshot } from './runs-store'
import { setRouteParams, showRun, useView } from './view-store'

export type RunFilters = FiltersOf<RunListQuery>

interface HistoryState {
  detail: RunDetail | null
  /** The open run's log records, oldest first (the seed's "Trace Pipeline Execution"). */
  detailLogs: StoredLogRecord[]
  /** More records than shown (the newest RUN_LOGS are kept). */
  detailLogsMore: boolean
  detailError: string | null
  /** An action on the open run: resume or re-run. */
  acting: 'resume' | 'rerun' | null
  actionError: string | null
}

export const RUNS_PAGE = 50
export const RUN_LOGS = 500

const paged = createPagedStore<RunFilters, RunRecord, RunCursor>(async (filters, before) => {
  const page = await api().request('runs:list', { ...filters, before: before ?? undefined, limit: RUNS_PAGE })
  return { records: page.runs, next: page.next }
})

/** ops.pipeline_runs, newest first, paged on the server with the Runs view's filters. */
export const useRunList = paged.use
export const loadRuns = paged.loadFirst
export const loadMoreRuns = paged.loadMore
/** New filters for the runs list, written to the URL (#/runs?status=failed…) unless they came from it. */
export function setRunFilters(filters: RunFilters, options: { fromUrl?: boolean } = {}): Promise<void> {
  const route = useView.getState()
  if (!options.fromUrl && route.view === 'runs' && !route.runId) setRouteParams({ ...filters })
  return paged.setFilters(filters)
}

/** The open run's detail. */
export const useHistory = create<HistoryState>()(() => ({
  detail: null,
  detailLogs: [],
  detailLogsMore: false,
  detailError: null,
  acting: null,
  actionError: null,
}))

export async function loadDetail(runId: string): Promise<void> {
  try {
    const [detail, logs] = await Promise.all([
      api().request('runs:detail', { runId }),
      api().request('logs:page', { runId, limit: RUN_LOGS }),
    ])
    if (useView.getState().runId === runId)
      useHistory.setState({
        detail,
        detailLogs: [...logs.records].reverse(),
        detailLogsMore: logs.nextBefore !== null,
        detailError: null,
      })
  } catch (error) {
    if (useView.getState().runId === runId)
      useHistory.setState({ detail: null, detailError: messageOf(error) })
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined

/** Runs or checkpoints changed somewhere: re-read what the Runs view shows (coalesced). */
export function refreshHistory(): void {
  if (useView.getState().view !== 'runs' || refreshTimer) return
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined
    const { runId } = useView.getState()
    if (runId) void loadDetail(runId)
    // Only the first page: a person who scrolled further keeps their place.
    if (useRunList.getState().records.length <= RUNS_PAGE) void loadRuns()
  }, 300)
}

async function act(kind: 'resume' | 'rerun', runId: string): Promise<void> {
  useHistory.setState({ acting: kind, actionError: null })
  try {
    const started = await api().request(kind === 'resume' ? 'runs:resume' : 'runs:rerun', { runId })
    await loadSnapshot()
    // The new run's own detail, which fills in live as its stages checkpoint.
    useHistory.setState({ detail: null })
    showRun(started.runId)
    void loadDetail(started.runId)
  } catch (error) {
    useHistory.setState({ actionError: messageOf(error) })
  } finally {
    useHistory.setState({ acting: null })
  }
}

/** Resumes a failed reliable run (completed stages are skipped) and opens the new run's detail. */
export const resumeRun = (runId: string) => act('resume', runId)
/** Starts the same pipeline with the same arguments again. */
export const rerunRun = (runId: string) => act('rerun', runId)
