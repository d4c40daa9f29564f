import { create, type StoreApi, type UseBoundStore } from 'zustand'
import { messageOf } from '../api/client'

/** The filters of a page query from the contract: everything but its cursor and page size. */
export type FiltersOf<Q> = Omit<Q, 'before' | 'limit'>

/** One page as the primitive sees it: records, newest first, and the cursor of the next page (null: the end). */
export interface Page<R, C> {
  records: R[]
  next: C | null
}

export interface PagedState<F, R, C> {
  records: R[]
  filters: F
  next: C | null
  /** The first page for the current filters has arrived (or failed). */
  loaded: boolean
  loading: boolean
  error: string | null
}

export interface PagedStore<F, R, C> {
  use: UseBoundStore<StoreApi<PagedState<F, R, C>>>
  /** Reads the first page again for the current filters (what is shown stays until it arrives). */
  loadFirst(): Promise<void>
  /** The next page, appended; a no-op at the end or while a page is on its way. */
  loadMore(): Promise<void>
  /** New filters and their first page; the records shown stay (marked loading) until it arrives. */
  setFilters(filters: F): Promise<void>
}

/**
 * Keyset paging over one contract request, with one rule for stale answers: only the latest first-page request
 * (and the "more" requests after it) may write, so a slow answer for old filters never replaces a newer one.
 */
export function createPagedStore<F extends object, R, C>(
  fetchPage: (filters: F, cursor: C | null) => Promise<Page<R, C>>,
  initial: F = {} as F,
): PagedStore<F, R, C> {
  const use = create<PagedState<F, R, C>>()(() => ({
    records: [],
    filters: initial,
    next: null,
    loaded: false,
    loading: false,
    error: null,
  }))
  let generation = 0

  async function fetch(cursor: C | null): Promise<void> {
    if (cursor === null) generation++
    const mine = generation
    const { filters } = use.getState()
    use.setState({ loading: true, error: null })
    try {
      const page = await fetchPage(filters, cursor)
      if (mine !== generation) return
      use.setState((s) => ({
        records: cursor === null ? page.records : [...s.records, ...page.records],
        next: page.next,
        loaded: true,
      }))
    } catch (error) {
      if (mine === generation) use.setState({ error: messageOf(error), loaded: true })
    } finally {
      if (mine === generation) use.setState({ loading: false })
    }
  }

  return {
    use,
    loadFirst: () => fetch(null),
    loadMore() {
      const { next, loading } = use.getState()
      return next !== null && !loading ? fetch(next) : Promise.resolve()
    },
    setFilters(filters) {
      use.setState({ filters, next: null })
      return fetch(null)
    },
  }
}
