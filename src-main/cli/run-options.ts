import type { Command } from 'commander'
import { DEFAULT_RETRY, type RetrySettings, type RunSummary } from '../../src-shared/pipeline.js'
import { loadEnv } from '../engine/config.js'
import { UsageError } from '../engine/errors.js'
import { note } from './context.js'

type Env = Record<string, string | undefined>

/** Exit code of a finished run: 0 completed, 1 failed, 130 cancelled (as after SIGINT). */
export const RUN_EXIT: Record<RunSummary['status'], number> = {
  completed: 0,
  failed: 1,
  cancelled: 130,
  interrupted: 1,
  running: 1,
}

/** The retry flags both pipelines take; `unit` is what one attempt covers ("month", "stage"). */
export function addRetryOptions(command: Command, unit: string): Command {
  return command
    .option(
      '--retry-attempts <n>',
      `attempts per ${unit} for transient failures (default ${DEFAULT_RETRY.maxAttempts}, env ASSAY_RETRY_ATTEMPTS)`,
    )
    .option(
      '--retry-base-ms <ms>',
      `first retry delay; doubles each attempt, plus up to 25% jitter (default ${DEFAULT_RETRY.baseDelayMs}, env ASSAY_RETRY_BASE_MS)`,
    )
    .option(
      '--retry-max-ms <ms>',
      `longest retry delay (default ${DEFAULT_RETRY.maxDelayMs}, env ASSAY_RETRY_MAX_MS)`,
    )
}

const LIMITS = {
  maxAttempts: {
    flag: '--retry-attempts',
    option: 'retryAttempts',
    env: 'ASSAY_RETRY_ATTEMPTS',
    min: 1,
    max: 20,
  },
  baseDelayMs: {
    flag: '--retry-base-ms',
    option: 'retryBaseMs',
    env: 'ASSAY_RETRY_BASE_MS',
    min: 0,
    max: 600_000,
  },
  maxDelayMs: {
    flag: '--retry-max-ms',
    option: 'retryMaxMs',
    env: 'ASSAY_RETRY_MAX_MS',
    min: 0,
    max: 3_600_000,
  },
} as const

/** Retry settings from flags, then ASSAY_RETRY_* (environment or .env), then the seed's defaults. */
export function parseRetryOptions(options: Record<string, unknown>, env: Env = loadEnv()): RetrySettings {
  const out = { ...DEFAULT_RETRY }
  const from: Partial<Record<keyof typeof LIMITS, string>> = {}
  for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const limit = LIMITS[key]
    const fromFlag = options[limit.option] as string | undefined
    const raw = fromFlag ?? env[limit.env]
    if (raw === undefined || raw === '') continue
    const source = fromFlag !== undefined ? limit.flag : limit.env
    const value = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN
    if (!(value >= limit.min && value <= limit.max)) {
      throw new UsageError(
        `${source} must be a whole number from ${limit.min} to ${limit.max.toLocaleString('en-US')} (got "${raw}")`,
      )
    }
    out[key] = value
    from[key] = source
  }
  // The console refuses the same settings (RetrySettingsInput): a cap below the first delay would be ignored.
  if (out.maxDelayMs < out.baseDelayMs) {
    const base = from.baseDelayMs ?? 'the default base delay'
    const max = from.maxDelayMs ?? 'the default cap'
    throw new UsageError(
      `${base} (${out.baseDelayMs}) is above ${max} (${out.maxDelayMs}); the cap must be at least the base delay`,
    )
  }
  return out
}

/**
 * Runs `fn` with an AbortSignal wired to SIGINT/SIGTERM: the first signal asks the run to roll back what is in
 * flight and stop (`what` says what that means); a second exits at once with 130.
 */
export async function withCancelSignals<T>(
  what: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      note(`assay: ${signal} again — exiting now`)
      process.exit(130)
    }
    note(`assay: ${signal} received; ${what} (press Ctrl-C again to quit at once)`)
    controller.abort(signal)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return await fn(controller.signal)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
