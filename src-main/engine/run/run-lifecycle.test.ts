import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '../../../src-shared/pipeline.js'
import { loseConnectionOn } from '../../test-support/flaky-db.js'
import { type Scratch, scratchPg } from '../../test-support/scratch.js'
import type { RunHooks } from '../api.js'
import type { Db } from '../db/types.js'
import { runMonthly } from '../monthly/index.js'
import { LOCK, lockId } from '../ops/locks.js'
import { defaultFixture, loadFixture } from '../reliable/fixture.js'
import { runReliable } from '../reliable/index.js'

/** The two pipelines, started the way the CLI starts them. */
const PIPELINES: [string, (db: Db, hooks: RunHooks) => Promise<RunSummary>][] = [
  ['monthly', (db, hooks) => runMonthly(db, { scope: { kind: 'pending' }, force: true }, hooks)],
  ['reliable', (db, hooks) => runReliable(db, {}, hooks)],
]

/** Both pipelines open, heartbeat and finish their runs through one Run (run-lifecycle.ts). */
describe('one run lifecycle for both pipelines', () => {
  let s: Scratch
  const logDir = mkdtempSync(join(tmpdir(), 'assay-lifecycle-'))
  const hooks = (): RunHooks => ({
    trigger: 'cli',
    stdout: 'none',
    logDir,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  })
  beforeAll(async () => {
    s = await scratchPg({ prefix: 'assay_lifecycle' })
    // One silver fixture serves both: monthly aggregates its months, reliable its products and countries.
    await loadFixture(s.db, defaultFixture())
  })
  afterAll(async () => {
    await s.dispose()
    rmSync(logDir, { recursive: true, force: true })
  })

  it.each(PIPELINES)(
    '%s: a final status write that loses its connection twice is retried on a fresh session',
    async (_name, start) => {
      const flaky = loseConnectionOn(s.db, /SET status = \$2, ended_at/, 2)
      const summary = await start(flaky, hooks())
      expect(flaky.failures).toBe(2)
      expect(summary).toMatchObject({ status: 'completed', error: null })
      expect(summary.done.length).toBeGreaterThan(0)
      const { rows } = await s.db.query<{ status: string }>(
        'SELECT status FROM ops.pipeline_runs WHERE run_id = $1',
        [summary.runId],
      )
      expect(rows).toEqual([{ status: 'completed' }])
      // The run's lock went with its end: nobody holds it.
      expect(await s.db.heldLocks(LOCK.run)).not.toContain(lockId(summary.runId))
    },
  )

  it.each(PIPELINES)(
    '%s: refuses bad retry settings with the same message, recording nothing',
    async (_name, start) => {
      const before = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ops.pipeline_runs')
      await expect(
        start(s.db, { ...hooks(), retry: { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 5 } }),
      ).rejects.toThrow(/^retry settings: /)
      const after = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ops.pipeline_runs')
      expect(after.rows).toEqual(before.rows)
    },
  )
})
