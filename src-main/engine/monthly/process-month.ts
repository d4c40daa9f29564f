import { dateIdRange, yyyymm } from '../../../src-shared/months.js'
import type { PlanItem } from '../../../src-shared/pipeline.js'
import type { Queryable } from '../db/types.js'
import { throwIfAborted } from '../errors.js'
import { faults } from '../faults.js'
import type { CheckpointRef } from '../ops/checkpoints.js'
import { CLAIM, type ClaimRow, DELETE_CLAIM, RESTORE_CLAIM } from './claim-sql.js'
import type { RunContext } from './context.js'
import { PIPELINE_NAME, STAGE } from './scope.js'
import { UPSERT_MONTH, type UpsertResult } from './sql.js'
import { isCurrent } from './states.js'

/** A month's row as it was before this run claimed it: what cancellation puts back. null = there was none. */
export type PriorRow = Pick<ClaimRow, 'status' | 'run_id' | 'started_at' | 'host' | 'updated_at'> | null

/** What one month's claim has done so far, across its attempts. */
export interface Claim {
  prior?: PriorRow
  /** The month's row is in_progress for this run. */
  marked: boolean
}

export type AttemptOutcome =
  | {
      kind: 'completed'
      rows: number
      revenue: string
      action: 'insert' | 'update' | 'unchanged'
      durationMs: number
      claimMs: number
      writeMs: number
      trackedRows: number | null
      version: number
    }
  | { kind: 'skipped'; reason: 'up_to_date' | 'no_data' | 'running_elsewhere'; detail: string }

/** Silver had no rows for the month after all: the write is rolled back and the month reported, not completed. */
class NoSilverRows extends Error {}

export function checkpointRef(ctx: RunContext, key: string): CheckpointRef {
  return { pipelineName: PIPELINE_NAME, runId: ctx.runId, stage: STAGE, key }
}

/**
 * Puts the month's row back as it was before this run claimed it (cancellation; no data after all). Only a row
 * still in_progress for this run is touched. A late pg_cancel_backend can hit this statement, hence one repeat.
 */
export async function restoreClaim(ctx: RunContext, key: string, claim: Claim): Promise<void> {
  if (!claim.marked) return
  const prior = claim.prior
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.runner.use((s) =>
        prior
          ? s.query(RESTORE_CLAIM, [
              key,
              ctx.runId,
              prior.status,
              prior.run_id,
              prior.started_at,
              prior.host,
              prior.updated_at,
            ])
          : s.query(DELETE_CLAIM, [key, ctx.runId]),
      )
      claim.marked = false
      return
    } catch (error) {
      if (attempt >= 2) throw error
    }
  }
}

/**
 * One attempt at one month: lock it; claim it in one statement (re-read its row — another runner may have just
 * done it — and mark it in_progress with its checkpoint started); then, in one statement, aggregate, upsert gold,
 * mark it completed with the fingerprint and the silver version of the same snapshot, and close the checkpoint.
 * Either all of that commits or none of it. Throws on failure; the caller retries transient
 * failures and records the final one.
 */
