import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loseConnectionOn } from '../../test-support/flaky-db.js'
import { type Scratch, scratchPg } from '../../test-support/scratch.js'
import { expectInterruptedWhenEndIsLost } from '../run/end-lost.fixture.js'
import { runMonthly } from './index.js'
import { expectedGold, FIXTURE_MONTHS, loadFixture, makeFixture, readGold } from './test-fixture.js'

/**
 * Regression (torture suite, concurrent runners + pg_terminate_backend): a connection lost while the run
 * registered itself in ops.pipeline_runs failed `assay monthly` at once ("Client has encountered a connection
 * error and is not queryable", exit 1, no run record) although one loss is within the retry budget.
 */
describe('monthly run start-up survives a lost connection', () => {
  let s: Scratch
  const logDir = mkdtempSync(join(tmpdir(), 'assay-start-retry-'))
  const fixture = makeFixture(FIXTURE_MONTHS.slice(0, 3), 30)
  beforeAll(async () => {
    s = await scratchPg({ prefix: 'assay_start_retry' })
    await loadFixture(s.db, fixture)
  })
  afterAll(async () => {
    await s.dispose()
    rmSync(logDir, { recursive: true, force: true })
  })

  it('retries registering the run, records it once and completes', async () => {
    const flaky = loseConnectionOn(s.db, /INSERT INTO ops\.pipeline_runs/)
    const summary = await runMonthly(
      flaky,
      { scope: { kind: 'pending' }, force: false },
      { trigger: 'cli', stdout: 'none', logDir, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } },
    )
    expect(flaky.failures).toBe(1)
    expect(summary).toMatchObject({ status: 'completed', retries: 0 })
    expect(await readGold(s.db)).toEqual(expectedGold(fixture))
    const { rows } = await s.db.query<{ status: string }>('SELECT status FROM ops.pipeline_runs')
    expect(rows).toEqual([{ status: 'completed' }])
  })

  it('says interrupted, not failed or completed, when its end cannot be recorded (#14)', async () => {
    await expectInterruptedWhenEndIsLost(s.db, logDir, (db, hooks) =>
      runMonthly(db, { scope: { kind: 'pending' }, force: true }, hooks),
    )
  })
})
