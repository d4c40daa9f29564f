/** The Overview view: layer status with fixes, pipeline health (the seed's queries), charts, reconciliation. */
import { z } from 'zod'

export const Layer = z.enum(['bronze', 'silver', 'gold', 'ops'])
export type Layer = z.infer<typeof Layer>

/** What a fix button does; null when only a CLI command fixes it (e.g. ingesting a file). */
export const FixAction = z.enum(['init', 'demo', 'silver', 'monthly', 'reliable'])
export type FixAction = z.infer<typeof FixAction>

export const LayerState = z.object({
  layer: Layer,
  tables: z.array(z.object({ name: z.string(), exists: z.boolean(), rows: z.number().nullable() })),
  ok: z.boolean(),
})

export const Fix = z.object({ why: z.string(), commands: z.array(z.string()), action: FixAction.nullable() })
export type Fix = z.infer<typeof Fix>

/** The seed's "Check Pipeline Health": per pipeline over ops.pipeline_checkpoint. */
export const HealthRow = z.object({
  pipelineName: z.string(),
  total: z.number(),
  completed: z.number(),
  failed: z.number(),
  /** Stages stopped by a cancel: not failures. */
  cancelled: z.number(),
  avgDurationMs: z.number().nullable(),
})
export const FailureRow = z.object({
  stage: z.string(),
  failures: z.number(),
  lastFailure: z.string().nullable(),
})
export const SlowStageRow = z.object({
  stage: z.string(),
  avgMs: z.number(),
  maxMs: z.number(),
  executions: z.number(),
})
export const LevelRow = z.object({ level: z.string(), count: z.number(), runs: z.number() })

/** One gold month next to the silver sums for its date range: the reconciliation badge. */
export const MonthTotals = z.object({
  monthKey: z.string(),
  year: z.number(),
  month: z.number(),
  /** Numeric strings, exact. */
  revenue: z.string(),
  quantity: z.number(),
  transactions: z.number(),
  silverRevenue: z.string(),
  silverQuantity: z.number(),
  silverTransactions: z.number(),
  reconciled: z.boolean(),
})
export type MonthTotals = z.infer<typeof MonthTotals>

export const StageRun = z.object({
  runId: z.string(),
  startedAt: z.string(),
  status: z.string(),
  stages: z.array(z.object({ stage: z.string(), durationMs: z.number().nullable(), status: z.string() })),
})
export type StageRun = z.infer<typeof StageRun>

export const BreakerInfo = z.object({
  state: z.enum(['closed', 'open', 'half_open', 'isolated']),
  retryAt: z.string().nullable(),
})
export type BreakerInfo = z.infer<typeof BreakerInfo>

export const Overview = z.object({
  layers: z.array(LayerState),
  fixes: z.array(Fix),
  health: z.array(HealthRow),
  failuresByStage: z.array(FailureRow),
  slowStages: z.array(SlowStageRow),
  logLevels: z.array(LevelRow),
  months: z.array(MonthTotals),
  /** Silver months with no gold row yet. */
  monthsMissingInGold: z.array(z.string()),
  stageRuns: z.array(StageRun),
  breaker: BreakerInfo,
})
export type Overview = z.infer<typeof Overview>
