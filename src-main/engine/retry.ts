import { DelegateBackoff, handleWhen, retry, TaskCancelledError } from 'cockatiel'
import { describeIssues } from '../../src-shared/issues.js'
import { DEFAULT_RETRY, RetrySettings } from '../../src-shared/pipeline.js'
import { circuitFor } from './circuit.js'
import { type Classification, classifyError, isTransient } from './db/error-class.js'
import { CancelledError, UsageError } from './errors.js'

/** Validates retry settings from any caller; both pipelines start with it. */
export function parseRetrySettings(input: unknown): RetrySettings {
  const parsed = RetrySettings.safeParse(input ?? DEFAULT_RETRY)
  if (!parsed.success) throw new UsageError(`retry settings: ${describeIssues(parsed.error)}`)
  return parsed.data
}

/**
 * The seed's schedule: attempt n waits base × 2^(n-1) (1 s, 2 s, 4 s), capped, plus up to 25% jitter so
 * runners that failed together do not retry in lockstep.
 */
export function backoffDelay(attempt: number, settings: RetrySettings, random = Math.random): number {
  const exponential = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1))
  // The cap bounds the delay actually waited, jitter included.
  return Math.min(settings.maxDelayMs, Math.round(exponential + random() * exponential * 0.25))
}

export interface RetryInfo {
  /** The attempt that failed (1-based). */
  attempt: number
  maxAttempts: number
  delayMs: number
  error: unknown
  classification: Classification
}

export interface RetryHooks {
  signal?: AbortSignal
  onRetry?: (info: RetryInfo) => void
}

export { type BreakerState, breakerState, resetBreaker } from './circuit.js'

/**
 * Runs `fn` under the retry policy (transient errors only, exponential backoff with jitter) wrapped around the
 * database's circuit breaker. Exhaustion rethrows the last error; an open circuit throws an AssayError saying
 * when the next try will be; an abort throws CancelledError.
 */
export async function withRetry<T>(
  db: object,
  fn: (attempt: number) => Promise<T>,
  settings: RetrySettings = DEFAULT_RETRY,
  hooks: RetryHooks = {},
): Promise<T> {
  let lastDelay = 0
  const backoff = new DelegateBackoff<{ attempt: number }>((context) => {
    lastDelay = backoffDelay(context.attempt, settings)
    return lastDelay
  })
  const policy = retry(handleWhen(isTransient), { maxAttempts: settings.maxAttempts - 1, backoff })
  const circuit = circuitFor(db)
  policy.onRetry((event) => {
    if (!('error' in event)) return
    hooks.onRetry?.({
      attempt: event.attempt,
      maxAttempts: settings.maxAttempts,
      delayMs: event.delay || lastDelay,
      error: event.error,
      classification: classifyError(event.error),
    })
  })
  try {
    let inFlight = false
    const execution = policy.execute(async ({ attempt, signal }) => {
      if (signal.aborted) throw new CancelledError()
      circuit.enter()
      inFlight = true
      try {
        const result = await fn(attempt + 1)
        circuit.settle()
        return result
      } catch (error) {
        circuit.settle(error)
        throw error
      } finally {
        inFlight = false
      }
    }, hooks.signal)
    return await untilAborted(execution, hooks.signal, () => inFlight)
  } catch (error) {
    if (error instanceof TaskCancelledError || hooks.signal?.aborted) throw new CancelledError()
    throw error
  }
}

/**
 * cockatiel's backoff wait ignores the signal, so an abort during a long delay would only be noticed when the
 * delay ends. Settle as soon as the signal fires while waiting; an attempt in flight is left to finish (its
 * caller cancels its SQL), so nobody reports "cancelled" while a transaction may still commit.
 */
function untilAborted<T>(
  execution: Promise<T>,
  signal: AbortSignal | undefined,
  attemptInFlight: () => boolean,
): Promise<T> {
  if (!signal) return execution
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      if (attemptInFlight()) return
      execution.catch(() => undefined)
      reject(new CancelledError())
    }
    signal.addEventListener('abort', onAbort, { once: true })
    execution.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
