/**
 * The reliable pipeline against its floor: both stages from scratch (gold tables emptied), each stage's seconds,
 * and the floor — each stage's two statements (upsert, prune) in a bare transaction — alternating with it.
 */
import type { Db } from '../../src-main/engine/db/types.js'
import { runReliable, STAGES } from '../../src-main/engine/reliable/index.js'
import { type BenchContext, pairs } from '../context.js'
import { interleave, median, timeMs } from '../timing.js'
import { cliHooks, ratioCell, resetReliable } from './pipeline-common.js'

const SNAPSHOT = `
SELECT (SELECT json_agg(p ORDER BY product_id) FROM (SELECT product_id, stock_code, description, category, total_revenue,
          total_quantity, total_transactions, total_days_sold, total_countries, avg_revenue_per_day, avg_quantity_per_day,
          avg_revenue_per_transaction, avg_quantity_per_transaction, first_sale_date, last_sale_date
        FROM gold.fact_product_performance) p)::text AS products,
       (SELECT json_agg(c ORDER BY country) FROM (SELECT country, total_revenue, total_quantity, total_transactions,
          total_products, total_days_active, unique_customers, avg_revenue_per_transaction, avg_quantity_per_transaction,
          top_product_id, top_product_revenue, first_transaction_date, last_transaction_date
        FROM gold.fact_country_sales) c)::text AS countries`

function push(into: Record<string, number[]>, key: string, value: number): void {
  into[key] = [...(into[key] ?? []), value]
}

async function snapshot(db: Db): Promise<string> {
  return JSON.stringify((await db.query(SNAPSHOT)).rows[0])
}

export async function reliableScenario(ctx: BenchContext, db: Db, col: string): Promise<void> {
  const { results } = ctx
  const stageMs: Record<string, number[]> = {}
  const floorStageMs: Record<string, number[]> = {}
  let pipelineGold: string | undefined
  let floorGold: string | undefined

  const both = await interleave(
    {
      before: () => resetReliable(db),
      measure: async () => {
        const hooks = cliHooks(ctx, {
          onEvent: (event) => {
            if (event.type === 'unit.completed') push(stageMs, event.unit, event.durationMs)
          },
        })
        const ms = await timeMs(async () => {
          const summary = await runReliable(db, {}, hooks)
          if (summary.status !== 'completed')
            throw new Error(`reliable run ${summary.status}: ${summary.error}`)
        })
        pipelineGold ??= await snapshot(db)
        return ms
      },
    },
    {
      before: () => resetReliable(db),
      measure: async () => {
        const ms = await timeMs(async () => {
          const session = await db.session()
          try {
            for (const stage of STAGES) {
              const t0 = performance.now()
              await session.query('BEGIN')
              await session.query(stage.upsert)
              await session.query(stage.prune)
              await session.query('COMMIT')
              push(floorStageMs, stage.name, performance.now() - t0)
            }
          } finally {
            await session.release(true)
          }
        })
        floorGold ??= await snapshot(db)
        return ms
      },
    },
    pairs(ctx, 60_000),
  )
  if (pipelineGold !== floorGold)
    throw new Error('the floor wrote different gold rows than the reliable pipeline')
  const spec = { area: 'reliable', scales: true } as const
  results.record('reliable.all', { ...spec, label: 'reliable pipeline, both stages', unit: 's' }, col, {
    value: both.a.median / 1000,
    samples: both.a.samples,
  })
  for (const stage of STAGES) {
    results.record(
      `reliable.stage.${stage.name}`,
      { ...spec, label: `… stage ${stage.name} (pipeline / floor)`, unit: 's' },
      col,
      {
        // The first of each is the warm-up run.
        value: median(stageMs[stage.name]?.slice(1) ?? []) / 1000,
        samples: stageMs[stage.name]?.slice(1),
        detail: `floor ${(median(floorStageMs[stage.name]?.slice(1) ?? []) / 1000).toFixed(2)} s`,
      },
    )
  }
  results.record(
    'reliable.all.floor',
    { ...spec, label: 'floor: the stage statements, bare', unit: 's' },
    col,
    {
      value: both.b.median / 1000,
      samples: both.b.samples,
    },
  )
  results.record(
    'reliable.all.ratio',
    { area: 'reliable', label: 'reliable pipeline ÷ floor', unit: '×', target: { op: '<=', value: 1.15 } },
    col,
    ratioCell(both, STAGES.length, 'stage'),
  )
}
