import type { ResetReport, ResetScope, RunRecord } from '../../../src-shared/pipeline.js'
import type { Db } from '../db/types.js'
import { AssayError } from '../errors.js'
import { LOCK } from '../ops/locks.js'
import { activeRuns } from '../ops/runs.js'
import { preflight } from '../preflight.js'
import { describeScope, parseResetScope, scopeBounds } from './scope.js'

function describeRun(run: RunRecord): string {
  const where = `${run.host ?? 'an unknown host'}${run.pid ? `, pid ${run.pid}` : ''}`
  return `${run.pipelineName} run ${run.runId} (${run.trigger} on ${where}, started ${run.startedAt.slice(0, 19).replace('T', ' ')} UTC)`
}

/**
 * Clears the processing state (rows of ops.processed_months) of all months, a year or a month, so the next run
 * processes them again; gold data and checkpoint history are never touched. Refused while any run is active,
 * and for any month whose lock a runner holds. `dryRun` only reports what would be cleared.
 */
export async function resetMonths(
  db: Db,
  input: ResetScope,
  options: { dryRun: boolean },
): Promise<ResetReport> {
  const scope = parseResetScope(input)
  await preflight(db, 'monthly', { write: !options.dryRun })
  const active = await activeRuns(db)
  if (active.length > 0) {
    throw new AssayError(
      'run_active',
      `cannot reset ${describeScope(scope)} while ${active.length === 1 ? 'a run is' : `${active.length} runs are`} active: ${active.map(describeRun).join('; ')} — wait for it to finish or cancel it`,
      { details: { runs: active.map((r) => r.runId) } },
    )
  }
  const { from, to, only } = scopeBounds(scope)
  const { rows: inRange } = await db.query<{ month_key: string; yyyymm: number }>(
    `SELECT month_key, year * 100 + month AS yyyymm FROM ops.processed_months
     WHERE year * 100 + month BETWEEN $1::int AND $2::int ORDER BY year, month`,
    [from, to],
  )
  const rows = only ? inRange.filter((r) => only.has(Number(r.yyyymm))) : inRange
  const months = rows.map((r) => r.month_key)
  if (options.dryRun || rows.length === 0) return { scope, months, dryRun: options.dryRun }

  // Hold every month's lock while deleting, so a runner that started after the check cannot be mid-month.
  const session = await db.session()
  const locked: number[] = []
  try {
    for (const row of rows) {
      if (!(await session.tryLock(LOCK.month, row.yyyymm))) {
        throw new AssayError(
          'month_locked',
          `cannot reset: ${row.month_key} is being processed by a runner right now — wait for its run to finish`,
        )
      }
      locked.push(row.yyyymm)
    }
    const { rows: deleted } = await session.query<{ month_key: string }>(
      `DELETE FROM ops.processed_months WHERE month_key = ANY($1::varchar[]) RETURNING month_key`,
      [months],
    )
    return { scope, months: deleted.map((r) => r.month_key).sort(), dryRun: false }
  } finally {
    for (const id of locked) await session.unlock(LOCK.month, id).catch(() => undefined)
    await session.release()
  }
}
