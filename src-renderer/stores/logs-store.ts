import type { LogCount, LogFacets, LogQuery, StoredLogRecord } from '../../src-shared/contract'
import { api } from '../api/instance'
import { createPagedStore, type FiltersOf } from './paged-store'
import { hrefOf, setRouteParams, useView } from './view-store'

/** The Logs view's filters: the contract's log query without its cursor and page size. */
export type LogFilters = FiltersOf<LogQuery>

/** What the Logs view keeps beside its pages. */
interface LogsExtra {
  facets: LogFacets
  /** Follow: new records appear on top as they arrive. Off: they are held until "show". */
  follow: boolean
  /** New records arrived while not following (or that only the server can match, e.g. a search). */
  held: number
  /** The records' ids whose JSON metadata is expanded. */
  expanded: ReadonlySet<number>
  /** How many records match the filters, exact up to a cap (engine/logs/count); null until counted. */
  total: LogCount | null
}

export const PAGE_SIZE = 200
/** Live records beyond this are dropped from memory (older ones can be paged in again). */
export const MAX_LIVE = 5000
/** Typing in the search box asks the server this long after the last key. */
export const SEARCH_DEBOUNCE_MS = 250

const paged = createPagedStore<LogFilters, StoredLogRecord, number, LogsExtra>(
  async (filters, before) => {
    const page = await api().request('logs:page', {
      ...filters,
      search: filters.search || undefined,
      before: before ?? undefined,
      limit: PAGE_SIZE,
    })
    return { records: page.records, next: page.nextBefore }
  },
  {
    extra: {
      facets: { pipelines: [], runs: [] },
      follow: true,
      held: 0,
      expanded: new Set<number>(),
      total: null,
    },
    // A first page shows everything held so far.
    onFirstPage: () => ({ held: 0 }),
  },
)

/** ops.pipeline_logs, newest first (`next`: the id to page on from), with the live feed merged in. */
export const useLogs = paged.use

/** True when any filter is set. */
export function isFiltered(filters: LogFilters): boolean {
  return Object.values(filters).some((v) => v !== undefined && v !== '')
}

/** Whether a live record matches; null when only the server can tell (a text search). */
export function matches(record: StoredLogRecord, filters: LogFilters): boolean | null {
  if (filters.level && record.level !== filters.level) return false
  if (filters.pipeline && record.pipeline_name !== filters.pipeline) return false
  if (filters.runId && record.run_id !== filters.runId) return false
  const at = Date.parse(record.timestamp)
  if (filters.from && at < Date.parse(filters.from)) return false
  if (filters.to && at >= Date.parse(filters.to)) return false
  return filters.search ? null : true
}

let countGeneration = 0

/** Counts the records the current filters match, beside the first page (a slow count never holds the page up). */
async function loadCount(): Promise<void> {
  const mine = ++countGeneration
  const { filters } = useLogs.getState()
  const query = { ...filters, search: filters.search || undefined }
  let total: LogCount
  try {
    total = await api().request('logs:count', query)
  } catch {
    // No count is shown; the page's own request reports what went wrong.
    if (mine === countGeneration) useLogs.setState({ total: null })
    return
  }
  if (mine !== countGeneration) return
  useLogs.setState({ total })
  if (!total?.partial) return
  // The quick count ran out of time (a busy server, a search no index narrows): its lower bound stays shown until
  // a patient count replaces it; if that fails or runs out of time too, the lower bound is what there is.
  try {
    const patient = await api().request('logs:count', { ...query, patient: true })
    if (mine === countGeneration) useLogs.setState({ total: patient })
  } catch {}
}

/** Reads the first page again, and the count, for the current filters. */
export function loadFirstPage(): Promise<void> {
  void loadCount()
  return paged.loadFirst()
}
export const loadMore = paged.loadMore

/**
 * New filters: the records shown stay (marked as loading) until the first page for the new filters arrives, so a
 * search never flashes "0 records". The filters go into the URL unless they came from it.
 */
