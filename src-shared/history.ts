/**
 * The console's history views: runs from ops.pipeline_runs (list and detail) and checkpoints from
 * ops.pipeline_checkpoint. Schemas only; shared by the host and the renderer. No Node or DOM imports.
 */
import { z } from 'zod'
import { CheckpointStatusText, Name, RunId, TimeWindow } from './filters.js'
import { Instant } from './instant.js'
import { CheckpointRecord, RunRecord, RunStatus, Trigger } from './pipeline.js'

/** An ISO-8601 instant (a zone-less value is read as UTC by the host); see instant.ts. */
export { Instant }

/** A keyset position the host handed out; a forged or garbled one is refused here, not by the database. */
export const RunCursor = z.object({ startedAt: Instant, runId: RunId })
export type RunCursor = z.infer<typeof RunCursor>

export const RUN_PAGE_MAX = 200

export const RunListQuery = z.object({
  pipeline: Name.optional(),
  status: RunStatus.optional(),
  trigger: Trigger.optional(),
  ...TimeWindow,
  /** Keyset: runs that started before this one (newest first). */
  before: RunCursor.optional(),
  limit: z.number().int().min(1).max(RUN_PAGE_MAX, `limit must be at most ${RUN_PAGE_MAX}`),
})
export type RunListQuery = z.infer<typeof RunListQuery>

export const RunListPage = z.object({ runs: z.array(RunRecord), next: RunCursor.nullable() })
export type RunListPage = z.infer<typeof RunListPage>

/** One attempt of a unit: failed ones carry the error and the delay before the next attempt. */
export const Attempt = z.object({
  attempt: z.number(),
  at: z.string().nullable(),
  outcome: z.enum(['failed', 'completed', 'running']),
  error: z.string().nullable(),
  /** SQLSTATE or network error code. */
  code: z.string().nullable(),
  /** The wait before the next attempt (failed attempts that were retried). */
  delayMs: z.number().nullable(),
})
export type Attempt = z.infer<typeof Attempt>

export const UnitStatus = z.enum(['completed', 'failed', 'in_progress', 'pending', 'skipped', 'not_run'])
export type UnitStatus = z.infer<typeof UnitStatus>

/** A stage (reliable) or month (monthly) of a run, from its checkpoint and its logs. */
export const RunUnit = z.object({
  unit: z.string(),
  stage: z.string(),
  status: UnitStatus,
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  durationMs: z.number().nullable(),
  rows: z.number().nullable(),
  error: z.string().nullable(),
  sqlstate: z.string().nullable(),
  /** How the failure was classified: transient (retried) or permanent (not retried); null if it did not fail. */
  transient: z.boolean().nullable(),
  errorKind: z.string().nullable(),
  attempts: z.array(Attempt),
  /** Why it was skipped or not run. */
  note: z.string().nullable(),
})
export type RunUnit = z.infer<typeof RunUnit>

/** A unit with nothing recorded yet (no checkpoint, no attempt), with what is known set on top. */
export function blankUnit(unit: string, patch: Partial<RunUnit> & Pick<RunUnit, 'status'>): RunUnit {
  return {
    unit,
    stage: unit,
    startTime: null,
    endTime: null,
    durationMs: null,
    rows: null,
    error: null,
    sqlstate: null,
    transient: null,
    errorKind: null,
    attempts: [],
    note: null,
    ...patch,
  }
}

export const RunDetail = z.object({
  run: RunRecord,
  units: z.array(RunUnit),
  /** A reliable run that failed, was interrupted or cancelled can be resumed (completed stages are skipped). */
  resumable: z.boolean(),
  /** Later runs that resumed this one. */
  resumedBy: z.array(z.string()),
})
export type RunDetail = z.infer<typeof RunDetail>

export const RunRef = z.object({ runId: RunId })

export const CHECKPOINT_PAGE_MAX = 500

export const CheckpointQuery = z.object({
  pipeline: Name.optional(),
  runId: RunId.optional(),
  stage: Name.optional(),
  status: CheckpointStatusText.optional(),
  /** On start_time. */
  ...TimeWindow,
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(CHECKPOINT_PAGE_MAX, `limit must be at most ${CHECKPOINT_PAGE_MAX}`),
})
export type CheckpointQuery = z.infer<typeof CheckpointQuery>

export const CheckpointPage = z.object({
  records: z.array(CheckpointRecord),
  nextBefore: z.number().nullable(),
})
export type CheckpointPage = z.infer<typeof CheckpointPage>

export const CheckpointFacets = z.object({
  pipelines: z.array(z.string()),
  stages: z.array(z.string()),
  statuses: z.array(z.string()),
})
export type CheckpointFacets = z.infer<typeof CheckpointFacets>
