import { classifyError, sqlState } from '../db/error-class.js'
import { AssayError, CancelledError, messageOf } from '../errors.js'
import type { Logger } from '../log/logger.js'
import { type CheckpointRef, endCheckpoint } from '../ops/checkpoints.js'
import { breakerState } from '../retry.js'
import type { StageDefinition } from './stage.js'
import type { StageContext, StageOutcome } from './stage-context.js'

/** An earlier attempt's failure, kept in the checkpoint's metadata. */
export interface AttemptFailure {
  attempt: number
  error_code: string | null
  error: string
}

/** Closes the checkpoint as failed, logs why (an ERROR naming "retry" when retries ran out), emits unit.failed. */
export async function failStage(
  ctx: StageContext,
  stage: StageDefinition,
  ref: CheckpointRef,
  error: unknown,
  state: { attempts: number; failures: AttemptFailure[]; started: number; log: Logger },
): Promise<StageOutcome> {
  const { attempts, failures, log } = state
  const durationMs = Math.round(performance.now() - state.started)
  const cancelled = error instanceof CancelledError || ctx.signal?.aborted === true
  // An open circuit is the database refusing connections: transient in nature, though not retried now.
  const circuitOpen = error instanceof AssayError && error.code === 'circuit_open'
  const classification = circuitOpen
    ? { transient: true, code: null, kind: 'circuit open' }
    : classifyError(error)
  const sqlstate = sqlState({ code: classification.code }) ?? null
  const exhausted = !cancelled && classification.transient && attempts >= ctx.retry.maxAttempts
  const message = cancelled ? 'cancelled' : messageOf(error)
  const metadata = {
    stage: stage.name,
    error: message,
    sqlstate,
    error_code: classification.code,
    error_kind: classification.kind,
    transient: classification.transient,
    attempts,
    ...(cancelled ? { cancelled: true } : {}),
    ...(circuitOpen ? { circuit_open: true, circuit_retry_at: breakerState(ctx.db).retryAt } : {}),
    ...(exhausted ? { retries_exhausted: true } : {}),
    ...(failures.length > 0 ? { retried_errors: failures } : {}),
  }
  if (cancelled) {
    log.warning(
      `Stage ${stage.name} cancelled during attempt ${attempts}; its transaction was rolled back`,
      metadata,
      { fn: 'failStage' },
    )
  } else if (exhausted) {
    log.error(
      `Stage ${stage.name} failed: retry limit reached after ${attempts} attempts (${classification.kind}): ${message}`,
      metadata,
      { fn: 'failStage' },
    )
  } else if (classification.transient) {
    // Stopped before exhausting its attempts: the circuit opened. The message says until when.
    log.error(`Stage ${stage.name} failed after ${attempts} attempt(s): ${message}`, metadata, {
      fn: 'failStage',
    })
  } else {
    log.error(
      `Stage ${stage.name} failed with a permanent ${classification.kind}, not retried: ${message}`,
      metadata,
      { fn: 'failStage' },
    )
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
  ctx.emit({
    type: 'unit.failed',
    unit: stage.name,
    error: message,
    sqlstate,
    transient: classification.transient,
    attempts,
  })
  return {
    status: cancelled ? 'cancelled' : 'failed',
    error: message,
    sqlstate,
    transient: classification.transient,
    attempts,
    durationMs,
  }
}
