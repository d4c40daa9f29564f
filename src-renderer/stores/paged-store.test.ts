import { describe, expect, it } from 'vitest'
import { createPagedStore } from './paged-store'

/** A fetch whose answers the test releases by hand, in any order. */
function controlled() {
  const pending: { filters: { q?: string }; cursor: number | null; resolve: (n: number) => void }[] = []
  const fetch = (filters: { q?: string }, cursor: number | null) =>
    new Promise<{ records: string[]; next: number | null }>((resolve) => {
      pending.push({
        filters,
        cursor,
        resolve: (n) =>
          resolve({
            records: Array.from({ length: n }, (_, i) => `${filters.q ?? '*'}:${(cursor ?? 0) + i}`),
            next: n ? (cursor ?? 0) + n : null,
          }),
      })
    })
  return { fetch, pending }
}

describe('paged store', () => {
  it('pages with a cursor and appends', async () => {
    const { fetch, pending } = controlled()
    const store = createPagedStore(fetch)
    const first = store.loadFirst()
    pending[0]!.resolve(2)
    await first
    const more = store.loadMore()
    expect(pending[1]!.cursor).toBe(2)
    pending[1]!.resolve(1)
    await more
    expect(store.use.getState()).toMatchObject({ records: ['*:0', '*:1', '*:2'], next: 3, loaded: true })
  })

  it('keeps what is shown until the new filters’ first page arrives, and ignores a stale answer', async () => {
    const { fetch, pending } = controlled()
    const store = createPagedStore(fetch)
    const first = store.loadFirst()
    pending[0]!.resolve(1)
    await first
    const a = store.setFilters({ q: 'a' })
    const b = store.setFilters({ q: 'b' })
    // No "0 records" in between: the old page stays, marked loading.
    expect(store.use.getState()).toMatchObject({ records: ['*:0'], loading: true })
    pending[2]!.resolve(1) // b answers first
    await b
    pending[1]!.resolve(5) // a's late answer must not replace b's
    await a
    expect(store.use.getState()).toMatchObject({ records: ['b:0'], filters: { q: 'b' }, loading: false })
  })
})