export async function attemptMonth(
  ctx: RunContext,
  item: PlanItem,
  attempt: number,
  claim: Claim,
  onClaimed: () => void,
): Promise<AttemptOutcome> {
  throwIfAborted(ctx.signal)
  const key = item.monthKey
  const id = yyyymm(item)
  const t0 = performance.now()
  const taken = {
    kind: 'skipped',
    reason: 'running_elsewhere',
    detail: "another runner holds this month's lock",
  } as const
  // Where locks are the server's, the claim statement takes the lock itself (one round trip); PGlite's live here.
  const inStatement = ctx.db.capabilities.locksInSql
  if (!inStatement && !(await ctx.runner.lockMonth(id))) return taken
  const current = await ctx.runner.withMonthLock(id, async (s, lock, release) => {
    const { rows } = await s.query<ClaimRow>(CLAIM, [
      key,
      id,
      ctx.runId,
      item.year,
      item.month,
      ctx.force,
      ctx.host,
      PIPELINE_NAME,
      STAGE,
      JSON.stringify({ attempt }),
      inStatement ? lock : null,
      inStatement ? release : [],
    ])
    return rows[0]!
  })
  if (!current.locked) return taken
  if (!claim.marked) {
    claim.prior = current.exists
      ? {
          status: current.status,
          run_id: current.run_id,
          started_at: current.started_at,
          host: current.host,
          updated_at: current.updated_at,
        }
      : null
  }
  if (current.marked === 0) {
    await restoreClaim(ctx, key, claim)
    // Nothing in `cur` refuses it: the row changed after the statement's snapshot (see CLAIM), i.e. another runner
    // has just done the month.
    return (
      decideSkip(ctx, current) ?? {
        kind: 'skipped',
        reason: 'running_elsewhere',
        detail: 'taken by a concurrent run: it finished this month a moment ago',
      }
    )
  }
  claim.marked = true
  onClaimed()
  const t1 = performance.now()

  const [first, last] = dateIdRange(item)
  const unit = `month:${key}`
  // Injected delays are a parameter of the production statement, not another path (monthly/fault-path.test.ts).
  const delayMs = faults.delayMs(unit)
  const write = async (q: Queryable): Promise<UpsertResult> => {
    const { rows } = await q.query<UpsertResult>(UPSERT_MONTH, [
      first,
      last,
      id,
      key,
      item.year,
      item.month,
      ctx.runId,
      attempt,
      ctx.host,
      PIPELINE_NAME,
      STAGE,
      delayMs,
    ])
    const r = rows[0]
    if (!r || r.silver_rows === 0) throw new NoSilverRows()
    return r
  }
  let result: UpsertResult
  try {
    // Where statements can be cancelled, the write is one autocommit statement: atomic on its own, with one
    // snapshot for the aggregation and the silver version it records, and no BEGIN/COMMIT round trips (a cancel
    // interrupts the statement and rolls it back; once it has returned, the month is done). PGlite cannot
    // interrupt a statement, so there the write runs in a transaction that a cancel rolls back after it.
    // An injected error or disconnect (never a delay) is one statement of its own just before the write.
    if (faults.raises(unit)) await ctx.runner.use((s) => faults.maybeFail(s, unit, { delay: false }))
    result = ctx.db.capabilities.canCancelStatements
      ? await ctx.runner.use(write)
      : await ctx.runner.use((s) =>
          s.transaction(async (tx) => {
            throwIfAborted(ctx.signal)
            const r = await write(tx)
            throwIfAborted(ctx.signal)
            return r
          }),
        )
  } catch (error) {
    if (!(error instanceof NoSilverRows)) throw error
    await restoreClaim(ctx, key, claim)
    return {
      kind: 'skipped',
      reason: 'no_data',
      detail: 'no silver rows for this month: nothing to aggregate (not marked completed)',
    }
  }
  const t2 = performance.now()
  return {
    kind: 'completed',
    rows: result.silver_rows,
    revenue: result.fp_revenue,
    action: result.action,
    durationMs: Math.round(t2 - t0),
    claimMs: Math.round(t1 - t0),
    writeMs: Math.round(t2 - t1),
    trackedRows: result.tracked_rows,
    version: result.version,
  }
}

/** With the month's lock held, its row says whether the work is still wanted. */
function decideSkip(ctx: RunContext, row: ClaimRow): AttemptOutcome | undefined {
  if (row.row_count <= 0) {
    return {
      kind: 'skipped',
      reason: 'no_data',
      detail: 'no silver rows for this month: nothing to aggregate (not marked completed)',
    }
  }
  if (row.status !== 'completed' || row.run_id === ctx.runId) return undefined
  const by = `run ${row.run_id ?? '?'} at ${row.processed_at?.slice(0, 19).replace('T', ' ') ?? '?'} UTC`
  if (!ctx.force && isCurrent({ ...row, tracked_rows: row.row_count })) {
    return { kind: 'skipped', reason: 'up_to_date', detail: `already completed by ${by}; silver unchanged` }
  }
  if (ctx.force && row.processed_since_run_start && isCurrent({ ...row, tracked_rows: row.row_count })) {
    return {
      kind: 'skipped',
      reason: 'running_elsewhere',
      detail: `taken by a concurrent run: processed by ${by}, after this run started`,
    }
  }
  return undefined
}
