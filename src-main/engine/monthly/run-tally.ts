/** A monthly run's running totals, and how its outcome is summarised. */
import { yyyymm } from '../../../src-shared/months.js'
import type { RunSummary } from '../../../src-shared/pipeline.js'
import type { RunProgress } from '../ops/runs.js'
import type { Outcome, Run } from '../run/run-lifecycle.js'
import type { RunContext } from './context.js'
import { type FailureRecord, recordFailure } from './run-month.js'

const site = { fn: 'runMonthly' }

/** What a run has done so far, kept as the run record wants it and as its summary reports it. */
export class Tally {
  /** The run's own progress record (Run.progress), which the tally fills in. */
  constructor(readonly progress: Required<RunProgress>) {}
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

/**
 * Closes the run: records the final status (and first any month failure that could not be written while the
 * database was away), logs the summary at the run's own level and returns it.
 */
export async function finish(ctx: RunContext, run: Run, tally: Tally, outcome: Outcome): Promise<RunSummary> {
  const p = tally.progress
  const end = await run.finish(outcome, {
    before: async () => {
      while (tally.unrecorded.length > 0) {
        const failure = tally.unrecorded[0]!
        try {
          await recordFailure(ctx, failure)
        } finally {
          ctx.runner.unlockMonth(yyyymm(failure.item))
        }
        tally.unrecorded.shift()
      }
    },
    // A failed or unrecorded (interrupted) run's summary is an ERROR, a cancelled one a WARNING.
    report: ({ status, durationMs }) =>
      ctx.logger.log(
        status === 'failed' || status === 'interrupted'
          ? 'ERROR'
          : status === 'cancelled'
            ? 'WARNING'
            : 'INFO',
        `run ${status} in ${durationMs} ms: ${p.done.length} processed, ${p.skipped.length} skipped, ${p.failed.length} failed, ${p.retries} retries`,
        {
          status,
          duration_ms: durationMs,
          done: p.done,
          skipped: tally.skipped,
          failed: p.failed,
          retries: p.retries,
        },
        site,
      ),
  })
  return {
    runId: ctx.runId,
    pipeline: 'monthly',
    status: end.status,
    done: p.done,
    skipped: tally.skipped,
    failed: tally.failed,
    durationMs: end.durationMs,
    retries: p.retries,
    error: end.error,
  }
}
