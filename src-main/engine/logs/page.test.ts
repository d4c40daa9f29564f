import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { backends, type Scratch } from '../../test-support/scratch.js'
import { UsageError } from '../errors.js'
import { containsPattern } from './filter.js'
import { type LogPageQuery, logPage, logPageStatement } from './page.js'
import { insertLogs } from './test-logs.js'

/** Every page of a query, following nextBefore, with `between` run before each next page. */
async function allPages(
  s: Scratch,
  query: Omit<LogPageQuery, 'before'>,
  between: () => Promise<void> = async () => {},
): Promise<number[][]> {
  const pages: number[][] = []
  let before: number | undefined
  for (let guard = 0; guard < 1000; guard++) {
    const page = await logPage(s.db, { ...query, before })
    pages.push(page.records.map((r) => r.id))
    if (page.nextBefore === null) return pages
    before = page.nextBefore
    await between()
  }
  throw new Error('paging did not end')
}

describe('containsPattern', () => {
  it('escapes the LIKE wildcards and the escape character itself', () => {
    expect(containsPattern('50%_off\\now')).toBe('%50\\%\\_off\\\\now%')
    expect(containsPattern("it's")).toBe("%it's%")
  })
})

describe.each(backends)('logPage on $name', ({ scratch }) => {
  let s: Scratch
  beforeAll(async () => {
    s = await scratch()
  })
  afterAll(async () => {
    await s.dispose()
  })
  beforeEach(async () => {
    await s.db.exec('TRUNCATE ops.pipeline_logs RESTART IDENTITY')
  })

  it('returns records newest first, in keyset pages that end with nextBefore null', async () => {
    const ids = await insertLogs(
      s.db,
      Array.from({ length: 25 }, () => ({})),
    )
    const pages = await allPages(s, { limit: 10 })
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5])
    expect(pages.flat()).toEqual([...ids].reverse())
    const first = await logPage(s.db, { limit: 10 })
    expect(first.nextBefore).toBe(first.records.at(-1)?.id)
    expect(first.records[0]).toMatchObject({ level: 'INFO', logger: 'assay.test', metadata: {} })
    expect(first.records[0]?.timestamp).toMatch(/^2024-01-01T00:00:24\.000Z$/)
  })

  it('says nextBefore null when the last page is exactly full, after one empty look', async () => {
    await insertLogs(
      s.db,
      Array.from({ length: 4 }, () => ({})),
    )
    const pages = await allPages(s, { limit: 2 })
    expect(pages.map((p) => p.length)).toEqual([2, 2, 0])
  })

  it('filters by level, pipeline, run and time range, alone and together', async () => {
    const ids = await insertLogs(s.db, [
      {
        level: 'INFO',
        pipeline_name: 'idempotent_gold_pipeline',
        run_id: 'a',
        timestamp: '2024-03-01T10:00:00Z',
      },
      {
        level: 'ERROR',
        pipeline_name: 'idempotent_gold_pipeline',
        run_id: 'a',
        timestamp: '2024-03-01T11:00:00Z',
      },
      {
        level: 'ERROR',
        pipeline_name: 'reliable_gold_pipeline',
        run_id: 'b',
        timestamp: '2024-03-02T10:00:00Z',
      },
      {
        level: 'WARNING',
        pipeline_name: 'reliable_gold_pipeline',
        run_id: 'b',
        timestamp: '2024-03-03T10:00:00Z',
      },
      { level: 'DEBUG', pipeline_name: null, run_id: null, timestamp: '2024-03-04T10:00:00Z' },
    ])
    const idsOf = async (query: Omit<LogPageQuery, 'limit'>) =>
      (await logPage(s.db, { ...query, limit: 100 })).records.map((r) => r.id)
    const [a, b, c, d, e] = ids
    expect(await idsOf({ level: 'ERROR' })).toEqual([c, b])
    expect(await idsOf({ pipeline: 'reliable_gold_pipeline' })).toEqual([d, c])
    expect(await idsOf({ runId: 'a' })).toEqual([b, a])
    expect(await idsOf({ from: '2024-03-02T00:00:00Z' })).toEqual([e, d, c])
    expect(await idsOf({ to: '2024-03-02T10:00:00Z' })).toEqual([b, a])
    expect(await idsOf({ from: '2024-03-01T10:30:00Z', to: '2024-03-03T10:00:00.001Z' })).toEqual([d, c, b])
    expect(await idsOf({ level: 'ERROR', pipeline: 'idempotent_gold_pipeline', runId: 'a' })).toEqual([b])
    expect(await idsOf({ level: 'CRITICAL' })).toEqual([])
  })

  it('pages without duplicates or gaps while new records keep arriving', async () => {
    const original = await insertLogs(
      s.db,
      Array.from({ length: 53 }, (_, i) => ({ level: i % 3 === 0 ? 'ERROR' : 'INFO' })),
    )
    let arrivals = 0
    const newRecords = async () => {
      arrivals++
      await insertLogs(s.db, [{ level: 'ERROR' }, { level: 'INFO' }, { level: 'ERROR' }])
    }
    const pages = await allPages(s, { limit: 7 }, newRecords)
    const seen = pages.flat()
    expect(arrivals).toBeGreaterThan(5)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toEqual([...original].reverse())

    const errors = (await allPages(s, { limit: 4, level: 'ERROR' }, newRecords)).flat()
    const { rows } = await s.db.query<{ id: number }>(
      `SELECT id FROM ops.pipeline_logs WHERE level = 'ERROR' AND id <= $1 ORDER BY id DESC`,
      [errors[0]],
    )
    expect(errors).toEqual(rows.map((r) => Number(r.id)))
  })

  it('searches message and metadata case-insensitively, as literal text', async () => {
    const texts = [
      'discount 50% off',
      'discount 50 off',
      'file_name is set',
      'filename is set',
      'path C:\\temp\\x',
      "the customer's order",
      'a "quoted" word',
      "'; DROP TABLE ops.pipeline_logs; --",
      "x' OR '1'='1",
      'Zanzibar Export',
    ]
    const ids = await insertLogs(
      s.db,
      texts.map((message) => ({ message })),
    )
    const [meta] = await insertLogs(s.db, [
      { message: 'nothing to see', metadata: { note: 'shipped to ZANZIBAR', rate: '100%' } },
    ])
    const search = async (text: string) =>
      (await logPage(s.db, { search: text, limit: 100 })).records.map((r) => r.id).sort((x, y) => x - y)
    const byIndex = (...indexes: number[]) => indexes.map((i) => ids[i])
    expect(await search('50%')).toEqual(byIndex(0))
    expect(await search('%')).toEqual([...byIndex(0), meta])
    expect(await search('file_name')).toEqual(byIndex(2))
    expect(await search('_')).toEqual(byIndex(2, 7)) // 'pipeline_logs' in the injection attempt
    expect(await search('C:\\temp')).toEqual(byIndex(4))
    expect(await search('\\')).toEqual(byIndex(4))
    expect(await search("customer's")).toEqual(byIndex(5))
    expect(await search('"quoted"')).toEqual(byIndex(6))
    expect(await search("'; DROP TABLE ops.pipeline_logs; --")).toEqual(byIndex(7))
    expect(await search("' OR '1'='1")).toEqual(byIndex(8))
    expect(await search('zanzibar')).toEqual([...byIndex(9), meta])
    expect(await search('"note"')).toEqual([meta])
    expect(await search('no such text')).toEqual([])
    const { rows } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ops.pipeline_logs')
    expect(rows[0]?.n).toBe(11)
  })

  it('combines search with filters and paging', async () => {
    await insertLogs(
      s.db,
      Array.from({ length: 30 }, (_, i) => ({
        message: i % 2 === 0 ? `month ${i} processed` : `month ${i} skipped`,
        level: i % 4 === 0 ? 'WARNING' : 'INFO',
      })),
    )
    const pages = await allPages(s, { search: 'PROCESSED', level: 'WARNING', limit: 3 })
    const records = pages.flat()
    expect(records).toHaveLength(8)
    expect(pages[0]).toHaveLength(3)
  })

  it('treats an empty search as no search', async () => {
    await insertLogs(s.db, [{}, {}])
    expect((await logPage(s.db, { search: '', limit: 10 })).records).toHaveLength(2)
  })

  it('refuses bad input with specific messages', async () => {
    const bad: [LogPageQuery, RegExp][] = [
      [{ limit: 0 }, /limit must be a whole number from 1 to 500/],
      [{ limit: 501 }, /limit must be/],
      [{ limit: 1.5 }, /limit must be/],
      [{ limit: 10, before: -3 }, /before must be a record id/],
      [{ limit: 10, level: 'LOUD' as never }, /level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL/],
      [{ limit: 10, from: 'yesterday' }, /from must be a date-time/],
      [{ limit: 10, search: 'x'.repeat(201) }, /search must be at most 200 characters/],
    ]
    for (const [query, message] of bad) {
      await expect(logPage(s.db, query)).rejects.toThrow(UsageError)
      await expect(logPage(s.db, query)).rejects.toThrow(message)
    }
  })

  it('reads WARN and lower-case levels written by other tools as the console vocabulary', async () => {
    await insertLogs(s.db, [{ level: 'warn' }, { level: 'FATAL' }, { level: 'error' }])
    const levels = (await logPage(s.db, { limit: 10 })).records.map((r) => r.level)
    expect(levels).toEqual(['ERROR', 'CRITICAL', 'WARNING'])
  })

  it('lets the trigram indexes of sql/0005 serve a search', async () => {
    const { text, values } = logPageStatement({ search: 'zanzibar', limit: 50 })
    const plan = await s.db.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off')
      const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values)
      return rows.map((r) => r['QUERY PLAN']).join('\n')
    })
    expect(plan).toContain('pipeline_logs_message_trgm_idx')
    expect(plan).toContain('pipeline_logs_metadata_trgm_idx')
  })
})
