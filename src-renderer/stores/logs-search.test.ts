import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FakeClient } from '../api/fake-client'
import { freshLogs, logRecord, pageCalls } from './logs.fixture'
import {
  loadFirstPage,
  receiveGap,
  receiveLogs,
  SEARCH_DEBOUNCE_MS,
  setFilters,
  setFollow,
  setSearch,
  useLogs,
} from './logs-store'

describe('logs store: search, time range, follow', () => {
  let client: FakeClient
  const pages = () => pageCalls(client)
  beforeEach(() => {
    vi.useFakeTimers()
    client = freshLogs()
    client.answer('logs:page', { records: [logRecord(10)], nextBefore: null })
  })
  afterEach(() => vi.useRealTimers())

  it('asks the server once typing pauses, with the search and the other filters', async () => {
    await setFilters({ level: 'ERROR' })
    setSearch('z')
    setSearch('za')
    setSearch('zanzibar')
    expect(pages()).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(pages()).toHaveLength(2)
    expect(pages()[1]?.input).toMatchObject({ level: 'ERROR', search: 'zanzibar', limit: 200 })
  })

  it('lets the server match live records while a search is on, and filters time ranges itself', async () => {
    await setFilters({ from: '2024-05-01T09:00:00Z' })
    receiveLogs([logRecord(11, { timestamp: '2024-05-01T08:00:00Z' }), logRecord(12)])
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([12, 10])
    await setFilters({ search: 'x' })
    const calls = pages().length
    receiveLogs([logRecord(13)])
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([10])
    await vi.advanceTimersByTimeAsync(500)
    expect(pages()).toHaveLength(calls + 1)
  })

  it('holds new records while not following and shows them on demand; a gap reloads when following', async () => {
    await loadFirstPage()
    setFollow(false)
    receiveLogs([logRecord(11), logRecord(12)])
    expect(useLogs.getState()).toMatchObject({ held: 2 })
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([10])
    setFollow(true)
    await vi.runAllTimersAsync()
    expect(useLogs.getState().held).toBe(0)
    const calls = pages().length
    receiveGap()
    expect(pages()).toHaveLength(calls + 1)
  })
})
