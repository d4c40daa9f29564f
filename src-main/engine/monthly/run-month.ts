import { yyyymm } from '../../../src-shared/months.js'
import type { PlanItem } from '../../../src-shared/pipeline.js'
import { messageOf } from '../errors.js'
import { endCheckpoint } from '../ops/checkpoints.js'
import { describeFailure, type FailureDescription, runUnit, type UnitSpec } from '../run/run-unit.js'
import { MARK_FAILED } from './claim-sql.js'
import type { RunContext } from './context.js'
import {
  type AttemptOutcome,
  attemptMonth,
  type Claim,
  checkpointRef,
  restoreClaim,
} from './process-month.js'

export type MonthResult =
  | (Extract<AttemptOutcome, { kind: 'completed' }> & { attempts: number })
  | Extract<AttemptOutcome, { kind: 'skipped' }>
  | {
      kind: 'failed'
      error: string
      sqlstate: string | null
      transient: boolean
      attempts: number
      /** The database is unreachable: later months would only burn their retry budgets too. */
      fatal: boolean
      /** The failure could not be written to ops.processed_months (the database was away). */
      unrecorded: boolean
      failure: FailureRecord
    }
  | { kind: 'cancelled' }

const site = { fn: 'processMonth' }

/** A month's final failure, as written to its row and checkpoint. */
export interface FailureRecord {
  item: PlanItem
  /** The message stored in ops.processed_months.error. */
  stored: string
  sqlstate: string | null
  attempts: number
  message: string
  transient: boolean
}

/**
 * Writes a failure to the month's row and closes its checkpoint, in one transaction, holding the month's lock
 * (taken here if this run does not hold it any more; the caller releases it). When another runner holds the
 * lock, the month is in its hands and nothing is written.
 */
export async function recordFailure(ctx: RunContext, f: FailureRecord): Promise<void> {
  const { item } = f
  if (!(await ctx.runner.lockMonth(yyyymm(item)))) return
  await ctx.runner.use((s) =>
    s.transaction(async (tx) => {
      await tx.query(MARK_FAILED, [
        item.monthKey,
        item.year,
        item.month,
        ctx.runId,
        ctx.host,
        f.stored,
        f.sqlstate,
        f.attempts,
      ])
      await endCheckpoint(tx, checkpointRef(ctx, item.monthKey), 'failed', null, {
        error: f.message,
        sqlstate: f.sqlstate,
        transient: f.transient,
        attempts: f.attempts,
      })
    }),
  )
}

const ACTION_TEXT = {
  insert: 'inserted',
  update: 'updated',
  unchanged: 'unchanged (same values; updated_at kept)',
} as const

/** The server is away (connection lost or refused, or the circuit is open), not just busy. */
function isOutage(failure: FailureDescription): boolean {
  return failure.circuitOpen || failure.classification.class === 'connection-lost'
}

/**
 * Processes one month with the shared {@link runUnit} (claim, attempt, classify, wait and retry transient
 * failures), logging the result and any final failure, emitting the month's events, and recording a failure on
 * the month's row and checkpoint. Never throws: the outcome says what happened.
 */
