import type { RunSummary } from '../../../src-shared/pipeline.js'
import type { RunHooks } from '../api.js'
import { sqlState } from '../db/error-class.js'
import type { Db } from '../db/types.js'
import { messageOf } from '../errors.js'
import { faults } from '../faults.js'
import type { Logger } from '../log/logger.js'
import type { RunProgress, runEmitter } from '../ops/runs.js'
import { type Outcome, Run, type RunEnd } from '../run/run-lifecycle.js'
import { countrySales } from './country-sales.js'
import { productPerformance } from './product-performance.js'
import { planResume, type ResumePlan } from './resume.js'
import { runStage, type StageContext } from './run-stage.js'
import type { StageDefinition } from './stage.js'

/** The seed's pipeline name: checkpoints, logs and runs of this pipeline carry it. */
export const PIPELINE_NAME = 'reliable_gold_pipeline'

/** The stages, in run order. */
export const STAGES: readonly StageDefinition[] = [productPerformance, countrySales]

type Failure = { unit: string; error: string; sqlstate: string | null }

/**
 * The reliable pipeline: gold.fact_product_performance then gold.fact_country_sales, each a checkpointed,
 * retried transaction. A failed stage fails the run and stops it (`--resume RUN_ID` later skips the stages
 * that run completed); an abort cancels the statement in flight and records the run as cancelled.
 * Resume refusals and an uninitialised database throw; everything after the run is recorded
 * (run/run-lifecycle.ts) is reported in the summary instead.
 */
export async function runReliable(db: Db, input: { resume?: string }, hooks: RunHooks): Promise<RunSummary> {
  const planned = STAGES.map((stage) => stage.name)
  const { run, plan: resume } = await Run.open(db, hooks, {
    pipeline: 'reliable',
    pipelineName: PIPELINE_NAME,
    logger: { logger: 'assay.reliable', module: 'reliable/pipeline' },
    // Two stages: their progress is worth writing every time.
    progressIntervalMs: 0,
    prepare: () => (input.resume ? planResume(db, input.resume, PIPELINE_NAME) : Promise.resolve(undefined)),
    record: (resume, retry) => ({
      args: {
        resume: input.resume ?? null,
        retry,
        log_level: hooks.logLevel ?? 'INFO',
        ...faultArgs(),
      },
      planned,
      resumedFrom: resume?.from.runId,
    }),
  })
  const { runId, logger, emit, settings: retry, progress } = run
  const skipped: RunSummary['skipped'] = []
  let status: Outcome['status'] = 'completed'
  let failure: Failure | undefined

  logger.info('Database connection established', db.server.logFields, { fn: 'runReliable' })
  logger.info(
    resume ? `Pipeline started (resuming run ${resume.from.runId})` : 'Pipeline started',
    { stages: planned, trigger: hooks.trigger, resumed_from: resume?.from.runId ?? null, retry },
    { fn: 'runReliable' },
  )
  const ctx: StageContext = run.scope()
  try {
    for (const stage of STAGES) {
      if (hooks.signal?.aborted) {
        status = 'cancelled'
        break
      }
      if (skipStage(stage, resume, logger, emit, skipped, progress)) continue
      const outcome = await runStage(ctx, stage)
      if (outcome.status === 'completed') {
        progress.done.push(stage.name)
      } else {
        progress.failed.push(stage.name)
        status = outcome.status
        failure = { unit: stage.name, error: outcome.error, sqlstate: outcome.sqlstate }
        break
      }
      await run.heartbeat()
    }
  } catch (error) {
    // Only a defect gets here: stages report their own failures.
    status = hooks.signal?.aborted ? 'cancelled' : 'failed'
    failure = { unit: 'pipeline', error: messageOf(error), sqlstate: sqlState(error) ?? null }
  }

  const runError = failure
    ? status === 'cancelled'
      ? `cancelled during stage ${failure.unit}`
      : `stage ${failure.unit} failed: ${failure.error}`
    : status === 'cancelled'
      ? 'cancelled'
      : null
  const end = await run.finish(
    { status, error: runError, sqlstate: failure?.sqlstate ?? null },
    { report: (end) => reportEnd(logger, end, progress, failure) },
  )
  return {
    runId,
    pipeline: 'reliable',
    status: end.status,
    done: progress.done,
    skipped,
    failed: failure ? [failure] : [],
    durationMs: end.durationMs,
    retries: progress.retries,
    error: end.error,
  }
}

/** Skips a stage the resumed run (or its own predecessor) completed. */
function skipStage(
  stage: StageDefinition,
  resume: ResumePlan | undefined,
  logger: Logger,
  emit: ReturnType<typeof runEmitter>,
  skipped: RunSummary['skipped'],
  progress: RunProgress,
): boolean {
  const completedIn = resume?.completed.get(stage.name)
  if (!completedIn) return false
  const reason = `completed in run ${completedIn}`
  progress.skipped.push(stage.name)
  skipped.push({ unit: stage.name, reason })
  logger.info(`Stage ${stage.name} skipped: ${reason}`, { stage: stage.name, completed_in: completedIn })
  emit({ type: 'unit.skipped', unit: stage.name, reason })
  return true
}

/** The run's closing line, at its own level, in the seed's words. */
function reportEnd(logger: Logger, end: RunEnd, progress: RunProgress, failure: Failure | undefined): void {
  const { status, durationMs, error } = end
  const meta = {
    status,
    duration_ms: durationMs,
    done: progress.done,
    skipped: progress.skipped,
    failed: progress.failed,
    retries: progress.retries,
  }
  if (status === 'completed') logger.info(`Pipeline completed in ${seconds(durationMs)}`, meta)
  else if (status === 'cancelled') logger.warning(`Pipeline cancelled after ${seconds(durationMs)}`, meta)
  else logger.error(`Pipeline failed: ${error}`, { ...meta, sqlstate: failure?.sqlstate ?? null })
}

/** The active fault injections, as the run's args record them (the torture suite reads them back). */
function faultArgs(): { faults?: string[] } {
  const active = faults.active
  return active.length > 0 ? { faults: active.map((f) => `${f.target}:${f.kind}:${f.n}`) } : {}
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
