import { expect } from 'vitest'
import type { RunSummary } from '../../../src-shared/pipeline.js'
import { loseConnectionOn } from '../../test-support/flaky-db.js'
import type { RunHooks } from '../api.js'
import type { Db } from '../db/types.js'

/**
 * Either pipeline, run with every attempt to record its end losing the connection, must say interrupted: what
 * the console's Run view shows is what the database will say once the next run reaps it (#14).
 */
export async function expectInterruptedWhenEndIsLost(
  db: Db,
  logDir: string,
  start: (db: Db, hooks: RunHooks) => Promise<RunSummary>,
): Promise<void> {
  const flaky = loseConnectionOn(db, /SET status = \$2, ended_at/, 100)
  const finished: unknown[] = []
  const summary = await start(flaky, {
    trigger: 'cli',
    stdout: 'none',
    logDir,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    onEvent: (e) => (e.type === 'run.finished' ? finished.push(e) : undefined),
  })
  expect(summary.status).toBe('interrupted')
  expect(summary.error).toMatch(/final status could not be recorded/)
  expect(finished).toEqual([expect.objectContaining({ status: 'interrupted' })])
}
