/** A monthly run's running totals, and how its outcome is recorded and summarised. */
import { yyyymm } from '../../../src-shared/months.js'
import type { RunStatus, RunSummary } from '../../../src-shared/pipeline.js'
import { messageOf } from '../errors.js'
import { finishRun, type RunProgress } from '../ops/runs.js'
import { backoffDelay } from '../retry.js'
import type { RunContext } from './context.js'
import { type FailureRecord, recordFailure } from './run-month.js'

const site = { fn: 'runMonthly' }

/** What a run has done so far, kept as the run record wants it and as its summary reports it. */
export class Tally {
  readonly progress: Required<RunProgress> = { planned: [], done: [], skipped: [], failed: [], retries: 0 }
  readonly skipped: RunSummary['skipped'] = []
  readonly failed: RunSummary['failed'] = []
  readonly unrecorded: FailureRecord[] = []

  skip(unit: string, reason: string): void {
    this.progress.skipped.push(unit)
    this.skipped.push({ unit, reason })
  }

  fail(unit: string, error: string, sqlstate: string | null): void {
    this.progress.failed.push(unit)
    this.failed.push({ unit, error, sqlstate })
  }
}

export interface Outcome {
  status: Exclude<RunStatus, 'running'>
  error: string | null
  sqlstate?: string | null
}

/**
 * Records the final status (and any month failure that could not be written while the database was away),
 * trying for as long as the retry budget allows. Bookkeeping skips the circuit breaker: the run's outcome is
 * worth one more knock. If the database never answers, the next run marks this one interrupted.
 */
export async function finish(
  ctx: RunContext,
  tally: Tally,
  outcome: Outcome,
  started: number,
): Promise<RunSummary> {
  let lastError: unknown
  for (let attempt = 1; attempt <= ctx.settings.maxAttempts; attempt++) {
    try {
      while (tally.unrecorded.length > 0) {
        const failure = tally.unrecorded[0]!
        try {
          await recordFailure(ctx, failure)
        } finally {
          ctx.runner.unlockMonth(yyyymm(failure.item))
        }
        tally.unrecorded.shift()
      }
      await ctx.runner.use((s) =>
        finishRun(
          s,
          ctx.runId,
          outcome.status,
          tally.progress,
          outcome.error ? { error: outcome.error, sqlstate: outcome.sqlstate ?? null } : undefined,
        ),
      )
      lastError = undefined
      break
    } catch (error) {
      lastError = error
      if (attempt < ctx.settings.maxAttempts)
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, ctx.settings)))
    }
  }
  let error = outcome.error
  if (lastError) {
    const note = `the run's final status could not be recorded (${messageOf(lastError)}); the next run marks it interrupted`
    ctx.logger.error(note, { error: messageOf(lastError) }, site)
    error = error ? `${error}; ${note}` : note
  }
  const durationMs = Math.round(performance.now() - started)
  const p = tally.progress
  // The summary is at the run's own level: a failed run's summary is an ERROR, a cancelled one a WARNING.
  const level = outcome.status === 'failed' ? 'ERROR' : outcome.status === 'cancelled' ? 'WARNING' : 'INFO'
  ctx.logger.log(
    level,
    `run ${outcome.status} in ${durationMs} ms: ${p.done.length} processed, ${p.skipped.length} skipped, ${p.failed.length} failed, ${p.retries} retries`,
    {
      status: outcome.status,
      duration_ms: durationMs,
      done: p.done,
      skipped: tally.skipped,
      failed: p.failed,
      retries: p.retries,
    },
    site,
  )
  ctx.emit({ type: 'run.finished', status: outcome.status, durationMs, error })
  return {
    runId: ctx.runId,
    pipeline: 'monthly',
    status: outcome.status,
    done: p.done,
    skipped: tally.skipped,
    failed: tally.failed,
    durationMs,
    retries: p.retries,
    error,
  }
}