export function setFilters(filters: LogFilters, options: { fromUrl?: boolean } = {}): Promise<void> {
  clearTimeout(searchTimer)
  // The old count is not this filter's: none is shown until the new one arrives.
  useLogs.setState({ held: 0, total: null })
  if (!options.fromUrl && useView.getState().view === 'logs') setRouteParams({ ...filters })
  const page = paged.setFilters(filters)
  void loadCount()
  return page
}

/** Opens the Logs view with these filters (e.g. a run's "all its logs"), as a link would. */
export function showLogs(filters: LogFilters): void {
  window.location.hash = hrefOf({ view: 'logs', params: stripEmpty(filters) })
}

/** Filters as URL params (unset ones left out). */
export function stripEmpty(filters: object): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter((e): e is [string, string] => Boolean(e[1])))
}

let searchTimer: ReturnType<typeof setTimeout> | undefined

/** The search box: the text shows at once, the server is asked once typing pauses. */
export function setSearch(text: string): void {
  clearTimeout(searchTimer)
  searchTimer = setTimeout(() => {
    const { filters } = useLogs.getState()
    if ((filters.search ?? '') !== text) void setFilters({ ...filters, search: text || undefined })
  }, SEARCH_DEBOUNCE_MS)
}

export function setFollow(follow: boolean): void {
  useLogs.setState({ follow })
  if (follow && useLogs.getState().held > 0) void loadFirstPage()
}

/** Shows what arrived while not following. */
export function showHeld(): Promise<void> {
  return loadFirstPage()
}

export function toggleExpanded(id: number): void {
  useLogs.setState((s) => {
    const expanded = new Set(s.expanded)
    if (!expanded.delete(id)) expanded.add(id)
    return { expanded }
  })
}

export async function loadFacets(): Promise<void> {
  try {
    useLogs.setState({ facets: await api().request('logs:facets') })
  } catch {
    // Filters still work by typing; the banner reports a lost database.
  }
}

/**
 * New records from the live feed: on top when following and they match, else counted as held. A record can
 * arrive after higher ids (its transaction committed later), so it is placed by id, and one the list already
 * has, or one that a later page will bring, is skipped.
 */
export function receiveLogs(records: StoredLogRecord[]): void {
  const s = useLogs.getState()
  if (!s.loaded) return
  const shown = new Set(s.records.map((r) => r.id))
  const fresh = records.filter(
    (r) => !shown.has(r.id) && (s.next === null || r.id > s.next) && matches(r, s.filters) !== false,
  )
  if (fresh.length === 0) return
  // Only the server can match a search (it covers the metadata as stored): count them and ask it when shown.
  if (!s.follow || fresh.some((r) => matches(r, s.filters) === null)) {
    if (s.follow) scheduleRefresh()
    else useLogs.setState({ held: s.held + fresh.length })
    return
  }
  // Newest first; two sorted runs, so the sort is a linear merge.
  const all = [...fresh.reverse(), ...s.records].sort((a, b) => b.id - a.id)
  // They match, so an exact count grows by them (a capped one stays "more than").
  const total = s.total && !s.total.more ? { ...s.total, count: s.total.count + fresh.length } : s.total
  if (all.length <= MAX_LIVE) useLogs.setState({ records: all, total })
  else {
    const kept = all.slice(0, MAX_LIVE)
    useLogs.setState({ records: kept, next: kept[kept.length - 1]!.id, total })
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined
function scheduleRefresh(): void {
  if (refreshTimer) return
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined
    void loadFirstPage()
  }, 500)
}

/** The host skipped a large backlog (a bulk insert): reload when following, else say new records are there. */
export function receiveGap(): void {
  const s = useLogs.getState()
  if (!s.loaded) return
  if (s.follow) void loadFirstPage()
  else useLogs.setState({ held: s.held + 1 })
}
