import type { RetrySettings, RunEvent, RunEventInput } from '../../../src-shared/pipeline.js'
import { breakerState } from '../circuit.js'
import { type Classification, classifyError, sqlState } from '../db/error-class.js'
import { AssayError, CancelledError, messageOf } from '../errors.js'
import type { Logger } from '../log/logger.js'
import { type RetryInfo, withRetry } from '../retry.js'

/**
 * One unit of work (a month, a stage) under the retry policy, the same way for both pipelines:
 * claim → attempt → classify → wait → settle. The caller's `attempt` claims and does the work; a failure is
 * classified (db/error-class.ts) and a transient one waited on and retried, each retry logged and emitted with
 * one message and one set of metadata keys (docs/reliability.md); the caller settles the outcome, describing a
 * final failure with {@link describeFailure}. Never throws.
 */
export interface UnitSpec<T> {
  /** The unit's name in messages and events: '2011-03', 'country_sales'. */
  unit: string
  /** The metadata key that names the unit, as the seed's queries expect: 'month' or 'stage'. */
  unitKey: 'month' | 'stage'
  db: object
  settings: RetrySettings
  signal?: AbortSignal
  logger: Logger
  emit: (event: RunEventInput) => RunEvent
  /** Counts a retry towards the run's total. */
  countRetry: () => void
  /** One attempt (1-based). */
  attempt: (attempt: number) => Promise<T>
  /** After each failed attempt that will be retried (the reliable pipeline keeps them in its checkpoint). */
  onRetry?: (info: RetryInfo) => void
}

export type UnitResult<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; error: unknown; attempts: number; cancelled: boolean }

const SITE = { fn: 'runUnit' }

export async function runUnit<T>(spec: UnitSpec<T>): Promise<UnitResult<T>> {
  let attempts = 0
  try {
    const value = await withRetry(
      spec.db,
      (attempt) => {
        attempts = attempt
        return spec.attempt(attempt)
      },
      spec.settings,
      { signal: spec.signal, onRetry: (info) => retried(spec, info) },
    )
    return { ok: true, value, attempts }
  } catch (error) {
    const cancelled = error instanceof CancelledError || spec.signal?.aborted === true
    return { ok: false, error, attempts, cancelled }
  }
}

/** The WARNING and the `unit.retrying` event of one retry. */
function retried<T>(spec: UnitSpec<T>, info: RetryInfo): void {
  spec.countRetry()
  spec.onRetry?.(info)
  const message = messageOf(info.error)
  const nextAttemptAt = new Date(Date.now() + info.delayMs).toISOString()
  const sqlstate = sqlState(info.error) ?? null
  spec.logger.warning(
    `attempt ${info.attempt} of ${info.maxAttempts} failed for ${spec.unit}: ${info.classification.kind}: ${message}; retrying in ${info.delayMs} ms`,
    {
      [spec.unitKey]: spec.unit,
      attempt: info.attempt,
      max_attempts: info.maxAttempts,
      delay_ms: info.delayMs,
      next_attempt_at: nextAttemptAt,
      error_code: info.classification.code,
      error_class: info.classification.class,
      sqlstate,
      error: message,
    },
    SITE,
  )
  spec.emit({
    type: 'unit.retrying',
    unit: spec.unit,
    attempt: info.attempt,
    maxAttempts: info.maxAttempts,
    delayMs: info.delayMs,
    nextAttemptAt,
    error: message,
    sqlstate,
  })
}

/** A unit's final failure: its message (logged as ERROR and stored) and metadata, the same for both pipelines. */
export interface FailureDescription {
  message: string
  classification: Pick<Classification, 'transient' | 'code' | 'kind'> & { class: string }
  sqlstate: string | null
  /** Retries ran out. */
  exhausted: boolean
  circuitOpen: boolean
  metadata: Record<string, unknown>
}

export function describeFailure(
  spec: Pick<UnitSpec<unknown>, 'unit' | 'unitKey' | 'settings' | 'db'>,
  error: unknown,
  attempts: number,
): FailureDescription {
  const { unit } = spec
  const raw = messageOf(error)
  // An open circuit is the database refusing connections: transient in nature, though not retried now.
  const circuitOpen = error instanceof AssayError && error.code === 'circuit_open'
  const classification = circuitOpen
    ? { class: 'connection-lost', transient: true, code: null, kind: 'circuit open' }
    : classifyError(error)
  const sqlstate = circuitOpen ? null : (sqlState(error) ?? null)
  const exhausted = classification.transient && !circuitOpen && attempts >= spec.settings.maxAttempts
  let message: string
  if (circuitOpen) message = `giving up on ${unit} after ${attempts} attempt(s): ${raw} (no further retry)`
  else if (classification.transient)
    message = `giving up on ${unit} after ${attempts} attempts (${exhausted ? 'retry budget exhausted' : 'retry stopped'}): ${classification.kind}: ${raw}`
  else
    message = `${unit} failed with a permanent error (not retried): ${raw}${sqlstate ? ` [SQLSTATE ${sqlstate}]` : ''}`
  return {
    message,
    classification,
    sqlstate,
    exhausted,
    circuitOpen,
    metadata: {
      [spec.unitKey]: unit,
      attempts,
      max_attempts: spec.settings.maxAttempts,
      error_code: classification.code,
      error_class: classification.class,
      error_kind: classification.kind,
      sqlstate,
      transient: classification.transient,
      error: raw,
      ...(exhausted ? { retries_exhausted: true } : {}),
      ...(circuitOpen ? { circuit_open: true, circuit_retry_at: breakerState(spec.db).retryAt } : {}),
    },
  }
}
