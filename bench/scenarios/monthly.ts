/**
 * The monthly pipeline against its floor: all months from scratch, one month, and the no-op rerun. The pipeline
 * and the floor alternate (A B A B …) on the same database, each after a reset, so machine load hits both alike.
 */

import type { Db } from '../../src-main/engine/db/types.js'
import { runMonthly } from '../../src-main/engine/monthly/index.js'
import { dateIdRange } from '../../src-shared/months.js'
import { type BenchContext, pairs } from '../context.js'
import { FLOOR_MONTH, FLOOR_SINGLE_PASS, GOLD_MONTHLY_SNAPSHOT, SILVER_MONTHS } from '../floor-sql.js'
import { Profile, profiled } from '../profile.js'
import { meets } from '../results.js'
import { interleave, repeat, timeMs } from '../timing.js'
import { cliHooks, ratioCell, resetMonthly } from './pipeline-common.js'

interface SilverMonth {
  year: number
  month: number
  row_count: number
}

/** The floor: the bare statement per month on one fresh connection, autocommit (one durable commit a month). */
async function floor(db: Db, months: SilverMonth[]): Promise<void> {
  const session = await db.session()
  try {
    for (const m of months) {
      const [first, last] = dateIdRange(m)
      await session.query(FLOOR_MONTH, [first, last, m.year, m.month])
    }
  } finally {
    // As the pipeline's runner session: the connection goes back to the pool.
    await session.release()
  }
}

async function snapshot(db: Db): Promise<string> {
  return JSON.stringify((await db.query(GOLD_MONTHLY_SNAPSHOT)).rows)
}

