import { randomUUID } from 'node:crypto'
import type { RunStatus, RunSummary } from '../../../src-shared/pipeline.js'
import type { RunHooks } from '../api.js'
import { sqlState } from '../db/error-class.js'
import type { Db, Session } from '../db/types.js'
import { messageOf, throwIfAborted } from '../errors.js'
import { faults } from '../faults.js'
import { createRunLogger } from '../log/index.js'
import type { Logger } from '../log/logger.js'
import {
  describeReaped,
  finishRun,
  type RunProgress,
  reapInterrupted,
  recordProgress,
  runEmitter,
  startRun,
} from '../ops/runs.js'
import { preflight } from '../preflight.js'
import { parseRetrySettings, withRetry } from '../retry.js'
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
 * Resume refusals and an uninitialised database throw; everything after the run is recorded is reported
 * in the summary instead.
 */
export async function runReliable(db: Db, input: { resume?: string }, hooks: RunHooks): Promise<RunSummary> {
  throwIfAborted(hooks.signal)
  const activeFaults = faults.active
  const runId = randomUUID()
  const retry = parseRetrySettings(hooks.retry)
  const planned = STAGES.map((stage) => stage.name)
  const progress: RunProgress = { planned, done: [], skipped: [], failed: [], retries: 0 }
  // Everything before the run is recorded is retried like a stage: a connection lost at start-up must not
  // fail the run (refusals — not initialised, a bad --resume — are permanent and thrown at once).
  const { resume, runSession, reaped } = await withRetry(
    db,
    async () => {
      await preflight(db, 'reliable')
      // Runs whose runner died are marked interrupted, as every monthly run does (and a --resume needs it).
      const reaped = await reapInterrupted(db)
      const resume = input.resume ? await planResume(db, input.resume, PIPELINE_NAME) : undefined
      const runSession = await db.session()
      try {
        await startRun(runSession, {
          runId,
          pipeline: 'reliable',
          pipelineName: PIPELINE_NAME,
          trigger: hooks.trigger,
          args: {
            resume: input.resume ?? null,
            retry,
            log_level: hooks.logLevel ?? 'INFO',
            ...(activeFaults.length > 0
              ? { faults: activeFaults.map((f) => `${f.target}:${f.kind}:${f.n}`) }
              : {}),
          },
          planned,
          resumedFrom: resume?.from.runId,
        })
      } catch (error) {
        await runSession.release(true)
        throw error
      }
      return { resume, runSession, reaped }
    },
    retry,
    { signal: hooks.signal },
  )

  const { logger } = createRunLogger(db, hooks, {
    pipelineName: PIPELINE_NAME,
    runId,
    logger: 'assay.reliable',
    module: 'reliable/pipeline',
  })
  const emit = runEmitter(runId, hooks.onEvent)
  const started = performance.now()
  const skipped: RunSummary['skipped'] = []
  let status: Exclude<RunStatus, 'running' | 'interrupted'> = 'completed'
  let failure: Failure | undefined

  emit({ type: 'run.started', pipeline: 'reliable', planned, dryRun: false })
  logger.info('Database connection established', connectionMetadata(db), { fn: 'runReliable' })
  if (reaped.length > 0) logger.info(describeReaped(reaped), { reaped }, { fn: 'runReliable' })
  logger.info(
    resume ? `Pipeline started (resuming run ${resume.from.runId})` : 'Pipeline started',
    { stages: planned, trigger: hooks.trigger, resumed_from: resume?.from.runId ?? null, retry },
    { fn: 'runReliable' },
  )
  const ctx: StageContext = {
    db,
    runId,
    pipelineName: PIPELINE_NAME,
    logger,
    emit,
    signal: hooks.signal,
    retry,
    onRetry: () => {
      progress.retries++
    },
  }
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
      await recordProgress(db, runId, progress).catch((error) =>
        logger.warning(`Could not record run progress: ${messageOf(error)}`, {}, { fn: 'runReliable' }),
      )
    }
  } catch (error) {
    // Only a defect gets here: stages report their own failures.
    status = hooks.signal?.aborted ? 'cancelled' : 'failed'
    failure = { unit: 'pipeline', error: messageOf(error), sqlstate: sqlState(error) ?? null }
  }

  const durationMs = Math.round(performance.now() - started)
  const runError = failure
    ? status === 'cancelled'
      ? `cancelled during stage ${failure.unit}`
      : `stage ${failure.unit} failed: ${failure.error}`
    : status === 'cancelled'
      ? 'cancelled'
      : null
  const finalMeta = {
    status,
    duration_ms: durationMs,
    done: progress.done,
    skipped: progress.skipped,
    failed: progress.failed,
    retries: progress.retries,
  }
  if (status === 'completed') logger.info(`Pipeline completed in ${seconds(durationMs)}`, finalMeta)
  else if (status === 'cancelled')
    logger.warning(`Pipeline cancelled after ${seconds(durationMs)}`, finalMeta)
  else logger.error(`Pipeline failed: ${runError}`, { ...finalMeta, sqlstate: failure?.sqlstate ?? null })

  await finish(db, runSession, runId, status, progress, runError, failure, logger)
  emit({ type: 'run.finished', status, durationMs, error: runError })
  await logger.close()
  return {
    runId,
    pipeline: 'reliable',
    status,
    done: progress.done,
    skipped,
    failed: failure ? [failure] : [],
    durationMs,
    retries: progress.retries,
    error: runError,
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

/**
 * Records the final status on the run's own session (which releases the run's lock). If that session died
 * with the database, a fresh one records it; if even that fails, the run stays `running` without a live lock
 * and is later reaped as `interrupted`, which is the truth.
 */
async function finish(
  db: Db,
  runSession: Session,
  runId: string,
  status: Exclude<RunStatus, 'running'>,
  progress: RunProgress,
  runError: string | null,
  failure: Failure | undefined,
  logger: Logger,
): Promise<void> {
  const detail = runError ? { error: runError, sqlstate: failure?.sqlstate ?? null } : undefined
  try {
    await finishRun(runSession, runId, status, progress, detail)
    await runSession.release()
    return
  } catch {
    await runSession.release(true)
  }
  try {
    const session = await db.session()
    try {
      await finishRun(session, runId, status, progress, detail)
    } finally {
      await session.release()
    }
  } catch (error) {
    logger.error(`Could not record the end of run ${runId}: ${messageOf(error)}`, { status })
  }
}

/** Where the data is, for the first log line: host and port, never a password. */
function connectionMetadata(db: Db): Record<string, unknown> {
  return db.server.logFields
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
