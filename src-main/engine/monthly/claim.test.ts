import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Scratch, scratchPg } from '../../test-support/scratch.js'
import { waitFor } from '../../test-support/wait.js'
import { CLAIM, type ClaimRow } from './claim-sql.js'
import { runMonthly } from './index.js'
import { FIXTURE_MONTHS, loadFixture, makeFixture } from './test-fixture.js'

/**
 * The claim takes the month's lock inside its own statement, so its snapshot predates the lock: a runner that
 * finished the month in between is invisible to it. The mark must then re-check the row's latest version and
 * leave the month alone (PostgreSQL only: PGlite has one backend and takes its locks in process).
 */
describe('claiming a month that another runner finishes meanwhile', () => {
  let s: Scratch
  const fixture = makeFixture(FIXTURE_MONTHS.slice(0, 2), 20)
  beforeAll(async () => {
    s = await scratchPg({ prefix: 'assay_claim' })
    await loadFixture(s.db, fixture)
    const summary = await runMonthly(
      s.db,
      { scope: { kind: 'pending' }, force: false },
      { trigger: 'cli', stdout: 'none' },
    )
    expect(summary.status).toBe('completed')
  })
  afterAll(async () => {
    await s.dispose()
  })

  it('does not mark it when the latest row is completed and up to date, whatever its snapshot saw', async () => {
    const [first] = FIXTURE_MONTHS
    const key = `${first!.year}-${String(first!.month).padStart(2, '0')}`
    const id = first!.year * 100 + first!.month
    const { rows: before } = await s.db.query<{ run_id: string }>(
      'SELECT run_id FROM ops.processed_months WHERE month_key = $1',
      [key],
    )
    // Committed: the month failed. Uncommitted (other runner): it is completed again, row locked until COMMIT.
    await s.db.query(`UPDATE ops.processed_months SET status = 'failed' WHERE month_key = $1`, [key])
    const other = await s.db.session()
    const claimer = await s.db.session()
    try {
      await other.query('BEGIN')
      await other.query(`UPDATE ops.processed_months SET status = 'completed' WHERE month_key = $1`, [key])
      const claiming = claimer.query<ClaimRow>(CLAIM, [
        key,
        id,
        'run-late',
        first!.year,
        first!.month,
        false,
        'test-host',
        'idempotent_gold_pipeline',
        'monthly_aggregation',
        '{}',
        id,
        [],
      ])
      // The claim has read its snapshot ("failed": wanted) and waits for the other runner's row.
      await waitUntilBlocked(s, claimer.pid)
      await other.query('COMMIT')
      const row = (await claiming).rows[0]!
      expect(row).toMatchObject({ status: 'failed', locked: true, marked: 0, checkpointed: 0 })
      const { rows: after } = await s.db.query<{ status: string; run_id: string }>(
        'SELECT status, run_id FROM ops.processed_months WHERE month_key = $1',
        [key],
      )
      expect(after).toEqual([{ status: 'completed', run_id: before[0]!.run_id }])
      const { rows: checkpoints } = await s.db.query(
        `SELECT 1 FROM ops.pipeline_checkpoint WHERE run_id = 'run-late'`,
      )
      expect(checkpoints).toEqual([])
    } finally {
      await other.release(true)
      await claimer.release(true)
    }
  })
})

async function waitUntilBlocked(s: Scratch, pid: number): Promise<void> {
  await waitFor(`session ${pid} to wait for the row lock`, async () => {
    const { rows } = await s.db.query<{ waiting: boolean }>(
      `SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1`,
      [pid],
    )
    return rows[0]?.waiting
  })
}
