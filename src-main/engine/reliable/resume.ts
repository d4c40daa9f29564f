import type { RunRecord } from '../../../src-shared/pipeline.js'
import type { Db } from '../db/types.js'
import { AssayError, UsageError } from '../errors.js'
import { completedStages } from '../ops/checkpoints.js'
import { getRun } from '../ops/read/runs.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const RESUMABLE = new Set(['failed', 'interrupted', 'cancelled'])

export interface ResumePlan {
  from: RunRecord
  /** Stage → the run in which it completed (the resumed run, or one it resumed in turn). */
  completed: Map<string, string>
}

/** True when `text` has the shape of a run id (a UUID). */
export function isRunId(text: string): boolean {
  return UUID.test(text)
}

/**
 * Checks that `runId` names a reliable run that can be resumed (failed, interrupted or cancelled) and
 * collects the stages already completed: in that run, and along its `resumed_from` chain, since a resumed
 * run skips (and so does not checkpoint) what its predecessor completed. Refusals exit 2. The caller reaps dead
 * runs first: a run whose runner died is still "running" until then, and becomes resumable.
 */
export async function planResume(db: Db, runId: string, pipelineName: string): Promise<ResumePlan> {
  if (!isRunId(runId)) {
    throw new UsageError(
      `--resume expects a run id (a UUID such as 550e8400-e29b-41d4-a716-446655440000), got "${runId}"`,
    )
  }
  const from = await getRun(db, runId)
  const refuse = (message: string) => new AssayError('resume_refused', message, { exitCode: 2 })
  if (!from) throw refuse(`cannot resume run ${runId}: there is no such run in ops.pipeline_runs`)
  if (from.pipelineName !== pipelineName) {
    throw refuse(`cannot resume run ${runId}: it is a ${from.pipelineName} run, not a ${pipelineName} run`)
  }
  if (!RESUMABLE.has(from.status)) {
    throw refuse(
      from.status === 'running'
        ? `cannot resume run ${runId}: it is still running (pid ${from.pid ?? '?'} on ${from.host ?? '?'})`
        : `cannot resume run ${runId}: it ${from.status}; only failed, interrupted or cancelled runs can be resumed`,
    )
  }
  const completed = new Map<string, string>()
  const seen = new Set<string>()
  for (let run: RunRecord | undefined = from; run && !seen.has(run.runId); ) {
    seen.add(run.runId)
    for (const stage of await completedStages(db, run.runId))
      if (!completed.has(stage)) completed.set(stage, run.runId)
    run = run.resumedFrom ? await getRun(db, run.resumedFrom) : undefined
  }
  return { from, completed }
}
