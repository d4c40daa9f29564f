import type { Readable } from 'node:stream'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { backends } from '../../test-support/scratch.js'
import { SEED_LOG_TABLE_COLUMNS } from '../../test-support/seed.js'
import { CancelledError, UsageError } from '../errors.js'
import { type ExportProgress, exportCsv } from './export.js'
import { insertLogs, logsScratch } from './test-logs.js'

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}

type CsvRow = Record<string, string>

function rowsOf(csv: Buffer): CsvRow[] {
  return parse(csv, { columns: true, bom: true, relax_quotes: false }) as CsvRow[]
}

/** Awkward values, each in its own record: what RFC 4180 quoting must carry through unchanged. */
const AWKWARD = [
  'plain words',
  'a, b, c',
  'she said "hi"',
  '"',
  'first line\nsecond line',
  'windows\r\nline',
  'café ☕ 日本語 🎉 Ünïcödé',
  'trailing space ',
  ' leading space',
  '',
  'tab\there',
  'semi;colon',
  "it's",
  '\\N',
]

describe.each(backends)('exportCsv on $name', ({ scratch }) => {
  const s = logsScratch(scratch)

  it('quotes every awkward value so it reads back exactly, row by row, metadata as one JSON cell', async () => {
    const ids = await insertLogs(
      s.db,
      AWKWARD.map((message, i) => ({
        message,
        line: i,
        metadata: { text: message, nested: { list: [1, 'two, "three"'] }, n: i },
      })),
    )
    const csv = await bytesOf(exportCsv(s.db, 'logs'))
    const rows = rowsOf(csv)
    expect(Object.keys(rows[0] ?? {})).toEqual(SEED_LOG_TABLE_COLUMNS)
    expect(rows.map((r) => Number(r.id))).toEqual([...ids].reverse())
    for (const row of rows) {
      const i = Number(row.line)
      expect(row.message).toBe(AWKWARD[i])
      expect(JSON.parse(row.metadata ?? '')).toEqual({
        text: AWKWARD[i],
        nested: { list: [1, 'two, "three"'] },
        n: i,
      })
      expect(row.timestamp).toBe(`2024-01-01 00:00:${String(i).padStart(2, '0')}`)
    }
    const text = csv.toString('utf8')
    expect(text).toContain('"a, b, c"')
    expect(text).toContain('"she said ""hi"""')
    expect(text).toContain('"first line\nsecond line"')
    // NULL is an empty cell; an empty string is a quoted empty cell, so the two stay apart.
    expect(text.split('\n')[0]).toBe(
      'id,timestamp,level,message,logger,pipeline_name,run_id,module,function,line,metadata',
    )
    expect(text).toMatch(/,"",assay\.test,/)
  })

  it('neutralises cells a spreadsheet would run as a formula, in every text column', async () => {
    const dangerous = ['=1+1', '+SUM(A1:A9)', '-2+3', '@cmd', '\t=x', '\r=x', '=HYPERLINK("http://x","y")']
    const safe = ['1=1', 'a+b', 'x-y', 'me@example.com', "'already quoted", '{"=": 1}']
    await insertLogs(s.db, [
      ...dangerous.map((message, i) => ({ message, line: i })),
      ...safe.map((message, i) => ({ message, line: 100 + i })),
      {
        message: 'in other columns',
        line: 200,
        pipeline_name: '=cmd|x',
        run_id: '-1',
        logger: '@log',
        module: '+m',
      },
    ])
    const rows = rowsOf(await bytesOf(exportCsv(s.db, 'logs')))
    const byLine = new Map(rows.map((r) => [Number(r.line), r]))
    for (const [i, message] of dangerous.entries()) expect(byLine.get(i)?.message).toBe(`'${message}`)
    for (const [i, message] of safe.entries()) expect(byLine.get(100 + i)?.message).toBe(message)
    expect(byLine.get(200)).toMatchObject({
      pipeline_name: "'=cmd|x",
      run_id: "'-1",
      logger: "'@log",
      module: "'+m",
    })
  })

  it('leaves JSON cells as they are: JSON text never starts a formula', async () => {
    await s.db.exec(`INSERT INTO ops.pipeline_logs (level, message, line, metadata)
                     VALUES ('INFO', 'a', 1, '"=cmd"'), ('INFO', 'b', 2, '-5'), ('INFO', 'c', 3, '{"=": "+x"}')`)
    const rows = rowsOf(await bytesOf(exportCsv(s.db, 'logs')))
    expect(rows.map((r) => r.metadata).reverse()).toEqual(['"=cmd"', '-5', '{"=": "+x"}'])
  })

  it('starts with a UTF-8 BOM only when asked', async () => {
    await insertLogs(s.db, [{ message: 'naïve' }])
    const withBom = await bytesOf(exportCsv(s.db, 'logs', {}, { bom: true }))
    const without = await bytesOf(exportCsv(s.db, 'logs'))
    expect([...withBom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(withBom.subarray(3).equals(without)).toBe(true)
    expect(without.subarray(0, 3).toString()).toBe('id,')
  })

  it('applies the Logs view filters on the server, the search as the view does', async () => {
    await insertLogs(s.db, [
      { message: '50% done', level: 'INFO' },
      { message: '50 done', level: 'INFO' },
      { message: '50% failed', level: 'ERROR' },
      { message: 'other', level: 'ERROR', metadata: { note: '50%' } },
      { message: "'; DROP TABLE ops.pipeline_logs; --", level: 'ERROR' },
    ])
    const messages = async (filter: Parameters<typeof exportCsv>[2]) =>
      rowsOf(await bytesOf(exportCsv(s.db, 'logs', filter))).map((r) => r.message)
    // The messages literally ('50 done' is not found); 'other' by the word 50 in its metadata.
    expect(await messages({ search: '50%' })).toEqual(['other', '50% failed', '50% done'])
    expect(await messages({ search: '50%', level: 'ERROR' })).toEqual(['other', '50% failed'])
    expect(await messages({ search: "'; DROP TABLE ops.pipeline_logs; --" })).toEqual([
      "'; DROP TABLE ops.pipeline_logs; --",
    ])
    expect(await messages({ level: 'CRITICAL' })).toEqual([])
    expect(await messages({ from: '2024-01-01T00:00:03Z' })).toEqual([
      "'; DROP TABLE ops.pipeline_logs; --",
      'other',
    ])
    const { rows } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ops.pipeline_logs')
    expect(rows[0]?.n).toBe(5)
  })

  it('exports runs, checkpoints and months with their own columns and filters', async () => {
    await s.db.exec(`
      INSERT INTO ops.pipeline_runs (run_id, pipeline_name, pipeline, trigger, status, args, error)
      VALUES ('r1', 'idempotent_gold_pipeline', 'monthly', 'cli', 'completed', '{"scope": {"kind": "all"}}', NULL),
             ('r2', 'reliable_gold_pipeline', 'reliable', 'console', 'failed', '{}', '=boom, "quoted"');
      INSERT INTO ops.pipeline_checkpoint (pipeline_name, run_id, stage, checkpoint_key, status, metadata)
      VALUES ('reliable_gold_pipeline', 'r2', 'country_sales', 'gold.fact_country_sales', 'failed', '{"attempts": 3}');
      INSERT INTO ops.processed_months (month_key, year, month, status, run_id)
      VALUES ('2011-01', 2011, 1, 'completed', 'r1'), ('2011-02', 2011, 2, 'failed', 'r1');`)
    const runs = rowsOf(await bytesOf(exportCsv(s.db, 'runs', { status: 'failed' })))
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ run_id: 'r2', error: `'=boom, "quoted"`, planned: '[]', args: '{}' })
    const checkpoints = rowsOf(await bytesOf(exportCsv(s.db, 'checkpoints', { runId: 'r2' })))
    expect(checkpoints.map((c) => [c.stage, c.status, c.metadata])).toEqual([
      ['country_sales', 'failed', '{"attempts": 3}'],
    ])
    const months = rowsOf(await bytesOf(exportCsv(s.db, 'months')))
    expect(months.map((m) => [m.month_key, m.status])).toEqual([
      ['2011-01', 'completed'],
      ['2011-02', 'failed'],
    ])
    expect(Object.keys(months[0] ?? {})).toContain('silver_revenue')
  })

  it('refuses an unknown table or a filter the table does not have, before touching the database', () => {
    expect(() => exportCsv(s.db, 'users' as never)).toThrow(UsageError)
    expect(() => exportCsv(s.db, 'months', { level: 'ERROR' })).toThrow(
      /months export cannot be filtered by level/,
    )
    expect(() => exportCsv(s.db, 'runs', { search: 'x' })).toThrow(/runs export cannot be searched/)
    expect(() => exportCsv(s.db, 'logs', { from: 'soon' })).toThrow(/from must be an ISO 8601 date-time/)
  })

  it('reports progress and ends with done: true and the byte count', async () => {
    await insertLogs(
      s.db,
      Array.from({ length: 50 }, () => ({})),
    )
    const progress: ExportProgress[] = []
    const csv = await bytesOf(exportCsv(s.db, 'logs', {}, { bom: true, onProgress: (p) => progress.push(p) }))
    expect(progress.at(-1)).toEqual({ bytes: csv.length, done: true })
    expect(progress.filter((p) => p.done)).toHaveLength(1)
  })

  it('fails with CancelledError when aborted, and the database stays usable', async () => {
    await s.db.exec(`INSERT INTO ops.pipeline_logs (level, message, metadata)
                     SELECT 'INFO', 'bulk record ' || i, jsonb_build_object('i', i) FROM generate_series(1, 50000) i`)
    const before = new AbortController()
    before.abort()
    await expect(bytesOf(exportCsv(s.db, 'logs', {}, { signal: before.signal }))).rejects.toThrow(
      CancelledError,
    )

    const during = new AbortController()
    const stream = exportCsv(s.db, 'logs', {}, { signal: during.signal })
    let chunks = 0
    const read = (async () => {
      for await (const _ of stream) if (++chunks === 1) during.abort()
    })()
    await expect(read).rejects.toThrow(CancelledError)
    const { rows } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ops.pipeline_logs')
    expect(rows[0]?.n).toBe(50_000)
  })
})
