import type { RetrySettings, RunEvent, RunEventInput } from '../../../src-shared/pipeline.js'
import type { Db } from '../db/types.js'
import type { Logger } from '../log/logger.js'
import type { StageCounts } from './stage.js'

/** What a stage needs from its run. */
export interface StageContext {
  db: Db
  runId: string
  pipelineName: string
  logger: Logger
  emit: (event: RunEventInput) => RunEvent
  signal?: AbortSignal
  retry: RetrySettings
  /** Called once per retry, for the run's retry count. */
  onRetry: () => void
}

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