export async function processMonth(ctx: RunContext, item: PlanItem): Promise<MonthResult> {
  const key = item.monthKey
  const claim: Claim = { marked: false }
  const spec = {
    unit: key,
    unitKey: 'month',
    db: ctx.db,
    settings: ctx.settings,
    signal: ctx.signal,
    logger: ctx.logger,
    emit: ctx.emit,
    countRetry: ctx.countRetry,
    attempt: (attempt: number) =>
      attemptMonth(ctx, item, attempt, claim, () => ctx.emit({ type: 'unit.started', unit: key, attempt })),
  } satisfies UnitSpec<AttemptOutcome>
  try {
    const result = await runUnit(spec)
    if (!result.ok) {
      if (result.cancelled) {
        await settleCancelled(ctx, key, claim)
        return { kind: 'cancelled' }
      }
      return await settleFailed(ctx, item, describeFailure(spec, result.error, result.attempts))
    }
    const { value: outcome, attempts } = result
    if (outcome.kind === 'skipped') {
      ctx.logger.info(
        `${key} skipped (${outcome.reason}): ${outcome.detail}`,
        { month: key, reason: outcome.reason },
        site,
      )
      ctx.emit({ type: 'unit.skipped', unit: key, reason: outcome.reason })
      return outcome
    }
    ctx.logger.info(
      `${key} processed: ${outcome.rows} silver rows, revenue ${outcome.revenue}, gold row ${ACTION_TEXT[outcome.action]}`,
      {
        month: key,
        rows: outcome.rows,
        revenue: outcome.revenue,
        duration_ms: outcome.durationMs,
        attempts,
        action: outcome.action,
      },
      site,
    )
    ctx.logger.debug(
      `${key} timings: claim ${outcome.claimMs} ms, write transaction ${outcome.writeMs} ms`,
      { month: key, claim_ms: outcome.claimMs, write_ms: outcome.writeMs, silver_version: outcome.version },
      site,
    )
    if (outcome.trackedRows !== null && outcome.trackedRows !== outcome.rows) {
      ctx.logger.warning(
        `${key}: ops.silver_months tracks ${outcome.trackedRows} rows but silver has ${outcome.rows}; the change-tracking triggers may have been bypassed`,
        { month: key, tracked_rows: outcome.trackedRows, rows: outcome.rows },
        site,
      )
    }
    ctx.emit({
      type: 'unit.completed',
      unit: key,
      durationMs: outcome.durationMs,
      rows: outcome.rows,
      attempts,
    })
    return { ...outcome, attempts }
  } finally {
    ctx.runner.unlockMonth(yyyymm(item))
  }
}

/** Rolls the month's row back to what it was and closes its checkpoint as cancelled. */
async function settleCancelled(ctx: RunContext, key: string, claim: Claim): Promise<void> {
  const wasMarked = claim.marked
  try {
    await restoreClaim(ctx, key, claim)
    if (wasMarked) {
      await ctx.runner.use((s) =>
        endCheckpoint(s, checkpointRef(ctx, key), 'failed', 'cancelled', {
          cancelled: true,
          error: 'cancelled',
        }),
      )
    }
    ctx.logger.info(`${key} rolled back: the run was cancelled`, { month: key }, site)
  } catch (error) {
    ctx.logger.warning(
      `${key}: the run was cancelled but the month's row could not be restored (${messageOf(error)}); the next run sees it as interrupted`,
      { month: key, error: messageOf(error) },
      site,
    )
  }
}

/** Logs the final failure and writes it to the month's row and checkpoint (on a live or fresh session). */
async function settleFailed(
  ctx: RunContext,
  item: PlanItem,
  described: FailureDescription,
): Promise<MonthResult> {
  const key = item.monthKey
  const { message: stored, sqlstate, metadata } = described
  const transient = described.classification.transient
  const attempts = Number(metadata.attempts)
  const message = String(metadata.error)
  ctx.logger.error(stored, metadata, site)
  const failure: FailureRecord = { item, stored, sqlstate, attempts, message, transient }
  let unrecorded = false
  try {
    await recordFailure(ctx, failure)
  } catch (recordError) {
    unrecorded = true
    ctx.logger.warning(
      `${key}: could not record the failure yet (${messageOf(recordError)}); trying again when the run finishes`,
      { month: key, error: messageOf(recordError) },
      site,
    )
  }
  ctx.emit({ type: 'unit.failed', unit: key, error: stored, sqlstate, transient, attempts })
  return {
    kind: 'failed',
    failure,
    error: stored,
    sqlstate,
    transient,
    attempts,
    fatal: isOutage(described),
    unrecorded,
  }
}
