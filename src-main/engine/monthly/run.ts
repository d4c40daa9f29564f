import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { MonthlyPlan, RunSummary } from '../../../src-shared/pipeline.js'
import type { MonthlyInput, RunHooks } from '../api.js'
import type { Db } from '../db/types.js'
import { CancelledError, messageOf, throwIfAborted } from '../errors.js'
import { createRunLogger, type Logger } from '../log/index.js'
import { describeReaped, reapInterrupted, recordProgress, runEmitter, startRun } from '../ops/runs.js'
import { preflight } from '../preflight.js'
import { parseRetrySettings, withRetry } from '../retry.js'
import { markGoldDrift } from '../verify/drift-check.js'
import type { RunContext } from './context.js'
import { planMonthly } from './plan.js'
import { processMonth } from './run-month.js'
import { finish, type Outcome, Tally } from './run-tally.js'
import { RunnerSession } from './runner-session.js'
import { describeScope, PIPELINE_NAME, parseMonthlyScope } from './scope.js'

const site = { fn: 'runMonthly' }
/** How often the run's row in ops.pipeline_runs is updated while months complete (finishRun writes the last). */
const PROGRESS_INTERVAL_MS = 500

/**
 * Runs the monthly pipeline: plans the scope, records the run in ops.pipeline_runs, processes each month (claim
 * under its advisory lock, one transaction for gold + completed mark + checkpoint, retries for transient
 * failures), and records the outcome. Returns the summary; status `cancelled` when `hooks.signal` aborted
 * (the month in flight is rolled back and its row restored). Throws only when the run could not start.
 */
export async function runMonthly(db: Db, input: MonthlyInput, hooks: RunHooks): Promise<RunSummary> {
  const scope = parseMonthlyScope(input.scope)
  const settings = parseRetrySettings(hooks.retry)
  throwIfAborted(hooks.signal)
  const runId = randomUUID()
  const emit = runEmitter(runId, hooks.onEvent)
  const { logger } = createRunLogger(db, hooks, {
    pipelineName: PIPELINE_NAME,
    runId,
    logger: 'assay.monthly',
    module: 'monthly/run',
  })
  const runner = new RunnerSession(db, runId)
  const tally = new Tally()
  const started = performance.now()
  // pg_cancel_backend on the runner's backend: the statement in flight fails and its transaction rolls back.
  const onAbort = () => {
    const pid = runner.pid
    if (pid !== undefined) db.cancel(pid).catch(() => undefined)
  }
  hooks.signal?.addEventListener('abort', onAbort)
  const ctx: RunContext = {
    db,
    runner,
    runId,
    force: input.force,
    host: hostname(),
    settings,
    signal: hooks.signal,
    logger,
    emit,
    countRetry: () => {
      tally.progress.retries++
    },
  }
  let recorded = false
  try {
    const plan = await withRetry(db, () => prepare(db, scope, input.force, logger), settings, {
      signal: hooks.signal,
    })
    tally.progress.planned = plan.items.map((i) => i.monthKey)
    // Retried like the plan: a connection lost while the run registers must not fail it (startRun is idempotent).
    await withRetry(
      db,
      () =>
        runner.use((s) =>
          startRun(s, {
            runId,
            pipeline: 'monthly',
            pipelineName: PIPELINE_NAME,
            trigger: hooks.trigger,
            args: { scope, force: input.force },
            planned: tally.progress.planned,
          }),
        ),
      settings,
      { signal: hooks.signal },
    )
    runner.noteRunLocked()
    recorded = true
    emit({ type: 'run.started', pipeline: 'monthly', planned: tally.progress.planned, dryRun: false })
    logger.info(
      `run started: ${plan.items.length} month(s) to process (${describeScope(scope)}${input.force ? ', forced' : ''})`,
      { scope, force: input.force, planned: tally.progress.planned, retry: settings },
      site,
    )
    logger.debug('plan', { items: plan.items, skipped: plan.skipped }, site)
    const upToDate: string[] = []
    for (const skip of plan.skipped) {
      tally.skip(skip.monthKey, skip.reason)
      // Up-to-date months of a year or range are the normal case: one line for all of them, details at DEBUG.
      const level = skip.reason === 'up_to_date' ? 'DEBUG' : 'INFO'
      if (level === 'DEBUG') upToDate.push(skip.monthKey)
      logger.log(
        level,
        `${skip.monthKey} skipped (${skip.reason}): ${skip.detail}`,
        { month: skip.monthKey, reason: skip.reason },
        site,
      )
      emit({ type: 'unit.skipped', unit: skip.monthKey, reason: skip.reason })
    }
    if (upToDate.length > 0) {
      logger.info(
        `${upToDate.length} month(s) already completed with unchanged silver, skipped: ${upToDate.join(', ')}`,
        { up_to_date: upToDate },
        site,
      )
    }
    const outcome = await processAll(ctx, plan, tally)
    return await finish(ctx, tally, outcome, started)
  } catch (error) {
    if (!recorded) throw hooks.signal?.aborted ? new CancelledError() : error
    logger.error(`run failed: ${messageOf(error)}`, { error: messageOf(error) }, site)
    return await finish(ctx, tally, { status: 'failed', error: messageOf(error) }, started)
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort)
    await runner.release(!hooks.signal?.aborted)
    await logger.close()
  }
}

/** Marks dead runs interrupted and plans, from the ops tables only. */
async function prepare(
  db: Db,
  scope: MonthlyInput['scope'],
  force: boolean,
  logger: Logger,
): Promise<MonthlyPlan> {
  await preflight(db, 'monthly')
  const reaped = await reapInterrupted(db)
  if (reaped.length > 0) logger.info(describeReaped(reaped), { reaped }, site)
  const drifted = await markGoldDrift(db)
  if (drifted.length > 0)
    logger.warning(
      `gold.fact_sales_monthly was changed outside Assay for ${drifted.join(', ')}: marked drifted, recomputing`,
      { drifted },
      site,
    )
  return planMonthly(db, { scope, force, withDiff: false })
}

async function processAll(ctx: RunContext, plan: MonthlyPlan, tally: Tally): Promise<Outcome> {
  let lastProgress = performance.now()
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
    // Consoles in other processes follow the run's row; a couple of updates a second is plenty (events are live).
    if (performance.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
      await ctx.runner.use((s) => recordProgress(s, ctx.runId, tally.progress)).catch(() => undefined)
      lastProgress = performance.now()
    }
  }
  if (tally.failed.length === 0) return { status: 'completed', error: null }
  const first = tally.failed[0]!
  return {
    status: 'failed',
    error: `${tally.failed.length} month(s) failed: ${tally.failed.map((f) => f.unit).join(', ')} — first: ${first.error}`,
    sqlstate: first.sqlstate,
  }
}
