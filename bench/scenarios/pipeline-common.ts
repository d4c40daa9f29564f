/** What the monthly and reliable scenarios share: run hooks, resets, and how ratios are recorded. */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { RunHooks } from '../../src-main/engine/api.js'
import type { Db } from '../../src-main/engine/db/types.js'
import type { BenchContext } from '../context.js'
import type { Cell } from '../results.js'
import type { Paired } from '../timing.js'

/** Hooks as the CLI passes them, minus stdout: logs go to ops.pipeline_logs and a log file in the run's folder. */
export function cliHooks(ctx: BenchContext, extra: Partial<RunHooks> = {}): RunHooks {
  const logDir = join(ctx.tmp, 'logs')
  mkdirSync(logDir, { recursive: true })
  return { trigger: 'cli', stdout: 'none', logDir, ...extra }
}

/** The run-bookkeeping tables, emptied so each repetition starts from the same state. */
const OPS = 'ops.processed_months, ops.pipeline_checkpoint, ops.pipeline_runs, ops.pipeline_logs'

/** "From scratch" for the monthly pipeline: no gold months, no processing state. */
export async function resetMonthly(db: Db): Promise<void> {
  await db.exec(`TRUNCATE gold.fact_sales_monthly, ${OPS}`)
}

/** "From scratch" for the reliable pipeline: both of its gold tables empty. */
export async function resetReliable(db: Db): Promise<void> {
  await db.exec(`TRUNCATE gold.fact_product_performance, gold.fact_country_sales, ${OPS}`)
}

/** A ratio cell: the median of the paired ratios, with the absolute overhead per unit of work. */
export function ratioCell(paired: Paired, units: number, unitName: string): Cell {
  const extra = paired.a.median - paired.b.median
  return {
    value: paired.ratio.median,
    samples: paired.ratio.samples,
    detail: `median of ${paired.ratio.samples.length} pairs; +${Math.round(extra)} ms, ${(extra / units).toFixed(1)} ms per ${unitName}`,
  }
}
