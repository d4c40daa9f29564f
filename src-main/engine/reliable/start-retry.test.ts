import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loseConnectionOn } from '../../test-support/flaky-db.js'
import { type Scratch, scratchPg } from '../../test-support/scratch.js'
import { expectInterruptedWhenEndIsLost } from '../run/end-lost.fixture.js'
import { expectedCountries, expectedProducts } from './expected-gold.js'
import { defaultFixture, loadFixture, readGold } from './fixture.js'
import { runReliable } from './index.js'

/**
 * Regression (torture suite, pg_terminate_backend at start-up): a connection lost before the run was recorded
 * (the schema check, the run's session, the run record) failed `assay reliable` at once, exit 1.
 */
describe('reliable run start-up survives a lost connection', () => {
  let s: Scratch
  const logDir = mkdtempSync(join(tmpdir(), 'assay-reliable-start-'))
  const fixture = defaultFixture()
  beforeAll(async () => {
    s = await scratchPg({ prefix: 'assay_reliable_start' })
    await loadFixture(s.db, fixture)
  })
  afterAll(async () => {
    await s.dispose()
    rmSync(logDir, { recursive: true, force: true })
  })

  it.each([
    ['the schema check', /ops\.schema_migrations/],
    ['the run record', /INSERT INTO ops\.pipeline_runs/],
  ])('retries when the connection drops during %s', async (_what, pattern) => {
    await s.db.exec('TRUNCATE gold.fact_product_performance, gold.fact_country_sales, ops.pipeline_runs')
    const flaky = loseConnectionOn(s.db, pattern)
    const summary = await runReliable(
      flaky,
      {},
      { trigger: 'cli', stdout: 'none', logDir, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } },
    )
    expect(flaky.failures).toBe(1)
    expect(summary.status).toBe('completed')
    const gold = await readGold(s.db)
    expect(gold.products).toEqual(expectedProducts(fixture))
    expect(gold.countries).toEqual(expectedCountries(fixture))
    const { rows } = await s.db.query<{ status: string }>('SELECT status FROM ops.pipeline_runs')
    expect(rows).toEqual([{ status: 'completed' }])
  })

  it('says interrupted, not failed or completed, when its end cannot be recorded (#14)', async () => {
    await s.db.exec('TRUNCATE gold.fact_product_performance, gold.fact_country_sales, ops.pipeline_runs')
    await expectInterruptedWhenEndIsLost(s.db, logDir, (db, hooks) => runReliable(db, {}, hooks))
  })
})
