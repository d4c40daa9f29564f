import { isConnectionLoss } from '../db/error-class.js'
import type { Queryable } from '../db/types.js'
import { messageOf, throwIfAborted } from '../errors.js'
import { faults } from '../faults.js'
import type { Logger } from '../log/logger.js'
import { type CheckpointRef, endCheckpoint, startCheckpoint } from '../ops/checkpoints.js'
import { LOCK, lockId } from '../ops/locks.js'
import { runUnit } from '../run/run-unit.js'
import { rowsWritten, type StageCounts, type StageDefinition } from './stage.js'
import type { StageContext, StageOutcome } from './stage-context.js'
import { type AttemptFailure, failStage } from './stage-failure.js'

export type { StageContext, StageOutcome } from './stage-context.js'

const FN = { fn: 'runStage' }

/**
 * Runs one stage with the shared runUnit (as the monthly pipeline runs a month). The start checkpoint is committed first; each attempt is one
 * transaction holding the stage's data change and its `completed` checkpoint (the seed's "update checkpoints
 * atomically with data"). Transient failures are retried with backoff (a WARNING each); a permanent failure,
 * exhaustion or an open circuit closes the checkpoint as `failed` with the error, SQLSTATE and attempts.
 * Never throws: the outcome says what happened.
 */
export async function runStage(ctx: StageContext, stage: StageDefinition): Promise<StageOutcome> {
  const log = ctx.logger.child({ module: 'reliable/run-stage' })
  const ref: CheckpointRef = {
    pipelineName: ctx.pipelineName,
    runId: ctx.runId,
    stage: stage.name,
    key: stage.table,
  }
  const started = performance.now()
  const failures: AttemptFailure[] = []
  let checkpointStarted = false
  log.info(
    `Stage ${stage.name} started`,
    { stage: stage.name, gold_table: stage.table, max_attempts: ctx.settings.maxAttempts },
    FN,
  )
  const result = await runUnit({
    unit: stage.name,
    unitKey: 'stage',
    db: ctx.db,
    settings: ctx.settings,
    signal: ctx.signal,
    logger: log,
    emit: ctx.emit,
    countRetry: ctx.countRetry,
    onRetry: (info) =>
      failures.push({
        attempt: info.attempt,
        error_code: info.classification.code,
        error: messageOf(info.error),
      }),
    attempt: async (attempt) => {
      if (!checkpointStarted) {
        await startCheckpoint(ctx.db, ref, {
          gold_table: stage.table,
          max_attempts: ctx.settings.maxAttempts,
        })
        checkpointStarted = true
      }
      ctx.emit({ type: 'unit.started', unit: stage.name, attempt })
      if (attempt > 1)
        log.info(`Stage ${stage.name} attempt ${attempt} of ${ctx.settings.maxAttempts}`, {}, FN)
      return attemptStage(ctx, stage, ref, attempt, failures, log)
    },
  })
  if (!result.ok) return failStage(ctx, stage, ref, result, { failures, started, log })
  const { value: counts, attempts } = result
  const durationMs = Math.round(performance.now() - started)
  const rows = rowsWritten(counts)
  log.info(
    `Stage ${stage.name} completed: ${rows} rows written`,
    {
      stage: stage.name,
      rows_written: rows,
      rows_inserted: counts.inserted,
      rows_updated: counts.updated,
      rows_deleted: counts.deleted,
      source_rows: counts.sourceRows,
      attempts,
      duration_ms: durationMs,
    },
    FN,
  )
  ctx.emit({ type: 'unit.completed', unit: stage.name, durationMs, rows, attempts })
  return { status: 'completed', counts, rows, attempts, durationMs }
}

/** One attempt: one transaction on its own session, so a cancel can target exactly its backend. */
async function attemptStage(
  ctx: StageContext,
  stage: StageDefinition,
  ref: CheckpointRef,
  attempt: number,
  failures: AttemptFailure[],
  log: Logger,
): Promise<StageCounts> {
  throwIfAborted(ctx.signal)
  const session = await ctx.db.session()
  let cancelling: Promise<void> | undefined
  const onAbort = () => {
    cancelling = ctx.db.cancel(session.pid).catch(() => undefined)
  }
  ctx.signal?.addEventListener('abort', onAbort, { once: true })
  let broken = false
  try {
    return await session.transaction(async (tx) => {
      // PGlite cannot interrupt a statement: the run stops at the next statement boundary instead.
      const checkAborted = () => throwIfAborted(ctx.signal)
      // Two runs of the same stage queue here instead of fighting over the same gold rows.
      await tx.query(
        { name: 'reliable/stage-lock', text: 'SELECT pg_advisory_xact_lock($1::int, $2::int)' },
        [LOCK.stage, lockId(`reliable:${stage.name}`)],
      )
      await faults.maybeFail(tx, `stage:${stage.name}`)
      checkAborted()
      const counts = await writeGold(tx, stage, log)
      checkAborted()
      await endCheckpoint(tx, ref, 'completed', String(rowsWritten(counts)), {
        rows_written: rowsWritten(counts),
        rows_inserted: counts.inserted,
        rows_updated: counts.updated,
        rows_deleted: counts.deleted,
        source_rows: counts.sourceRows,
        attempts: attempt,
        ...(failures.length > 0 ? { retried_errors: failures } : {}),
      })
      checkAborted()
      return counts
    })
  } catch (error) {
    broken = isConnectionLoss(error)
    throw error
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort)
    // A cancel still on its way must land before the connection can serve anyone else.
    await cancelling
    await session.release(broken)
  }
}

/** The stage's two set-based statements. */
async function writeGold(tx: Queryable, stage: StageDefinition, log: Logger): Promise<StageCounts> {
  let t = performance.now()
  const { rows } = await tx.query<{ source_rows: number; inserted: number; updated: number }>(stage.upsert)
  const upsert = rows[0] ?? { source_rows: 0, inserted: 0, updated: 0 }
  log.debug(
    `Upserted ${stage.table}`,
    {
      statement: stage.upsert.name,
      source_rows: upsert.source_rows,
      inserted: upsert.inserted,
      updated: upsert.updated,
      ms: Math.round(performance.now() - t),
    },
    { fn: 'writeGold' },
  )
  t = performance.now()
  const pruned = await tx.query(stage.prune)
  log.debug(
    `Pruned ${stage.table}`,
    { statement: stage.prune.name, deleted: pruned.rowCount, ms: Math.round(performance.now() - t) },
    { fn: 'writeGold' },
  )
  return {
    sourceRows: upsert.source_rows,
    inserted: upsert.inserted,
    updated: upsert.updated,
    deleted: pruned.rowCount,
  }
}
