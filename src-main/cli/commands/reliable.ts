import { type Command, Option } from 'commander'
import type { RunSummary } from '../../../src-shared/pipeline.js'
import { UsageError } from '../../engine/errors.js'
import { faults } from '../../engine/faults.js'
import { isRunId, runReliable } from '../../engine/reliable/index.js'
import { action, addConnectionOptions, note, withCliDb } from '../context.js'
import { addRetryOptions, parseRetryOptions, RUN_EXIT, withCancelSignals } from '../run-options.js'

/** Defines `assay reliable` on the command the registry created. */
export function defineReliable(command: Command): void {
  addConnectionOptions(
    addRetryOptions(
      command
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
        ),
      'stage',
    ),
  ).action(
    action(async (options: Record<string, unknown>) => {
      const retry = parseRetryOptions(options)
      const resume = options.resume as string | undefined
      if (resume !== undefined && !isRunId(resume)) {
        throw new UsageError(`--resume expects a run id (a UUID, as listed by: assay runs), got "${resume}"`)
      }
      void faults.active // a malformed ASSAY_FAULTS is a usage error, before anything runs
      const format =
        (options.logFormat as 'json' | 'pretty' | undefined) ?? (process.stdout.isTTY ? 'pretty' : 'json')
      return withCancelSignals('cancelling the run', (signal) =>
        withCliDb(options, async (db) => {
          const summary = await runReliable(
            db,
            { resume },
            {
              trigger: 'cli',
              signal,
              retry,
              logLevel: options.verbose ? 'DEBUG' : 'INFO',
              stdout: format,
            },
          )
          printSummary(summary)
          return RUN_EXIT[summary.status]
        }),
      )
    }),
  )
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
