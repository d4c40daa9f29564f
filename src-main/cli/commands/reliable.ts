import { type Command, Option } from 'commander'
import { DEFAULT_RETRY, RetrySettings, type RunSummary } from '../../../src-shared/pipeline.js'
import { loadEnv } from '../../engine/config.js'
import { UsageError } from '../../engine/errors.js'
import { faults } from '../../engine/faults.js'
import { isRunId, runReliable } from '../../engine/reliable/index.js'
import { action, addConnectionOptions, note, withCliDb } from '../context.js'

type Env = Record<string, string | undefined>

/** Exit codes: 0 completed, 1 a stage failed, 130 cancelled (SIGINT/SIGTERM); usage errors exit 2. */
const EXIT: Record<RunSummary['status'], number> = {
  completed: 0,
  failed: 1,
  cancelled: 130,
  interrupted: 1,
  running: 1,
}

export function registerReliable(program: Command): void {
  addConnectionOptions(
    program
      .command('reliable')
      .description(
        'update gold.fact_product_performance and gold.fact_country_sales with checkpoints, retries and structured logs. ' +
          'Exit 0 = completed, 1 = a stage failed (resume it with --resume RUN_ID), 130 = cancelled',
      )
      .option(
        '--resume <runId>',
        're-run a failed, interrupted or cancelled run, skipping the stages it completed',
      )
      .option('--verbose', 'show DEBUG logs (and store them in ops.pipeline_logs)')
      .addOption(
        new Option(
          '--log-format <format>',
          'stdout log format (default: pretty on a terminal, json otherwise)',
        ).choices(['json', 'pretty']),
      )
      .option(
        '--retry-attempts <n>',
        `attempts per stage before giving up (default ASSAY_RETRY_ATTEMPTS or ${DEFAULT_RETRY.maxAttempts})`,
      )
      .option(
        '--retry-base-ms <n>',
        `first retry delay; doubles each retry, plus up to 25% jitter (default ASSAY_RETRY_BASE_MS or ${DEFAULT_RETRY.baseDelayMs})`,
      )
      .option(
        '--retry-max-ms <n>',
        `cap on any retry delay (default ASSAY_RETRY_MAX_MS or ${DEFAULT_RETRY.maxDelayMs})`,
      ),
  ).action(
    action(async (options: Record<string, unknown>) => {
      const retry = retrySettings(options, loadEnv())
      const resume = options.resume as string | undefined
      if (resume !== undefined && !isRunId(resume)) {
        throw new UsageError(`--resume expects a run id (a UUID, as listed by: assay runs), got "${resume}"`)
      }
      void faults.active // a malformed ASSAY_FAULTS is a usage error, before anything runs
      const format =
        (options.logFormat as 'json' | 'pretty' | undefined) ?? (process.stdout.isTTY ? 'pretty' : 'json')
      const controller = new AbortController()
      const onSignal = (signal: NodeJS.Signals) => {
        if (controller.signal.aborted) process.exit(130)
        note(`assay: ${signal} received; cancelling the run (press Ctrl-C again to quit at once)`)
        controller.abort(signal)
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
      try {
        return await withCliDb(options, async (db) => {
          const summary = await runReliable(
            db,
            { resume },
            {
              trigger: 'cli',
              signal: controller.signal,
              retry,
              logLevel: options.verbose ? 'DEBUG' : 'INFO',
              stdout: format,
            },
          )
          printSummary(summary)
          return EXIT[summary.status]
        })
      } finally {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
      }
    }),
  )
}

/** Retry settings from flags, then ASSAY_RETRY_* variables, then the seed's defaults; validated. */
export function retrySettings(options: Record<string, unknown>, env: Env): RetrySettings {
  const pick = (flag: string, option: unknown, variable: string, fallback: number): number => {
    const raw = (option as string | undefined) ?? env[variable]
    if (raw === undefined || raw === '') return fallback
    const source = option !== undefined ? flag : variable
    if (!/^\d+$/.test(raw.trim())) throw new UsageError(`${source} must be a whole number (got "${raw}")`)
    return Number(raw.trim())
  }
  const settings = {
    maxAttempts: pick(
      '--retry-attempts',
      options.retryAttempts,
      'ASSAY_RETRY_ATTEMPTS',
      DEFAULT_RETRY.maxAttempts,
    ),
    baseDelayMs: pick(
      '--retry-base-ms',
      options.retryBaseMs,
      'ASSAY_RETRY_BASE_MS',
      DEFAULT_RETRY.baseDelayMs,
    ),
    maxDelayMs: pick('--retry-max-ms', options.retryMaxMs, 'ASSAY_RETRY_MAX_MS', DEFAULT_RETRY.maxDelayMs),
  }
  const parsed = RetrySettings.safeParse(settings)
  if (!parsed.success) {
    const names: Record<string, string> = {
      maxAttempts: '--retry-attempts',
      baseDelayMs: '--retry-base-ms',
      maxDelayMs: '--retry-max-ms',
    }
    const issue = parsed.error.issues[0]
    const field = String(issue?.path[0] ?? '')
    throw new UsageError(`${names[field] ?? field}: ${issue?.message ?? 'invalid value'}`)
  }
  return parsed.data
}

/** One closing line on stderr (stdout carries the log lines), with the resume command when there is something to resume. */
function printSummary(summary: RunSummary): void {
  const seconds = `${(summary.durationMs / 1000).toFixed(1)} s`
  const parts = [
    summary.done.length > 0 ? `done: ${summary.done.join(', ')}` : '',
    summary.skipped.length > 0 ? `skipped: ${summary.skipped.map((s) => s.unit).join(', ')}` : '',
    summary.retries > 0 ? `${summary.retries} retr${summary.retries === 1 ? 'y' : 'ies'}` : '',
  ].filter(Boolean)
  const detail = parts.length > 0 ? ` (${parts.join('; ')})` : ''
  if (summary.status === 'completed') {
    note(`assay: run ${summary.runId} completed in ${seconds}${detail}`)
    return
  }
  const failure = summary.failed[0]
  const state = failure?.sqlstate ? ` [SQLSTATE ${failure.sqlstate}]` : ''
  note(
    `assay: run ${summary.runId} ${summary.status} after ${seconds}: ${summary.error ?? 'unknown error'}${state}${detail}`,
  )
  note(`assay: resume with: assay reliable --resume ${summary.runId}`)
}
