import { hostname } from 'node:os'
import type { MonthlyPlan, RunSummary } from '../../../src-shared/pipeline.js'
import type { MonthlyInput, RunHooks } from '../api.js'
import type { Db } from '../db/types.js'
import { messageOf } from '../errors.js'
import type { Logger } from '../log/index.js'
import { type Outcome, Run } from '../run/run-lifecycle.js'
import { markGoldDrift } from '../verify/drift-check.js'
import type { RunContext } from './context.js'
import { planMonthly } from './plan.js'
import { processMonth } from './run-month.js'
import { finish, Tally } from './run-tally.js'
import { describeScope, PIPELINE_NAME, parseMonthlyScope } from './scope.js'

const site = { fn: 'runMonthly' }
/**
 * How often the run's row in ops.pipeline_runs is updated while months complete (finishRun writes the last):
 * consoles in other processes follow the row, and a couple of updates a second is plenty (events are live).
 */
const PROGRESS_INTERVAL_MS = 500

/**
 * Runs the monthly pipeline: plans the scope, records the run (run/run-lifecycle.ts), processes each month (claim
 * under its advisory lock, one transaction for gold + completed mark + checkpoint, retries for transient
 * failures), and records the outcome. Returns the summary; status `cancelled` when `hooks.signal` aborted
 * (the month in flight is rolled back and its row restored). Throws only when the run could not start.
 */
export async function runMonthly(db: Db, input: MonthlyInput, hooks: RunHooks): Promise<RunSummary> {
  const scope = parseMonthlyScope(input.scope)
  const { run, plan } = await Run.open(db, hooks, {
    pipeline: 'monthly',
    pipelineName: PIPELINE_NAME,
    logger: { logger: 'assay.monthly', module: 'monthly/run' },
    // Months are claimed and written on the run's session.
    worksOnRunSession: true,
    progressIntervalMs: PROGRESS_INTERVAL_MS,
    prepare: ({ logger }) => prepare(db, scope, input.force, logger),
    record: (plan) => ({ args: { scope, force: input.force }, planned: plan.items.map((i) => i.monthKey) }),
  })
  const tally = new Tally(run.progress)
  const { logger, settings } = run
  const ctx: RunContext = { ...run.scope(), runner: run.session, force: input.force, host: hostname() }
  let outcome: Outcome
  try {
    logger.info(
      `run started: ${plan.items.length} month(s) to process (${describeScope(scope)}${input.force ? ', forced' : ''})`,
      { scope, force: input.force, planned: tally.progress.planned, retry: settings },
      site,
    )
    logger.debug('plan', { items: plan.items, skipped: plan.skipped }, site)
    reportSkipped(ctx, plan, tally)
    outcome = await processAll(ctx, run, plan, tally)
  } catch (error) {
    logger.error(`run failed: ${messageOf(error)}`, { error: messageOf(error) }, site)
    outcome = { status: 'failed', error: messageOf(error) }
  }
  return finish(ctx, run, tally, outcome)
}

/** Months the plan skips: up-to-date ones (the normal case) in one line, details at DEBUG. */
function reportSkipped(ctx: RunContext, plan: MonthlyPlan, tally: Tally): void {
  const upToDate: string[] = []
  for (const skip of plan.skipped) {
    tally.skip(skip.monthKey, skip.reason)
    const level = skip.reason === 'up_to_date' ? 'DEBUG' : 'INFO'
    if (level === 'DEBUG') upToDate.push(skip.monthKey)
    ctx.logger.log(
      level,
      `${skip.monthKey} skipped (${skip.reason}): ${skip.detail}`,
      { month: skip.monthKey, reason: skip.reason },
      site,
    )
    ctx.emit({ type: 'unit.skipped', unit: skip.monthKey, reason: skip.reason })
  }
  if (upToDate.length > 0) {
    ctx.logger.info(
      `${upToDate.length} month(s) already completed with unchanged silver, skipped: ${upToDate.join(', ')}`,
      { up_to_date: upToDate },
      site,
    )
  }
}

/** Checks gold for outside changes and plans, from the ops tables only (the lifecycle has reaped dead runs). */
async function prepare(
  db: Db,
  scope: MonthlyInput['scope'],
  force: boolean,
  logger: Logger,
): Promise<MonthlyPlan> {
  const drifted = await markGoldDrift(db)
  if (drifted.length > 0)
    logger.warning(
      `gold.fact_sales_monthly was changed outside Assay for ${drifted.join(', ')}: marked drifted, recomputing`,
      { drifted },
      site,
    )
  return planMonthly(db, { scope, force, withDiff: false })
}

async function processAll(ctx: RunContext, run: Run, plan: MonthlyPlan, tally: Tally): Promise<Outcome> {
  for (const [index, item] of plan.items.entries()) {
    if (ctx.signal?.aborted) return { status: 'cancelled', error: 'cancelled' }
    const result = await processMonth(ctx, item)
    if (result.kind === 'cancelled') return { status: 'cancelled', error: 'cancelled' }
    if (result.kind === 'completed') tally.progress.done.push(item.monthKey)
    else if (result.kind === 'skipped') tally.skip(item.monthKey, result.reason)
    else {
      tally.fail(item.monthKey, result.error, result.sqlstate)
      if (result.unrecorded) tally.unrecorded.push(result.failure)
      if (result.fatal) {
        const rest = plan.items.slice(index + 1)
        for (const left of rest) tally.skip(left.monthKey, 'not_attempted')
        if (rest.length > 0) {
          ctx.logger.error(
            `stopping the run: the database is unreachable; ${rest.length} month(s) not attempted (${rest.map((r) => r.monthKey).join(', ')})`,
            { not_attempted: rest.map((r) => r.monthKey) },
            site,
          )
        }
        return { status: 'failed', error: result.error, sqlstate: result.sqlstate }
      }
    }
    await run.heartbeat()
  }
  if (tally.failed.length === 0) return { status: 'completed', error: null }
  const first = tally.failed[0]!
  return {
    status: 'failed',
    error: `${tally.failed.length} month(s) failed: ${tally.failed.map((f) => f.unit).join(', ')} — first: ${first.error}`,
    sqlstate: first.sqlstate,
  }
}
