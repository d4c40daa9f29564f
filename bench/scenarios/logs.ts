/**
 * The Logs view over a large ops.pipeline_logs: the first page with a level filter, a text search for a rare word,
 * and the CSV export of every row (in a child process, for its own peak RSS). Also the log sink's throughput on
 * this table with and without the search indexes (sql/0005, sql/0006), to show what search costs writes.
 */
import { execFile } from 'node:child_process'
import { createReadStream, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Db } from '../../src-main/engine/db/types.js'
import { logPage } from '../../src-main/engine/logs/index.js'
import type { BenchContext } from '../context.js'
import { configOf } from '../databases.js'
import { INSERT_LOG_ROWS, RARE_WORD } from '../log-data.js'
import { column } from '../results.js'
import { repeat, sampled, timeMs } from '../timing.js'
import { DROP_SEARCH_INDEXES, pumpSink } from './log-sink.js'

const run = promisify(execFile)
const PAGE = 100

/** Fills the table: `rows` records in one statement, then VACUUM ANALYZE (as autovacuum would after a bulk load). */
export async function fillLogs(ctx: BenchContext, db: Db, rows: number): Promise<void> {
  ctx.log(`inserting ${rows.toLocaleString('en')} log rows`)
  const ms = await timeMs(async () => {
    await db.query(INSERT_LOG_ROWS, [rows, Math.max(20, Math.floor(rows / 10))])
    await db.exec('VACUUM ANALYZE ops.pipeline_logs')
  })
  const { rows: size } = await db.query<{ mb: number }>(
    `SELECT (pg_total_relation_size('ops.pipeline_logs') / 1048576)::int AS mb`,
  )
  ctx.results.note(
    `${rows.toLocaleString('en')} log rows inserted with one INSERT … SELECT generate_series and analysed in ${(ms / 1000).toFixed(0)} s; ` +
      `table and indexes ${size[0]?.mb} MB`,
  )
}

async function countLines(file: string): Promise<number> {
  let lines = 0
  for await (const chunk of createReadStream(file)) {
    for (const byte of chunk as Buffer) if (byte === 10) lines++
  }
  return lines
}

