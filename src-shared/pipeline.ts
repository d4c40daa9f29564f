/**
 * The pipeline vocabulary shared by the engine, the CLI, the host and the renderer: scopes, month states,
 * plans, runs, checkpoints, log records and run events. Zod schemas are the single source; types are inferred.
 * No Node or DOM imports here.
 */
import { z } from 'zod'
import { MAX_YEAR, MIN_YEAR } from './months.js'

export const Year = z
  .number()
  .int()
  .min(MIN_YEAR, `year must be ${MIN_YEAR} or later`)
  .max(MAX_YEAR, `year must be ${MAX_YEAR} or earlier`)
export const Month = z.number().int().min(1, 'month must be 1–12').max(12, 'month must be 1–12')
export const YearMonthSchema = z.object({ year: Year, month: Month })

export const MAX_MONTH_SET = 240

/** A set of months picked in the console's grid (shift-, ctrl-click or drag): a run's or a reset's scope. */
const MonthSet = z.object({
  kind: z.literal('months'),
  months: z
    .array(YearMonthSchema)
    .min(1, 'pick at least one month')
    .max(MAX_MONTH_SET, `at most ${MAX_MONTH_SET} months at once`),
})

/** Which months a monthly run looks at. `pending` = every month that needs work. */
export const MonthlyScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pending') }),
  z.object({ kind: z.literal('month'), year: Year, month: Month }),
  z.object({ kind: z.literal('year'), year: Year }),
  z
    .object({ kind: z.literal('range'), from: YearMonthSchema, to: YearMonthSchema })
    .refine((r) => r.from.year * 100 + r.from.month <= r.to.year * 100 + r.to.month, {
      message: 'the range starts after it ends (from must be on or before to)',
    }),
  MonthSet,
])
export type MonthlyScope = z.infer<typeof MonthlyScope>

/** What `reset` clears: all processing state, one year, or one month. Gold data is never touched. */
export const ResetScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('year'), year: Year }),
  z.object({ kind: z.literal('month'), year: Year, month: Month }),
  MonthSet,
])
export type ResetScope = z.infer<typeof ResetScope>

/**
 * A month's state as the console colours it. Stored statuses are in_progress/completed/failed; the rest are derived:
 * stale (silver changed since it was processed), interrupted (in_progress but its runner is gone),
 * pending (silver has data, never processed), no_data (known month without silver rows).
 */
export const MonthStatus = z.enum([
  'completed',
  'in_progress',
  'failed',
  'stale',
  'drifted',
  'interrupted',
  'pending',
  'no_data',
])
export type MonthStatus = z.infer<typeof MonthStatus>

export const Fingerprint = z.object({
  rows: z.number(),
  revenue: z.string(),
  quantity: z.number(),
  transactions: z.number(),
  version: z.number(),
})
export type Fingerprint = z.infer<typeof Fingerprint>

export const MonthState = z.object({
  monthKey: z.string(),
  year: z.number(),
  month: z.number(),
  status: MonthStatus,
  silverRows: z.number(),
  processedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  runId: z.string().nullable(),
  host: z.string().nullable(),
  attempts: z.number().nullable(),
  error: z.string().nullable(),
  sqlstate: z.string().nullable(),
  /** The silver input it was computed from, when processed. */
  fingerprint: Fingerprint.nullable(),
})
export type MonthState = z.infer<typeof MonthState>

/** Why a month is in a plan. */
export const PlanReason = z.enum(['new', 'failed', 'stale', 'drifted', 'interrupted', 'forced'])
export type PlanReason = z.infer<typeof PlanReason>

/** One gold column that would change: old → new (old null when the row is inserted). */
export const ColumnChange = z.object({
  column: z.string(),
  old: z.union([z.string(), z.number(), z.null()]),
  new: z.union([z.string(), z.number(), z.null()]),
})

export const GoldDiff = z.object({
  action: z.enum(['insert', 'update', 'unchanged']),
  changes: z.array(ColumnChange),
})
export type GoldDiff = z.infer<typeof GoldDiff>

export const PlanItem = z.object({
  monthKey: z.string(),
  year: z.number(),
  month: z.number(),
  reason: PlanReason,
  silverRows: z.number(),
  /** Present on dry-runs: the exact change to gold.fact_sales_monthly, computed and rolled back. */
  diff: GoldDiff.optional(),
})
export type PlanItem = z.infer<typeof PlanItem>

/** A month asked for but left out, and why (e.g. completed and up to date, no silver rows). */
export const PlanSkip = z.object({
  monthKey: z.string(),
  reason: z.enum(['up_to_date', 'no_data', 'running_elsewhere']),
  detail: z.string(),
})
export type PlanSkip = z.infer<typeof PlanSkip>

export const MonthlyPlan = z.object({ items: z.array(PlanItem), skipped: z.array(PlanSkip) })
export type MonthlyPlan = z.infer<typeof MonthlyPlan>

export const ResetReport = z.object({
  scope: ResetScope,
  /** Month keys whose processing state is (or would be) cleared. */
  months: z.array(z.string()),
  dryRun: z.boolean(),
})
export type ResetReport = z.infer<typeof ResetReport>

export const PipelineKind = z.enum(['monthly', 'reliable'])
export type PipelineKind = z.infer<typeof PipelineKind>

export const RunStatus = z.enum(['running', 'completed', 'failed', 'cancelled', 'interrupted'])
export type RunStatus = z.infer<typeof RunStatus>

