import { beforeEach, describe, expect, it } from 'vitest'
import type { FakeClient } from '../api/fake-client'
import { freshLogs, logRecord, pageCalls } from './logs.fixture'
import { loadFirstPage, loadMore, MAX_LIVE, PAGE_SIZE, receiveLogs, setFilters, useLogs } from './logs-store'

describe('logs store', () => {
  let client: FakeClient
  const pages = () => pageCalls(client)
  beforeEach(() => {
    client = freshLogs()
  })

  it('pages newest first with a keyset cursor and sends the filters', async () => {
    client.answer('logs:page', (input: unknown) => {
      const { before } = input as { before?: number }
      return before
        ? { records: [logRecord(1)], nextBefore: null }
        : { records: [logRecord(3), logRecord(2)], nextBefore: 2 }
    })
    await setFilters({ level: 'ERROR' })
    expect(pages()[0]).toEqual({
      name: 'logs:page',
      input: { level: 'ERROR', before: undefined, limit: PAGE_SIZE },
    })
    await loadMore()
    expect(pages()[1]?.input).toMatchObject({ level: 'ERROR', before: 2 })
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([3, 2, 1])
    await loadMore()
    expect(pages()).toHaveLength(2)
  })

  it('never lets a late page for old filters replace the page for the new ones', async () => {
    const answers: { level?: string; resolve: (page: unknown) => void }[] = []
    client.answer(
      'logs:page',
      (input: unknown) =>
        new Promise((resolve) => answers.push({ level: (input as { level?: string }).level, resolve })),
    )
    const old = setFilters({ level: 'ERROR' })
    const current = setFilters({ level: 'WARNING' })
    // The old filters' page arrives while the new one is on its way: nothing shown changes, still loading.
    answers[0]!.resolve({ records: [logRecord(1, { level: 'ERROR' })], nextBefore: 1 })
    await old
    expect(useLogs.getState()).toMatchObject({ records: [], loading: true })
    answers[1]!.resolve({ records: [logRecord(2, { level: 'WARNING' })], nextBefore: null })
    await current
    expect(answers.map((a) => a.level)).toEqual(['ERROR', 'WARNING'])
    expect(useLogs.getState()).toMatchObject({ filters: { level: 'WARNING' }, next: null, loading: false })
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([2])
  })

  it('counts what the filters match beside the first page; an old filter’s late count is dropped', async () => {
    client.answer('logs:page', { records: [logRecord(10)], nextBefore: null })
    const counts: { level?: string; resolve: (c: unknown) => void }[] = []
    client.answer(
      'logs:count',
      (input: unknown) =>
        new Promise((resolve) => counts.push({ level: (input as { level?: string }).level, resolve })),
    )
    await setFilters({ level: 'ERROR' })
    await setFilters({ level: 'WARNING', search: '' })
    expect(client.calls.filter((c) => c.name === 'logs:count').map((c) => c.input)).toEqual([
      { level: 'ERROR', search: undefined },
      { level: 'WARNING', search: undefined },
    ])
    counts[1]!.resolve({ count: 3, more: false })
    counts[0]!.resolve({ count: 10_000, more: true })
    await expect.poll(() => useLogs.getState().total).toEqual({ count: 3, more: false })
    // Live records that match are counted in (the filters are WARNING: the INFO one is not).
    receiveLogs([logRecord(11, { level: 'WARNING' }), logRecord(12, { level: 'INFO' })])
    expect(useLogs.getState().total).toEqual({ count: 4, more: false })
    // New filters: no count until theirs arrives.
    void setFilters({})
    expect(useLogs.getState().total).toBeNull()
  })

  it('replaces a count that ran out of time with a patient one, unless the filters changed meanwhile', async () => {
    client.answer('logs:page', { records: [logRecord(10)], nextBefore: null })
    const patient: { search?: string; resolve: (c: unknown) => void }[] = []
    client.answer('logs:count', (input: unknown) => {
      const query = input as { search?: string; patient?: boolean }
      if (!query.patient) return Promise.resolve({ count: 1, more: true, partial: true })
      return new Promise((resolve) => patient.push({ search: query.search, resolve }))
    })
    await setFilters({ search: 'zanzibar' })
    await expect.poll(() => patient.length).toBe(1)
    expect(useLogs.getState().total).toEqual({ count: 1, more: true, partial: true })
    patient[0]!.resolve({ count: 4, more: false })
    await expect.poll(() => useLogs.getState().total).toEqual({ count: 4, more: false })
    expect(
      client.calls
        .filter((c) => c.name === 'logs:count')
        .map((c) => (c.input as { patient?: boolean }).patient),
    ).toEqual([undefined, true])

    // A patient count for filters that are no longer shown is dropped.
    await setFilters({ search: 'lisbon' })
    await expect.poll(() => patient.length).toBe(2)
    void setFilters({ search: 'oslo' })
    await expect.poll(() => patient.length).toBe(3)
    patient[1]!.resolve({ count: 99, more: false })
    patient[2]!.resolve({ count: 7, more: false })
    await expect.poll(() => useLogs.getState().total).toEqual({ count: 7, more: false })
    expect(patient.map((p) => p.search)).toEqual(['zanzibar', 'lisbon', 'oslo'])
  })

  it('puts new matching records on top, newest first, and ignores the rest', async () => {
    client.answer('logs:page', { records: [logRecord(10)], nextBefore: null })
    await setFilters({ pipeline: 'idempotent_gold_pipeline' })
    receiveLogs([logRecord(11), logRecord(12, { pipeline_name: 'reliable_gold_pipeline' }), logRecord(13)])
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([13, 11, 10])
  })

  it('places a record that committed late by id and never shows one twice', async () => {
    client.answer('logs:page', { records: [logRecord(20), logRecord(10)], nextBefore: null })
    await loadFirstPage()
    receiveLogs([logRecord(20), logRecord(21), logRecord(22)])
    // 15 and 5 were written before 20 and 10 but committed after the page was read.
    receiveLogs([logRecord(5), logRecord(15), logRecord(23)])
    receiveLogs([logRecord(15), logRecord(21)])
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([23, 22, 21, 20, 15, 10, 5])
  })

  it('leaves a late record older than the loaded pages to the page that will bring it', async () => {
    client.answer('logs:page', (input: unknown) =>
      (input as { before?: number }).before
        ? { records: [logRecord(5)], nextBefore: null }
        : { records: [logRecord(20), logRecord(10)], nextBefore: 10 },
    )
    await loadFirstPage()
    receiveLogs([logRecord(5), logRecord(15)])
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([20, 15, 10])
    await loadMore()
    expect(useLogs.getState().records.map((r) => r.id)).toEqual([20, 15, 10, 5])
  })

  it('keeps memory bounded while streaming and can page back to what it dropped', async () => {
    client.answer('logs:page', { records: [logRecord(1)], nextBefore: null })
    await loadFirstPage()
    receiveLogs(Array.from({ length: MAX_LIVE + 10 }, (_, i) => logRecord(i + 2)))
    const { records, next } = useLogs.getState()
    expect(records).toHaveLength(MAX_LIVE)
    expect(next).toBe(records[records.length - 1]?.id)
  })
})
