import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StoredLogRecord } from '../../src-shared/contract'
import { type FakeClient, fakeClient } from '../api/fake-client'
import { setApiClient } from '../api/instance'
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

function record(id: number, patch: Partial<StoredLogRecord> = {}): StoredLogRecord {
  return {
    id,
    timestamp: '2024-05-01T10:00:00.000Z',
    level: 'INFO',
    message: `record ${id}`,
    logger: 'assay',
    pipeline_name: 'p',
    run_id: 'r1',
    module: null,
    function: null,
    line: null,
    metadata: {},
    ...patch,
  }
}

describe('logs store: search, time range, follow', () => {
  let client: FakeClient
  // The page requests alone (each first page is asked for beside a count).
  const pageCalls = () => client.calls.filter((c) => c.name === 'logs:page')
  beforeEach(() => {
    vi.useFakeTimers()
    client = fakeClient()
    setApiClient(client)
    useLogs.setState(useLogs.getInitialState())
    client.answer('logs:page', { records: [record(10)], nextBefore: null })
  })
  afterEach(() => vi.useRealTimers())

  it('asks the server once typing pauses, with the search and the other filters', async () => {
    await setFilters({ level: 'ERROR' })
    setSearch('z')
    setSearch('za')
    setSearch('zanzibar')
    expect(pageCalls()).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(pageCalls()).toHaveLength(2)
    expect(pageCalls()[1]?.input).toMatchObject({ level: 'ERROR', search: 'zanzibar', limit: 200 })
  })

  it('lets the server match live records while a search is on, and filters time ranges itself', async () => {
    await setFilters({ from: '2024-05-01T09:00:00Z' })
    receiveLogs([record(11, { timestamp: '2024-05-01T08:00:00Z' }), record(12)])
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([12, 10])
    await setFilters({ search: 'x' })
    const calls = pageCalls().length
    receiveLogs([record(13)])
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([10])
    await vi.advanceTimersByTimeAsync(500)
    expect(pageCalls()).toHaveLength(calls + 1)
  })

  it('holds new records while not following and shows them on demand; a gap reloads when following', async () => {
    await loadFirstPage()
    setFollow(false)
    receiveLogs([record(11), record(12)])
    expect(useLogs.getState()).toMatchObject({ held: 2 })
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([10])
    setFollow(true)
    await vi.runAllTimersAsync()
    expect(useLogs.getState().held).toBe(0)
    const calls = pageCalls().length
    receiveGap()
    expect(pageCalls()).toHaveLength(calls + 1)
  })
})
