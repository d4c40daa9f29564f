import { describe, expect, it } from 'vitest'
import { backends, type Scratch } from '../../test-support/scratch.js'
import { UsageError } from '../errors.js'
import { logCount } from './count.js'
import { containsPattern } from './filter.js'
import { type LogPageQuery, logPage, logPageStatement, SEARCH_WALK } from './page.js'
import { insertLogs, logsScratch } from './test-logs.js'

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
  const s = logsScratch(scratch)

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

  it('searches the message case-insensitively as literal text, and the metadata by words', async () => {
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
    const [meta, more] = await insertLogs(s.db, [
      { message: 'nothing to see', metadata: { note: 'shipped to ZANZIBAR', rate: '100%' } },
      {
        message: 'nothing here either',
        metadata: {
          month: '2011-11',
          rows: 4213,
          note: 'slow disk',
          sqlstate: '40001',
          at: { host: 'build-3' },
        },
      },
    ])
    const search = async (text: string) =>
      (await logPage(s.db, { search: text, limit: 100 })).records.map((r) => r.id).sort((x, y) => x - y)
    const byIndex = (...indexes: number[]) => indexes.map((i) => ids[i])
    // The message: a literal substring, wildcards and quotes included.
    expect(await search('50%')).toEqual(byIndex(0))
    expect(await search('file_name')).toEqual(byIndex(2))
    expect(await search('_')).toEqual(byIndex(2, 7)) // 'pipeline_logs' in the injection attempt
    expect(await search('C:\\temp')).toEqual(byIndex(4))
    expect(await search("customer's")).toEqual(byIndex(5))
    expect(await search('"quoted"')).toEqual(byIndex(6))
    expect(await search("'; DROP TABLE ops.pipeline_logs; --")).toEqual(byIndex(7))
    expect(await search("' OR '1'='1")).toEqual(byIndex(8))
    // Without words, the metadata matches nothing (not an error); '100%' is metadata only.
    expect(await search('%')).toEqual(byIndex(0))
    expect(await search('\\')).toEqual(byIndex(4))
    expect(await search('!!')).toEqual([])
    // The metadata: words of one value, consecutively, case-insensitively, the last as a prefix.
    expect(await search('zanzibar')).toEqual([...byIndex(9), meta])
    expect(await search('ZANZ')).toEqual([...byIndex(9), meta])
    expect(await search('to zanzibar')).toEqual([meta])
    expect(await search('slow disk')).toEqual([more])
    expect(await search('Slow  di')).toEqual([more])
    expect(await search('disk slow')).toEqual([])
    expect(await search('shipped zanzibar')).toEqual([])
    expect(await search('zanzibar 100')).toEqual([]) // two values are not one phrase
    expect(await search('2011-11')).toEqual([more])
    expect(await search('2011-12')).toEqual([])
    expect(await search('4213')).toEqual([more]) // numbers too
    expect(await search('build-3')).toEqual([more]) // nested values too
    expect(await search('40001')).toEqual([more])
    // Keys are not indexed (sql/0006: they would cost the log sink too much), so a key name alone finds nothing.
    expect(await search('sqlstate')).toEqual([])
    expect(await search('"note"')).toEqual([])
    // The text is never tsquery syntax: spliced into to_tsquery, this would find 'disk'.
    expect(await search("nomatch' | 'disk")).toEqual([])
    expect(await search("disk')::tsquery OR true --")).toEqual([])
    expect(await search('no such text')).toEqual([])
    const { rows } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ops.pipeline_logs')
    expect(rows[0]?.n).toBe(12)
  })

  it('finds emoji and other symbols in metadata, which the word index drops', async () => {
    const [fire, heart, plain, inMessage] = await insertLogs(s.db, [
      { metadata: { note: 'disk 🔥 hot', nested: { tag: 'x' } } },
      { metadata: { at: { mood: 'ok ❤️' } } },
      { metadata: { note: 'disk hot' } },
      { message: 'shipped 🔥' },
    ])
    const search = async (text: string) =>
      (await logPage(s.db, { search: text, limit: 100 })).records.map((r) => r.id).sort((x, y) => x - y)
    expect(await search('🔥')).toEqual([fire, inMessage])
    expect(await search('❤️')).toEqual([heart])
    expect(await search('❤')).toEqual([heart]) // without the variation selector
    expect(await search('🔥 hot')).toEqual([fire])
    expect(await search('disk hot')).toEqual([fire, plain]) // words: the emoji between them is not a word
    expect(await search('🚀')).toEqual([])
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
      [{ limit: 10, from: 'yesterday' }, /from must be an ISO 8601 date-time/],
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

  it('pages a search past the newest 10,000 records it walks, through the indexes', async () => {
    const needle = (n: number) => Array.from({ length: n }, () => ({ message: 'a needle here' }))
    const old = await insertLogs(s.db, needle(3))
    await s.db.exec(`INSERT INTO ops.pipeline_logs (level, message, metadata)
      SELECT 'INFO', 'hay ' || i, jsonb_build_object('i', i) FROM generate_series(1, 10000) AS i`)
    const recent = await insertLogs(s.db, [...needle(2), { metadata: { note: 'needle in metadata' } }])
    // The first page is found by the walk; the older ones only by the indexes.
    expect(await allPages(s, { search: 'needle', limit: 2 })).toEqual([
      [recent[2], recent[1]],
      [recent[0], old[2]],
      [old[1], old[0]],
      [],
    ])
    const all = await logPage(s.db, { search: 'NEEDLE', limit: 10 })
    expect(all.records.map((r) => r.id)).toEqual([...old, ...recent].reverse())
    expect(all.nextBefore).toBeNull()
  })

  it('answers a rare search from both indexes: trigrams on message (sql/0005), words of metadata (sql/0006)', async () => {
    const explain = (plan: 'walk' | 'indexes') =>
      s.db.transaction(async (tx) => {
        const { text, values } = logPageStatement({ search: 'zanzibar', limit: 50 }, plan)
        await tx.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off')
        const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values)
        return rows.map((r) => r['QUERY PLAN']).join('\n')
      })
    const indexes = await explain('indexes')
    expect(indexes).toContain('BitmapOr')
    expect(indexes).toContain('pipeline_logs_message_trgm_idx')
    expect(indexes).toContain('pipeline_logs_metadata_words_idx')
    // The walk never builds a bitmap of every match, even when told to avoid walking.
    expect(await explain('walk')).not.toMatch(/trgm_idx|words_idx/)
  })

  describe('logCount', () => {
    it('counts the records a filter and a search match, exactly below the cap', async () => {
      await insertLogs(s.db, [
        { level: 'ERROR', message: 'disk full', run_id: 'a' },
        { level: 'ERROR', message: 'ok', run_id: 'b', metadata: { note: 'slow disk 🔥' } },
        { level: 'INFO', message: 'Disk fine', run_id: 'a' },
        { level: 'INFO', message: 'nothing' },
      ])
      expect(await logCount(s.db, {})).toEqual({ count: 4, more: false })
      expect(await logCount(s.db, { level: 'ERROR' })).toEqual({ count: 2, more: false })
      expect(await logCount(s.db, { search: 'disk' })).toEqual({ count: 3, more: false })
      expect(await logCount(s.db, { search: 'disk', runId: 'a' })).toEqual({ count: 2, more: false })
      expect(await logCount(s.db, { search: '🔥' })).toEqual({ count: 1, more: false })
      expect(await logCount(s.db, { level: 'CRITICAL' })).toEqual({ count: 0, more: false })
    })

    it('stops at the cap and says there are more', async () => {
      await s.db.exec(`INSERT INTO ops.pipeline_logs (level, message)
        SELECT 'INFO', 'hay ' || i FROM generate_series(1, 30) AS i`)
      expect(await logCount(s.db, {}, 30)).toEqual({ count: 30, more: false })
      expect(await logCount(s.db, {}, 29)).toEqual({ count: 29, more: true })
      expect(await logCount(s.db, { search: 'hay' }, 10)).toEqual({ count: 10, more: true })
    })

    it('past its time budget, counts the matches among the newest records and says there are more', async () => {
      await s.db.exec(`INSERT INTO ops.pipeline_logs (level, message, metadata)
        SELECT 'INFO', 'hay ' || i, jsonb_build_object('note', 'ok ' || i) FROM generate_series(1, 30000) AS i`)
      expect(await logCount(s.db, { search: 'ok' }, 100_000)).toEqual({ count: 30_000, more: false })
      // PGlite cannot interrupt a statement (and its tables are small): it counts to the end.
      expect(await logCount(s.db, { search: 'ok' }, 100_000, 1)).toEqual(
        s.db.capabilities.canCancelStatements
          ? { count: SEARCH_WALK, more: true, partial: true }
          : { count: 30_000, more: false },
      )
    })

    it('refuses a bad filter with a specific message', async () => {
      await expect(logCount(s.db, { from: 'yesterday' })).rejects.toThrow(UsageError)
      await expect(logCount(s.db, { search: 'x'.repeat(201) })).rejects.toThrow(/at most 200 characters/)
    })
  })
})
