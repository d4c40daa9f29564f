import { describe, expect, it } from 'vitest'
import type { RunRecord, RunStatus } from '../../../src-shared/pipeline.js'
import { tally } from './runs.js'

const run = (status: RunStatus) => ({ status }) as RunRecord

describe('assay runs tally', () => {
  it('counts each way the runs ended, in the console words, and says stopped runs are not failures', () => {
    expect(
      tally(['completed', 'failed', 'completed', 'interrupted', 'cancelled'].map((s) => run(s as RunStatus))),
    ).toBe(
      '2 completed, 1 failed, 1 cancelled, 1 interrupted (cancelled and interrupted runs are not failures)',
    )
    expect(tally([run('completed')])).toBe('1 completed')
  })
})
