/**
 * DbLogSink throughput: records/s from `write` until every record is in ops.pipeline_logs, written as fast as the
 * sink accepts them, while pipelines run on the same database (monthly, forced, then reliable, in a loop).
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Db } from '../../src-main/engine/db/types.js'
import { DbLogSink } from '../../src-main/engine/log/db-sink.js'
import { runMonthly } from '../../src-main/engine/monthly/index.js'
import { runReliable } from '../../src-main/engine/reliable/index.js'
import type { BenchContext } from '../context.js'
import { sinkRecord } from '../log-data.js'
import { repeat, type Sampled } from '../timing.js'
import { cliHooks } from './pipeline-common.js'

/**
 * Writes `count` records through a fresh sink (its default batching: 2,000 per INSERT, every 100 ms), never
 * letting its buffer reach the bound where it drops records. Returns records/s.
 */
export async function pumpSink(db: Db, count: number): Promise<number> {
  const runId = randomUUID()
  const sink = new DbLogSink(db)
  const t0 = performance.now()
  for (let i = 0; i < count; i++) {
    sink.write(sinkRecord(i, runId))
    if (i % 1000 === 999) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      while (sink.stats.buffered > 50_000) await sleep(2)
    }
  }
  await sink.close()
  const seconds = (performance.now() - t0) / 1000
  if (sink.stats.dropped > 0) throw new Error(`the sink dropped ${sink.stats.dropped} records`)
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM ops.pipeline_logs WHERE run_id = $1',
    [runId],
  )
  if (rows[0]?.n !== count) throw new Error(`${rows[0]?.n} of ${count} records reached ops.pipeline_logs`)
  return count / seconds
}

/** Runs the pipelines back to back until `stop` resolves; returns how many runs completed. */
async function pipelinesUntil(ctx: BenchContext, db: Db, stop: Promise<unknown>): Promise<number> {
  let stopped = false
  void stop.finally(() => {
    stopped = true
  })
  let runs = 0
  const hooks = cliHooks(ctx)
  while (!stopped) {
    // Forced, so every month is processed again (a reset would also empty the log table being measured).
    await runMonthly(db, { scope: { kind: 'pending' }, force: true }, hooks)
    runs++
    if (stopped) break
    await runReliable(db, {}, hooks)
    runs++
  }
  return runs
}

/** Sink throughput while pipelines run: the median of `ctx.reps`, and the range of runs that went alongside. */
async function duringRuns(
  ctx: BenchContext,
  db: Db,
  records: number,
): Promise<{ rate: Sampled; runs: number[] }> {
  const runs: number[] = []
  const rate = await repeat(
    ctx.reps,
    async () => {
      const pumping = pumpSink(db, records)
      const background = pipelinesUntil(
        ctx,
        db,
        pumping.catch(() => undefined),
      )
      const [value, count] = await Promise.all([pumping, background])
      runs.push(count)
      return value
    },
    () => db.exec('TRUNCATE ops.pipeline_logs'),
  )
  return { rate, runs }
}

/** The Logs view's search indexes: trigrams of the message (sql/0005), words of the metadata (sql/0006). */
export const DROP_SEARCH_INDEXES =
  'DROP INDEX ops.pipeline_logs_message_trgm_idx; DROP INDEX ops.pipeline_logs_metadata_words_idx'

/**
 * The sink while pipelines run, as migrated; then, on this scratch copy, with the search indexes dropped, to show
 * what the Logs view's search costs the sink.
 */
export async function sinkScenario(ctx: BenchContext, db: Db, col: string, records: number): Promise<void> {
  const withSearch = await duringRuns(ctx, db, records)
  const spec = { area: 'log sink', unit: 'records/s' } as const
  ctx.results.record(
    'sink.during-run',
    {
      ...spec,
      label: 'log sink into ops.pipeline_logs while pipelines run',
      target: { op: '>=', value: 20_000 },
    },
    col,
    {
      value: withSearch.rate.median,
      samples: withSearch.rate.samples,
      detail: `${records.toLocaleString('en')} records, ${Math.min(...withSearch.runs)}–${Math.max(...withSearch.runs)} pipeline runs alongside`,
    },
  )
  await db.exec(DROP_SEARCH_INDEXES)
  const without = await duringRuns(ctx, db, records)
  ctx.results.record(
    'sink.during-run.no-trgm',
    { ...spec, label: '… the same with the search indexes dropped' },
    col,
    { value: without.rate.median, samples: without.rate.samples },
  )
}
