import type { RunScope } from '../run/run-lifecycle.js'
import type { StageCounts } from './stage.js'

/** What a stage needs from its run: the run's scope, as a month has it. */
export type StageContext = RunScope

export type StageOutcome =
  | { status: 'completed'; counts: StageCounts; rows: number; attempts: number; durationMs: number }
  | {
      status: 'failed' | 'cancelled'
      error: string
      sqlstate: string | null
      transient: boolean
      attempts: number
      durationMs: number
    }
