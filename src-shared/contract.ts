/**
 * The console's one typed contract: every request (input and output schema) and every event the host
 * pushes, shared by Electron main, the browser twin's server and the renderer. Types are inferred from the
 * zod schemas; the host's handlers are checked against `requests` with `satisfies`. No Node or DOM imports.
 */
import { z } from 'zod'
import { ExplainPage, ExplainPageQuery, ExplainSummary, ExplainTarget } from './explain.js'
import { ExportCount, ExportProgress, ExportRequest, ExportStarted } from './export.js'
import { LogFilter } from './filters.js'
import {
  CheckpointFacets,
  CheckpointPage,
  CheckpointQuery,
  RunDetail,
  RunListPage,
  RunListQuery,
  RunRef,
} from './history.js'
import { BreakerInfo, Overview } from './overview.js'
import {
  CheckpointRecord,
  LogRecord,
  MonthlyPlan,
  MonthlyScope,
  MonthState,
  PipelineKind,
  ResetReport,
  ResetScope,
  RunEvent,
  RunRecord,
  RunStatus,
} from './pipeline.js'
import {
  ConnectionInput,
  ConnectionTest,
  ConnectRequest,
  RetentionDays,
  RetentionPreview,
  RetentionResult,
  SettingsPatch,
  SettingsView,
} from './settings.js'

/** Input of requests that take none. */
const None = z.void()

export const DbKind = z.enum(['postgres', 'pglite'])

/** Which database the host talks to, and whether it can reach it right now. */
export const DbInfo = z.object({
  kind: DbKind,
  /** Short form for the header: "embedded" or "host:port/db". */
  target: z.string(),
  /** The full description, without secrets. */
  label: z.string(),
  connected: z.boolean(),
  /** Why it is not connected (null when connected). */
  message: z.string().nullable(),
})
export type DbInfo = z.infer<typeof DbInfo>

export const SetupStep = z.enum(['init', 'demo', 'silver', 'run', 'ready'])
export type SetupStep = z.infer<typeof SetupStep>

/** What a database has of the layers, and the next step a new user should take. */
export const SetupStatus = z.object({
  initialised: z.boolean(),
  pendingMigrations: z.array(z.string()),
  changedMigrations: z.array(z.string()),
  /** Row counts; null when the table does not exist. */
  bronzeRows: z.number().nullable(),
  silverRows: z.number().nullable(),
  goldMonths: z.number().nullable(),
  embedded: z.boolean(),
  /** Loading demo data is offered only into an empty bronze layer. */
  demoAvailable: z.boolean(),
  next: SetupStep,
  /** What is missing or empty, and the CLI commands that fix it. */
  fixes: z.array(z.object({ why: z.string(), commands: z.array(z.string()) })),
})
export type SetupStatus = z.infer<typeof SetupStatus>

export const MigrationResult = z.object({
  applied: z.array(z.string()),
  alreadyApplied: z.array(z.string()),
  changed: z.array(z.string()),
})

export const DemoInput = z.object({
  scale: z.number().min(0.01, 'scale must be at least 0.01').max(1, 'scale must be at most 1').optional(),
})
export const DemoResult = z.object({ bronzeRows: z.number(), silverRows: z.number() })

export const SetupProgress = z.object({
  step: z.enum(['init', 'demo', 'silver']),
  phase: z.enum(['running', 'done', 'failed']),
  message: z.string(),
  /** 0–1 when the step knows how far it is. */
  fraction: z.number().nullable(),
})
export type SetupProgress = z.infer<typeof SetupProgress>

/** Which pipelines a console run starts: one, or both in order (monthly, then reliable). */
export const RunChoice = z.enum(['monthly', 'reliable', 'both'])
export type RunChoice = z.infer<typeof RunChoice>

/** `scope` is the monthly pipeline's (the reliable pipeline always covers all of silver). */
export const RunOptions = z.object({ pipeline: RunChoice, scope: MonthlyScope, force: z.boolean() })
export type RunOptions = z.infer<typeof RunOptions>

/** A dry-run: the monthly plan with the exact gold diff; nothing is written. */
export const DryRun = z.object({
  monthly: MonthlyPlan.nullable(),
  /** What the reliable pipeline would rebuild (it has no per-month plan). */
  reliable: z.object({ tables: z.array(z.string()) }).nullable(),
})
export type DryRun = z.infer<typeof DryRun>

export const UnitState = z.enum([
  'pending',
  'running',
  'retrying',
  'completed',
  'skipped',
  'failed',
  'cancelled',
  'interrupted',
])
export type UnitState = z.infer<typeof UnitState>

