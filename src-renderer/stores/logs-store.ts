import { create } from 'zustand'
import type { LogFacets, StoredLogRecord } from '../../src-shared/contract'
import type { LogLevel } from '../../src-shared/pipeline'
import { messageOf } from '../api/client'
import { api } from '../api/instance'

export interface LogFilters {
  level?: LogLevel
  pipeline?: string
  runId?: string
}

interface LogsState {
  /** Newest first. */
  records: StoredLogRecord[]
  filters: LogFilters
  nextBefore: number | null
  loaded: boolean
  loading: boolean
  error: string | null
  facets: LogFacets
}

export const PAGE_SIZE = 200
/** Live records beyond this are dropped from memory (older ones can be paged in again). */
export const MAX_LIVE = 5000

export const useLogs = create<LogsState>()(() => ({
  records: [],
  filters: {},
  nextBefore: null,
  loaded: false,
  loading: false,
  error: null,
  facets: { pipelines: [], runs: [] },
}))

export function matches(record: StoredLogRecord, filters: LogFilters): boolean {
  return (
    (!filters.level || record.level === filters.level) &&
    (!filters.pipeline || record.pipeline_name === filters.pipeline) &&
    (!filters.runId || record.run_id === filters.runId)
  )
}

async function fetchPage(before: number | null): Promise<void> {
  const { filters } = useLogs.getState()
  useLogs.setState({ loading: true, error: null })
  try {
    const page = await api().request('logs:page', {
      ...filters,
      before: before ?? undefined,
      limit: PAGE_SIZE,
    })
    // Ignore a page that comes back after the filters changed.
    if (useLogs.getState().filters !== filters) return
    useLogs.setState((s) => ({
      records: before === null ? page.records : [...s.records, ...page.records],
      nextBefore: page.nextBefore,
      loaded: true,
    }))
  } catch (error) {
    useLogs.setState({ error: messageOf(error), loaded: true })
  } finally {
    useLogs.setState({ loading: false })
  }
}

export function loadFirstPage(): Promise<void> {
  return fetchPage(null)
}

export function loadMore(): Promise<void> {
  const { nextBefore, loading } = useLogs.getState()
  if (nextBefore === null || loading) return Promise.resolve()
  return fetchPage(nextBefore)
}

export function setFilters(filters: LogFilters): Promise<void> {
  useLogs.setState({ filters, records: [], nextBefore: null, loaded: false })
  return loadFirstPage()
}

export async function loadFacets(): Promise<void> {
  try {
    useLogs.setState({ facets: await api().request('logs:facets') })
  } catch {
    // Filters still work by typing; the banner reports a lost database.
  }
}

/** New records from the live feed (oldest first), put on top when they match the filters. */
export function receiveLogs(records: StoredLogRecord[]): void {
  useLogs.setState((s) => {
    if (!s.loaded) return s
    const newest = s.records[0]?.id ?? 0
    const fresh = records.filter((r) => r.id > newest && matches(r, s.filters)).reverse()
    if (fresh.length === 0) return s
    const all = [...fresh, ...s.records]
    if (all.length <= MAX_LIVE) return { records: all }
    const kept = all.slice(0, MAX_LIVE)
    return { records: kept, nextBefore: kept[kept.length - 1]!.id }
  })
}
