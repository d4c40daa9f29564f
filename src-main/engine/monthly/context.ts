import type { RetrySettings, RunEvent, RunEventInput } from '../../../src-shared/pipeline.js'
import type { Db } from '../db/types.js'
import type { Logger } from '../log/index.js'
import type { RunnerSession } from '../run/runner-session.js'

/** Everything one monthly run's months share. */
export interface RunContext {
  db: Db
  runner: RunnerSession
  runId: string
  force: boolean
  host: string
  settings: RetrySettings
  signal?: AbortSignal
  logger: Logger
  emit: (event: RunEventInput) => RunEvent
  /** Counts a retry towards the run's total. */
  countRetry: () => void
}
