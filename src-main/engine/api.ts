/**
 * The engine's surface as the shells (CLI, desktop, browser twin) use it. Pipelines implement these
 * functions in engine/monthly and engine/reliable; `engine` (bottom) wires them together.
 */
import type {
  LogLevel,
  LogRecord,
  MonthlyPlan,
  MonthlyScope,
  MonthState,
  ResetReport,
  ResetScope,
  RetrySettings,
  RunEvent,
  RunRecord,
  RunSummary,
  Trigger,
} from '../../src-shared/pipeline.js'
import type { Db } from './db/types.js'

/** What every run accepts from its caller. */
export interface RunHooks {
  trigger: Trigger
  /** Aborting rolls back the unit in flight and records the run as cancelled. */
  signal?: AbortSignal
  /** Progress events, stamped with runId and seq. */
  onEvent?: (event: RunEvent) => void
  /** Every log record the run emits (after level filtering), e.g. for a console's live log view. */
  onLog?: (record: LogRecord) => void
  retry?: RetrySettings
  /** Lowest level written to stdout (DEBUG with --verbose). ops.pipeline_logs always gets INFO and up, DEBUG when verbose. */
  logLevel?: LogLevel
  /** stdout format; 'none' for embedded use (console). */
  stdout?: 'json' | 'pretty' | 'none'
  /** Rotating log file directory; undefined = the default per-user log folder. */
  logDir?: string
}

export interface MonthlyInput {
  scope: MonthlyScope
  force: boolean
}

export interface EngineApi {
  /** The plan for a scope; with `withDiff` the exact gold change of each month is computed and rolled back. */
  planMonthly(db: Db, input: MonthlyInput & { withDiff: boolean }): Promise<MonthlyPlan>
  runMonthly(db: Db, input: MonthlyInput, hooks: RunHooks): Promise<RunSummary>
  /** Clears processing state (never gold data); refused while a run is active. `dryRun` only reports. */
  resetMonths(db: Db, scope: ResetScope, options: { dryRun: boolean }): Promise<ResetReport>
  /** Every known month (from silver and from ops.processed_months) with its derived status. */
  monthStates(db: Db): Promise<MonthState[]>
  runReliable(db: Db, input: { resume?: string }, hooks: RunHooks): Promise<RunSummary>
  /** Runs whose status is `running`; runs whose runner died are marked `interrupted` first. */
  activeRuns(db: Db): Promise<RunRecord[]>
}