export async function logsScenario(ctx: BenchContext, db: Db, database: string, rows: number): Promise<void> {
  const { results } = ctx
  const col = column('pg')
  const reps = Math.max(ctx.reps, ctx.tiny ? 1 : 11)
  const label = `${(rows / 1e6).toFixed(rows < 1e6 ? 2 : 0)}M`
  const page = async (query: Parameters<typeof logPage>[1], expect?: number) =>
    repeat(reps, () =>
      timeMs(async () => {
        const result = await logPage(db, query)
        if (expect !== undefined && result.records.length !== expect)
          throw new Error(`expected ${expect} records, got ${result.records.length}`)
      }),
    )
  const spec = { area: 'logs' } as const

  const level = await page({ level: 'ERROR', limit: PAGE }, PAGE)
  results.record(
    'logs.page.level',
    {
      ...spec,
      label: `logs view, first page (${PAGE}) with level = ERROR, ${label} rows`,
      unit: 'ms',
      target: { op: '<=', value: 100 },
    },
    col,
    { value: level.median, samples: level.samples },
  )
  const rare = await page({ level: 'CRITICAL', limit: PAGE }, PAGE)
  results.record(
    'logs.page.critical',
    { ...spec, label: '… level = CRITICAL (0.5 % of rows)', unit: 'ms' },
    col,
    {
      value: rare.median,
      samples: rare.samples,
    },
  )
  const { rows: middle } = await db.query<{ id: number }>(
    `SELECT id FROM ops.pipeline_logs ORDER BY id LIMIT 1 OFFSET $1`,
    [Math.floor(rows / 2)],
  )
  const deep = await page({ level: 'ERROR', limit: PAGE, before: middle[0]?.id }, PAGE)
  results.record(
    'logs.page.deep',
    { ...spec, label: '… a page half-way back (keyset, level = ERROR)', unit: 'ms' },
    col,
    {
      value: deep.median,
      samples: deep.samples,
    },
  )

  const search = await page({ search: RARE_WORD, limit: PAGE }, 20)
  results.record(
    'logs.search.rare',
    {
      ...spec,
      label: `logs view, text search for a rare word (10 messages, 10 metadata values: 20 hits)`,
      unit: 'ms',
      target: { op: '<=', value: 1000 },
    },
    col,
    { value: search.median, samples: search.samples },
  )
  const common = await page({ search: 'deadlock', limit: PAGE }, PAGE)
  results.record('logs.search.common', { ...spec, label: '… a common word (first page)', unit: 'ms' }, col, {
    value: common.median,
    samples: common.samples,
  })
  const combined = await page({ search: 'build-3', level: 'WARNING', limit: PAGE })
  results.record(
    'logs.search.filtered',
    { ...spec, label: '… a metadata value with level = WARNING', unit: 'ms' },
    col,
    {
      value: combined.median,
      samples: combined.samples,
    },
  )

  const exports = Math.min(ctx.reps, 3)
  const seconds: number[] = []
  const rss: number[] = []
  let baseline = 0
  let bytes = 0
  for (let rep = 0; rep < exports; rep++) {
    const file = join(ctx.tmp, 'logs-export.csv')
    ctx.log(`exporting ${label} log rows to CSV in a child process (${rep + 1}/${exports})`)
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'bench/export-child.ts', JSON.stringify(configOf(database)), file],
      { cwd: process.cwd(), maxBuffer: 1 << 20 },
    )
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      seconds: number
      bytes: number
      maxRssKb: number
      baselineRssKb: number
    }
    const lines = await countLines(file)
    if (lines !== rows + 1) throw new Error(`the export has ${lines} lines, expected ${rows + 1}`)
    rmSync(file)
    seconds.push(result.seconds)
    rss.push(result.maxRssKb / 1024)
    baseline = result.baselineRssKb / 1024
    bytes = result.bytes
  }
  const exportSeconds = sampled(seconds)
  results.record(
    'logs.export.seconds',
    {
      ...spec,
      label: `CSV export of all ${label} rows (\`exportCsv\`, to a file)`,
      unit: 's',
      target: { op: '<=', value: 10 },
    },
    col,
    {
      value: exportSeconds.median,
      samples: seconds,
      detail: `${(bytes / 2 ** 20).toFixed(0)} MB of CSV${exports !== reps ? `, ${exports} runs` : ''}`,
    },
  )
  results.record(
    'logs.export.rss',
    { ...spec, label: '… peak RSS of the exporting process', unit: 'MB', target: { op: '<=', value: 250 } },
    col,
    {
      value: Math.max(...rss),
      samples: rss,
      detail: `worst of ${exports}; ${Math.round(baseline)} MB before the export began`,
    },
  )
}

/**
 * The log sink on a quiet database with and without the search indexes, and the search without them: what
 * search costs writes, and what it saves reads. Drops the indexes: run this last.
 */
export async function searchIndexCost(ctx: BenchContext, db: Db, records: number): Promise<void> {
  const col = column('pg')
  const withIndexes = await repeat(ctx.reps, () => pumpSink(db, records))
  await db.exec(DROP_SEARCH_INDEXES)
  const without = await repeat(ctx.reps, () => pumpSink(db, records))
  const scan = await repeat(Math.min(ctx.reps, 3), () =>
    timeMs(() => logPage(db, { search: RARE_WORD, limit: PAGE })),
  )
  ctx.results.record(
    'logs.search.rare.no-trgm',
    { area: 'logs', label: '… the rare-word search with the search indexes dropped', unit: 'ms' },
    col,
    { value: scan.median, samples: scan.samples, detail: 'a sequential scan' },
  )
  const spec = { area: 'log sink', unit: 'records/s' } as const
  ctx.results.record(
    'sink.quiet',
    { ...spec, label: 'log sink, no run alongside (search indexes in place)' },
    col,
    {
      value: withIndexes.median,
      samples: withIndexes.samples,
      detail: `${records.toLocaleString('en')} records`,
    },
  )
  ctx.results.record(
    'sink.quiet.no-trgm',
    { ...spec, label: '… with the search indexes dropped (what search costs writes)' },
    col,
    {
      value: without.median,
      samples: without.samples,
    },
  )
}
