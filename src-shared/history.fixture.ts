/** Test fixtures of the run history (contract shapes), for the view tests. */
import type { RunRecord } from './pipeline.js'

/** A failed reliable run of two stages, one done, with what the test sets. */
export function runRecord(patch: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: 'r1',
    pipelineName: 'reliable_gold_pipeline',
    pipeline: 'reliable',
    trigger: 'console',
    args: {},
    host: 'h',
    pid: 1,
    status: 'failed',
    startedAt: '2024-05-01T10:00:00.000Z',
    endedAt: '2024-05-01T10:00:10.000Z',
    durationMs: 10_000,
    planned: ['a', 'b'],
    done: ['a'],
    skipped: [],
    failed: ['b'],
    retries: 1,
    error: 'stage b failed',
    sqlstate: '22012',
    resumedFrom: null,
    ...patch,
  }
}
