import { classifyError } from '../db/error-class.js'
import { messageOf } from '../errors.js'
import type { Logger } from '../log/logger.js'
import { type CheckpointRef, endCheckpoint } from '../ops/checkpoints.js'
import { describeFailure } from '../run/run-unit.js'
import type { StageDefinition } from './stage.js'
import type { StageContext, StageOutcome } from './stage-context.js'

/** An earlier attempt's failure, kept in the checkpoint's metadata. */
export interface AttemptFailure {
  attempt: number
  error_code: string | null
  error: string
}

/**
 * Closes the checkpoint as failed, logs why (the shared failure message of run/run-unit.ts, as ERROR; a
 * cancellation as WARNING) and emits unit.failed.
 */
export async function failStage(
  ctx: StageContext,
  stage: StageDefinition,
  ref: CheckpointRef,
  result: { error: unknown; attempts: number; cancelled: boolean },
  state: { failures: AttemptFailure[]; started: number; log: Logger },
): Promise<StageOutcome> {
  const { failures, log } = state
  const { attempts, cancelled } = result
  const durationMs = Math.round(performance.now() - state.started)
  const described = describeFailure(
    { unit: stage.name, unitKey: 'stage', settings: ctx.settings, db: ctx.db },
    result.error,
    attempts,
  )
  const message = cancelled ? 'cancelled' : messageOf(result.error)
  const { sqlstate } = described
  const { transient } = described.classification
  const metadata = {
    ...described.metadata,
    error: message,
    ...(cancelled ? { cancelled: true, retries_exhausted: undefined } : {}),
    ...(failures.length > 0 ? { retried_errors: failures } : {}),
  }
  if (cancelled) {
    log.warning(
      `Stage ${stage.name} cancelled during attempt ${attempts}; its transaction was rolled back`,
      metadata,
      { fn: 'failStage' },
    )
  } else {
    log.error(described.message, metadata, { fn: 'failStage' })
  }
  try {
    await endCheckpoint(ctx.db, ref, 'failed', null, metadata)
  } catch (checkpointError) {
    log.error(
      `Could not record the failed checkpoint of stage ${stage.name}: ${messageOf(checkpointError)}`,
      { stage: stage.name, error_code: classifyError(checkpointError).code },
      { fn: 'failStage' },
    )
  }
  ctx.emit({ type: 'unit.failed', unit: stage.name, error: message, sqlstate, transient, attempts })
  return {
    status: cancelled ? 'cancelled' : 'failed',
    error: message,
    sqlstate,
    transient,
    attempts,
    durationMs,
  }
}
