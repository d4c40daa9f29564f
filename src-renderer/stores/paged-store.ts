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

export interface PagedStore<F, R, C, X = object> {
  use: UseBoundStore<StoreApi<PagedState<F, R, C> & X>>
  /** Reads the first page again for the current filters (what is shown stays until it arrives). */
  loadFirst(): Promise<void>
  /** The next page, appended; a no-op at the end or while a page is on its way. */
  loadMore(): Promise<void>
  /** New filters and their first page; the records shown stay (marked loading) until it arrives. */
  setFilters(filters: F): Promise<void>
}

export interface PagedOptions<F, P, X> {
  /** The filters before any are set. */
  filters?: F
  /** A view's own state kept beside the pages (e.g. the Logs view's follow switch), in the same store. */
  extra?: X
  /** State to write together with an accepted first page (e.g. reset a count, keep a total the page carries). */
  onFirstPage?: (page: P) => Partial<X>
}

/**
 * Keyset paging over one contract request, with one rule for stale answers: only the latest first-page request
 * (and the "more" requests after it) may write, so a slow answer for old filters never replaces a newer one.
 */
export function createPagedStore<
  F extends object,
  R,
  C,
  X extends object = object,
  P extends Page<R, C> = Page<R, C>,
>(
  fetchPage: (filters: F, cursor: C | null) => Promise<P>,
  options: PagedOptions<F, P, X> = {},
): PagedStore<F, R, C, X> {
  const use = create<PagedState<F, R, C> & X>()(() => ({
    ...(options.extra ?? ({} as X)),
    records: [],
    filters: options.filters ?? ({} as F),
    next: null,
    loaded: false,
    loading: false,
    error: null,
  }))
  // TypeScript cannot see a partial of the paging state as a partial of PagedState & X while X is generic.
  const patch = (paging: Partial<PagedState<F, R, C>>, extra?: Partial<X>) =>
    use.setState({ ...extra, ...paging } as Partial<PagedState<F, R, C> & X>)
  let generation = 0

  async function fetch(cursor: C | null): Promise<void> {
    if (cursor === null) generation++
    const mine = generation
    const { filters } = use.getState()
    patch({ loading: true, error: null })
    try {
      const page = await fetchPage(filters, cursor)
      if (mine !== generation) return
      patch(
        {
          records: cursor === null ? page.records : [...use.getState().records, ...page.records],
          next: page.next,
          loaded: true,
        },
        cursor === null ? options.onFirstPage?.(page) : undefined,
      )
    } catch (error) {
      if (mine === generation) patch({ error: messageOf(error), loaded: true })
    } finally {
      if (mine === generation) patch({ loading: false })
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
      patch({ filters, next: null })
      return fetch(null)
    },
  }
}