export const Trigger = z.enum(['cli', 'console'])
export type Trigger = z.infer<typeof Trigger>

/** A row of ops.pipeline_runs. Units are month keys (monthly) or stage names (reliable). */
export const RunRecord = z.object({
  runId: z.string(),
  pipelineName: z.string(),
  pipeline: PipelineKind,
  trigger: Trigger,
  args: z.record(z.string(), z.unknown()),
  host: z.string().nullable(),
  pid: z.number().nullable(),
  status: RunStatus,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  planned: z.array(z.string()),
  done: z.array(z.string()),
  skipped: z.array(z.string()),
  failed: z.array(z.string()),
  retries: z.number(),
  error: z.string().nullable(),
  sqlstate: z.string().nullable(),
  resumedFrom: z.string().nullable(),
})
export type RunRecord = z.infer<typeof RunRecord>

export const CheckpointStatus = z.enum(['pending', 'in_progress', 'completed', 'failed'])

/** A row of ops.pipeline_checkpoint. */
export const CheckpointRecord = z.object({
  id: z.number(),
  pipelineName: z.string(),
  runId: z.string(),
  stage: z.string(),
  checkpointKey: z.string().nullable(),
  checkpointValue: z.string().nullable(),
  status: z.string(),
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  durationMs: z.number().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  updatedAt: z.string().nullable(),
  /** Set in pages when metadata was cut to `{ preview }`: its full size in bytes (`checkpoints:record` has it all). */
  metadataBytes: z.number().optional(),
})
export type CheckpointRecord = z.infer<typeof CheckpointRecord>

export const LogLevel = z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'])
export type LogLevel = z.infer<typeof LogLevel>

/** One structured log record, in the seed's shape. */
export const LogRecord = z.object({
  id: z.number().optional(),
  timestamp: z.string(),
  level: LogLevel,
  message: z.string(),
  logger: z.string(),
  pipeline_name: z.string().nullable(),
  run_id: z.string().nullable(),
  module: z.string().nullable(),
  function: z.string().nullable(),
  line: z.number().nullable(),
  metadata: z.record(z.string(), z.unknown()),
})
export type LogRecord = z.infer<typeof LogRecord>

/**
 * Progress of one run, as pushed to consoles. `unit` is a month key or a stage name.
 * `seq` increases by one per event within a run, so a client that fetched a snapshot can drop older events.
 */
export const RunEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run.started'),
    runId: z.string(),
    seq: z.number(),
    at: z.string(),
    pipeline: PipelineKind,
    planned: z.array(z.string()),
    dryRun: z.boolean(),
  }),
  z.object({
    type: z.literal('unit.started'),
    runId: z.string(),
    seq: z.number(),
    at: z.string(),
    unit: z.string(),
    attempt: z.number(),
  }),
  z.object({
    type: z.literal('unit.retrying'),
    runId: z.string(),
    seq: z.number(),
    at: z.string(),
    unit: z.string(),
    attempt: z.number(),
    maxAttempts: z.number(),
    delayMs: z.number(),
    nextAttemptAt: z.string(),
    error: z.string(),
    sqlstate: z.string().nullable(),
  }),
  z.object({
    type: z.literal('unit.completed'),
    runId: z.string(),
    seq: z.number(),
    at: z.string(),
    unit: z.string(),
    durationMs: z.number(),
    rows: z.number(),
    attempts: z.number(),
  }),
  z.object({
    type: z.literal('unit.skipped'),
    runId: z.string(),
    seq: z.number(),
    at: z.string(),
    unit: z.string(),
    reason: z.string(),
  }),
  z.object({
    type: z.literal('unit.failed'),
    runId: z.string(),
    seq: z.number(),
    at: z.string(),
    unit: z.string(),
    error: z.string(),
    sqlstate: z.string().nullable(),
    transient: z.boolean(),
    attempts: z.number(),
  }),
  z.object({
    type: z.literal('run.finished'),
    runId: z.string(),
    seq: z.number(),
    at: z.string(),
    status: RunStatus,
    durationMs: z.number(),
    error: z.string().nullable(),
  }),
])
export type RunEvent = z.infer<typeof RunEvent>

/** The same events before the emitter stamps `runId`, `seq` and `at`. */
export type RunEventInput = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'runId' | 'seq' | 'at'>
    : never
  : never

/** What a finished run reports to its caller (CLI exit code, console toast). */
export const RunSummary = z.object({
  runId: z.string(),
  pipeline: PipelineKind,
  status: RunStatus,
  done: z.array(z.string()),
  skipped: z.array(z.object({ unit: z.string(), reason: z.string() })),
  failed: z.array(z.object({ unit: z.string(), error: z.string(), sqlstate: z.string().nullable() })),
  durationMs: z.number(),
  retries: z.number(),
  error: z.string().nullable(),
})
export type RunSummary = z.infer<typeof RunSummary>

/** Retry policy settings (the seed's schedule by default: 1 s, 2 s, 4 s + jitter, give up after attempt 4). */
export const RetrySettings = z.object({
  maxAttempts: z.number().int().min(1).max(20),
  baseDelayMs: z.number().int().min(0).max(600_000),
  maxDelayMs: z.number().int().min(0).max(3_600_000),
})
export type RetrySettings = z.infer<typeof RetrySettings>

export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000 }