/** One month (monthly) or stage (reliable) of a run, as the Run view shows it. */
export const UnitProgress = z.object({
  unit: z.string(),
  state: UnitState,
  attempt: z.number(),
  maxAttempts: z.number().nullable(),
  startedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  rows: z.number().nullable(),
  nextAttemptAt: z.string().nullable(),
  error: z.string().nullable(),
  /** Why it was skipped. */
  reason: z.string().nullable(),
})
export type UnitProgress = z.infer<typeof UnitProgress>

/** One engine run folded from its events; `seq` is the last event applied. */
export const RunProgress = z.object({
  runId: z.string(),
  pipeline: PipelineKind,
  status: RunStatus,
  seq: z.number(),
  dryRun: z.boolean(),
  startedAt: z.string(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  units: z.array(UnitProgress),
})
export type RunProgress = z.infer<typeof RunProgress>

export const JobStatus = z.enum(['running', 'completed', 'failed', 'cancelled', 'interrupted'])
export type JobStatus = z.infer<typeof JobStatus>

/** A console job: the run(s) one click started, in order. One job at a time per host. */
export const JobSnapshot = z.object({
  jobId: z.string(),
  options: RunOptions,
  runs: z.array(RunProgress),
  status: JobStatus,
  cancelRequested: z.boolean(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  error: z.string().nullable(),
})
export type JobSnapshot = z.infer<typeof JobSnapshot>

/** Runs recorded in ops.pipeline_runs, from any console or CLI. */
export const RunsOverview = z.object({ active: z.array(RunRecord), recent: z.array(RunRecord) })
export type RunsOverview = z.infer<typeof RunsOverview>

export const ResetInput = z.object({ scope: ResetScope, dryRun: z.boolean() })

export const LOG_PAGE_MAX = 500

export const LogQuery = LogFilter.extend({
  /** Keyset: return records with id below this (the last id of the previous page). */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(LOG_PAGE_MAX, `limit must be at most ${LOG_PAGE_MAX}`),
})
export type LogQuery = z.infer<typeof LogQuery>

export const StoredLogRecord = LogRecord.extend({
  /** Set in pages when metadata was cut to `{ preview }`: its full size in bytes (`logs:record` has it all). */
  metadataBytes: z.number().optional(),
  /** Set in pages when the message was cut: its full size in bytes. */
  messageBytes: z.number().optional(),
  id: z.number(),
})
export type StoredLogRecord = z.infer<typeof StoredLogRecord>

/** A log query's filters alone: what `logs:count` counts. */
export const LogFilterQuery = LogQuery.omit({ before: true, limit: true })
export type LogFilterQuery = z.infer<typeof LogFilterQuery>

/**
 * How many records match (engine/logs/count): exact while `more` is false, else a lower bound. `partial`: the
 * count ran out of time and counted among the newest records only; a `patient` count may find more.
 */
export const LogCount = z.object({
  count: z.number().int().nonnegative(),
  more: z.boolean(),
  partial: z.boolean().optional(),
})
export type LogCount = z.infer<typeof LogCount>

/** `logs:count`'s input: the filters, and `patient` for a count with a longer time budget. */
export const LogCountQuery = LogFilterQuery.extend({ patient: z.boolean().optional() })
export type LogCountQuery = z.infer<typeof LogCountQuery>

export const LogPage = z.object({ records: z.array(StoredLogRecord), nextBefore: z.number().nullable() })
export type LogPage = z.infer<typeof LogPage>

/** One stored log record or checkpoint, by id. */
export const RecordRef = z.object({ id: z.number().int().positive() })
export type RecordRef = z.infer<typeof RecordRef>

export const LogFacets = z.object({
  pipelines: z.array(z.string()),
  runs: z.array(z.object({ runId: z.string(), pipelineName: z.string(), startedAt: z.string() })),
})
export type LogFacets = z.infer<typeof LogFacets>

export const DbConnection = z.object({
  ok: z.boolean(),
  message: z.string().nullable(),
  /** Down on purpose: the console is switching databases (Settings), not losing one. */
  switching: z.boolean().optional(),
})
export type DbConnection = z.infer<typeof DbConnection>

/** Every request: `in` is validated by the host, `out` is what the value of an ok envelope holds. */
export const requests = {
  'db:info': { in: None, out: DbInfo },
  'status:get': { in: None, out: SetupStatus },
  'setup:init': { in: None, out: MigrationResult },
  'setup:demo': { in: DemoInput, out: DemoResult },
  'months:list': { in: None, out: z.array(MonthState) },
  'months:plan': { in: RunOptions, out: DryRun },
  'months:reset': { in: ResetInput, out: ResetReport },
  'runs:start': { in: RunOptions, out: z.object({ jobId: z.string(), runId: z.string() }) },
  'runs:cancel': { in: z.object({ jobId: z.string().min(1) }), out: z.object({ cancelled: z.boolean() }) },
  'runs:snapshot': { in: None, out: JobSnapshot.nullable() },
  'runs:active': { in: None, out: RunsOverview },
  'logs:page': { in: LogQuery, out: LogPage },
  'logs:facets': { in: None, out: LogFacets },
  /** How many records a filter matches, exact up to 10,000 (engine/logs/count says why a cap). */
  'logs:count': { in: LogCountQuery, out: LogCount },
  /** One record whole, where a page cut its message or metadata (engine/ops/page-bounds). */
  'logs:record': { in: RecordRef, out: StoredLogRecord },
  'setup:silver': { in: None, out: z.object({ silverRows: z.number() }) },
  'runs:list': { in: RunListQuery, out: RunListPage },
  'runs:detail': { in: RunRef, out: RunDetail },
  /** Resumes a failed reliable run: a new run that skips the stages already completed. */
  'runs:resume': { in: RunRef, out: z.object({ jobId: z.string(), runId: z.string() }) },
  /** Starts the same pipeline with the same arguments again. */
  'runs:rerun': { in: RunRef, out: z.object({ jobId: z.string(), runId: z.string() }) },
  'checkpoints:page': { in: CheckpointQuery, out: CheckpointPage },
  'checkpoints:facets': { in: None, out: CheckpointFacets },
  /** One checkpoint whole, where a page cut its metadata. */
  'checkpoints:record': { in: RecordRef, out: CheckpointRecord },
  'overview:get': { in: None, out: Overview },
  /** "Explain this number": one page of a level of the drill-down from a gold value to bronze lines. */
  'explain:page': { in: ExplainPageQuery, out: ExplainPage },
  /** The reconciliation of a level: the value above against the sum of all the level's rows. */
  'explain:summary': { in: ExplainTarget, out: ExplainSummary },
  'breaker:reset': { in: None, out: BreakerInfo },
  'export:count': { in: ExportRequest.pick({ table: true, filter: true }), out: ExportCount },
  'export:start': { in: ExportRequest, out: ExportStarted },
  'export:cancel': {
    in: z.object({ exportId: z.string().min(1) }),
    out: z.object({ cancelled: z.boolean() }),
  },
  'settings:get': { in: None, out: SettingsView },
  'settings:save': { in: SettingsPatch, out: SettingsView },
  'settings:test': { in: ConnectionInput, out: ConnectionTest },
  /** Tests the connection, then re-opens the console's database on it and saves it. */
  'settings:connect': { in: ConnectRequest, out: SettingsView },
  'retention:preview': { in: z.object({ days: RetentionDays }), out: RetentionPreview },
  'retention:apply': { in: z.object({ days: RetentionDays }), out: RetentionResult },
  /** Fault injection for end-to-end tests; refused unless the host runs with ASSAY_ALLOW_FAULTS=1. */
  'faults:set': {
    in: z.object({ spec: z.string().max(500) }),
    out: z.object({ active: z.array(z.string()) }),
  },
} as const

/** Everything the host pushes. */
export const events = {
  /** Progress of this host's runs, batched (~10 per second); apply those with a higher seq than you hold. */
  'run:events': z.array(RunEvent),
  /** This host's job started, moved to its next pipeline or finished. */
  'job:changed': JobSnapshot,
  'months:changed': z.array(MonthState),
  'runs:changed': RunsOverview,
  /** New rows of ops.pipeline_logs, oldest first. */
  'log:records': z.array(StoredLogRecord),
  /** An ops table changed (checkpoints included), from any process. */
  'ops:changed': z.object({ table: z.string() }),
  'setup:progress': SetupProgress,
  'db:connection': DbConnection,
  /** A CSV export's progress (throttled), and its end. */
  'export:progress': ExportProgress,
  /** So many log records arrived at once that they are not streamed: consoles reload their first page. */
  'log:gap': z.object({ newestId: z.number() }),
} as const

export type RequestName = keyof typeof requests
export type EventName = keyof typeof events
export type RequestIn<K extends RequestName> = z.input<(typeof requests)[K]['in']>
export type RequestOut<K extends RequestName> = z.infer<(typeof requests)[K]['out']>
export type EventPayload<K extends EventName> = z.infer<(typeof events)[K]>

export const requestNames = Object.keys(requests) as RequestName[]
export const eventNames = Object.keys(events) as EventName[]

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requests, name)
}

export const ErrorInfo = z.object({ code: z.string(), message: z.string() })
export type ErrorInfo = z.infer<typeof ErrorInfo>

/** What every request answers: a value, or a specific error meant for a person. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

export const EnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorInfo }),
])

/** A pushed event as it travels: its name and payload (a union, so checking `event` narrows `payload`). */
export type EventMessage = { [K in EventName]: { event: K; payload: EventPayload<K> } }[EventName]

export { describeIssues } from './issues.js'