export async function monthlyScenario(ctx: BenchContext, db: Db, col: string): Promise<void> {
  const { results } = ctx
  const months = (await db.query<SilverMonth>(SILVER_MONTHS)).rows
  const hooks = cliHooks(ctx)
  let pipelineGold: string | undefined
  let floorGold: string | undefined

  const all = await interleave(
    {
      before: () => resetMonthly(db),
      measure: async () => {
        let done = 0
        const ms = await timeMs(async () => {
          const summary = await runMonthly(db, { scope: { kind: 'pending' }, force: false }, hooks)
          if (summary.status !== 'completed')
            throw new Error(`monthly run ${summary.status}: ${summary.error}`)
          done = summary.done.length
        })
        if (done !== months.length)
          throw new Error(`monthly run processed ${done} of ${months.length} months`)
        pipelineGold ??= await snapshot(db)
        return ms
      },
    },
    {
      before: () => resetMonthly(db),
      measure: async () => {
        const ms = await timeMs(() => floor(db, months))
        floorGold ??= await snapshot(db)
        return ms
      },
    },
    pairs(ctx, 30_000),
  )
  if (pipelineGold !== floorGold)
    throw new Error('the floor wrote different gold rows than the monthly pipeline')
  const rows = months.reduce((n, m) => n + m.row_count, 0)
  const spec = { area: 'monthly', scales: true } as const
  results.record(
    'monthly.all',
    { ...spec, label: `monthly pipeline, all months from scratch`, unit: 's' },
    col,
    {
      value: all.a.median / 1000,
      samples: all.a.samples,
      detail: `${months.length} months, ${rows.toLocaleString('en')} silver rows`,
    },
  )
  results.record(
    'monthly.all.floor',
    { ...spec, label: 'floor: the same upserts as bare statements', unit: 's' },
    col,
    { value: all.b.median / 1000, samples: all.b.samples },
  )
  /** A ratio row of all months against a floor, with its target. */
  const allMonthsRatio = (id: string, floorName: string, target: number, paired: typeof all) =>
    results.record(
      id,
      {
        area: 'monthly',
        label: `monthly pipeline ÷ ${floorName} (all months)`,
        unit: '×',
        target: { op: '<=', value: target },
      },
      col,
      ratioCell(paired, months.length, 'month'),
    )
  allMonthsRatio('monthly.all.ratio', 'floor', 1.15, all)

  // #12's floor: every month in one statement over all of silver (autocommit), against the pipeline again.
  let singleGold: string | undefined
  const single = await interleave(
    {
      before: () => resetMonthly(db),
      measure: () => timeMs(() => runMonthly(db, { scope: { kind: 'pending' }, force: false }, hooks)),
    },
    {
      before: () => resetMonthly(db),
      measure: async () => {
        const ms = await timeMs(() => db.query(FLOOR_SINGLE_PASS))
        singleGold ??= await snapshot(db)
        return ms
      },
    },
    pairs(ctx, 30_000),
  )
  if (singleGold !== pipelineGold)
    throw new Error('the single-pass floor wrote different gold rows than the monthly pipeline')
  results.record(
    'monthly.all.single',
    {
      ...spec,
      label: 'floor: every month in one statement (one pass over silver, every gold column)',
      unit: 's',
    },
    col,
    { value: single.b.median / 1000, samples: single.b.samples },
  )
  allMonthsRatio('monthly.all.single.ratio', 'the one-pass floor', 1, single)

  // One month: the busiest, its gold row and processing row removed before each repetition.
  const busiest = [...months].sort((a, b) => b.row_count - a.row_count)[0]!
  const key = `${busiest.year}-${String(busiest.month).padStart(2, '0')}`
  const resetOne = async () => {
    await db.query('DELETE FROM gold.fact_sales_monthly WHERE year = $1 AND month = $2', [
      busiest.year,
      busiest.month,
    ])
    await db.query('DELETE FROM ops.processed_months WHERE month_key = $1', [key])
  }
  const one = await interleave(
    {
      before: resetOne,
      measure: () =>
        timeMs(async () => {
          const summary = await runMonthly(
            db,
            { scope: { kind: 'month', year: busiest.year, month: busiest.month }, force: false },
            hooks,
          )
          if (summary.done.length !== 1) throw new Error(`one-month run did ${summary.done.length} months`)
        }),
    },
    { before: resetOne, measure: () => timeMs(() => floor(db, [busiest])) },
    pairs(ctx, 10_000),
  )
  results.record('monthly.one', { ...spec, label: 'monthly pipeline, one month', unit: 'ms' }, col, {
    value: one.a.median,
    samples: one.a.samples,
    detail: `${key}, ${busiest.row_count.toLocaleString('en')} rows`,
  })
  results.record('monthly.one.floor', { ...spec, label: 'floor: the same month, bare', unit: 'ms' }, col, {
    value: one.b.median,
    samples: one.b.samples,
  })
  results.record(
    'monthly.one.ratio',
    { area: 'monthly', label: 'monthly pipeline ÷ floor (one month)', unit: '×' },
    col,
    ratioCell(one, 1, 'month'),
  )

  // The no-op rerun: every month completed and silver unchanged, so the run plans nothing and records itself.
  await resetMonthly(db)
  await runMonthly(db, { scope: { kind: 'pending' }, force: false }, hooks)
  const noop = await repeat(Math.max(ctx.reps, 5), () =>
    timeMs(async () => {
      const summary = await runMonthly(db, { scope: { kind: 'pending' }, force: false }, hooks)
      if (summary.done.length !== 0) throw new Error('the rerun found work to do')
    }),
  )
  results.record(
    'monthly.noop',
    {
      area: 'monthly',
      label: 'monthly no-op rerun (nothing to do; in-process, no CLI start-up)',
      unit: 'ms',
      target: { op: '<=', value: 100 },
    },
    col,
    { value: noop.median, samples: noop.samples },
  )
  if (!meets(all.ratio.median, { op: '<=', value: 1.15 }))
    ctx.log(`monthly ratio ${all.ratio.median.toFixed(2)} at ${col} misses 1.15`)
  ctx.results.note(
    `monthly pipeline at ${col}, where one more run's time goes: ${await breakdown(ctx, db, months.length)}`,
  )
}

/** One extra run (not in the table) with every statement timed: what the pipeline waits on besides the floor's work. */
async function breakdown(ctx: BenchContext, db: Db, months: number): Promise<string> {
  await resetMonthly(db)
  const profile = new Profile()
  await runMonthly(profiled(db, profile), { scope: { kind: 'pending' }, force: false }, cliHooks(ctx))
  const { wallMs, statements } = profile.summary()
  // The log sink writes on its own connection while the run goes on: not on the run's path.
  const concurrent = new Set(['logs/insert-batch'])
  const serial = statements.filter((s) => !concurrent.has(s.key))
  const waited = serial.reduce((n, s) => n + s.ms, 0)
  const parts = serial
    .filter((s) => s.ms >= 0.5)
    .map((s) => `${s.key} ${s.count}× ${(s.ms / s.count).toFixed(1)} ms = ${Math.round(s.ms)} ms`)
  const logs = statements.find((s) => concurrent.has(s.key))
  return (
    `${Math.round(wallMs)} ms wall for ${months} months = ${parts.join('; ')}; ` +
    `between statements (JavaScript, logging, event loop) ${Math.round(wallMs - waited)} ms` +
    (logs ? `; meanwhile the log sink's INSERTs took ${Math.round(logs.ms)} ms on another connection` : '')
  )
}
