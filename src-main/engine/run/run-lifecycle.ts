import { randomUUID } from 'node:crypto'
import type {
  PipelineKind,
  RetrySettings,
  RunEvent,
  RunEventInput,
  RunStatus,
} from '../../../src-shared/pipeline.js'
import type { RunHooks } from '../api.js'
import type { Db } from '../db/types.js'
import { CancelledError, messageOf, throwIfAborted } from '../errors.js'
import { createRunLogger, type Logger } from '../log/index.js'
import {
  describeReaped,
  finishRun,
  GONE_RUNNER_GRACE_MS,
  type NewRun,
  type RunProgress,
  reapInterrupted,
  recordProgress,
  runEmitter,
  startRun,
} from '../ops/runs.js'
import { preflight } from '../preflight.js'
import { backoffDelay, parseRetrySettings, withRetry } from '../retry.js'
import { RunnerSession } from './runner-session.js'

/** What a pipeline tells the lifecycle about itself and its run. */
export interface RunSpec<P> {
  pipeline: PipelineKind
  /** The seed's pipeline name its runs, checkpoints and logs carry. */
  pipelineName: string
  /** The run logger's name and module ('assay.monthly', 'monthly/run'). */
  logger: { logger: string; module: string }
  /** The pipeline's own preparation (planning, a resume's plan), after preflight and reaping; a refusal throws. */
  prepare: (run: { runId: string; logger: Logger; settings: RetrySettings }) => Promise<P>
  /** What ops.pipeline_runs records about the run, from the preparation. */
  record: (plan: P, settings: RetrySettings) => Pick<NewRun, 'args' | 'planned' | 'resumedFrom'>
  /**
   * The pipeline's work runs on the run's session, so its bookkeeping may commit without the WAL flush (its
   * data commits flush it; see RunnerSession) and a cancel targets that session's backend.
   */
  worksOnRunSession?: boolean
  /** How often `heartbeat` writes the run's progress at most (0: every call). */
  progressIntervalMs: number
}

/** What every unit of a run (a month, a stage) shares from it. */
export interface RunScope {
  db: Db
  runId: string
  pipelineName: string
  settings: RetrySettings
  signal?: AbortSignal
  logger: Logger
  emit: (event: RunEventInput) => RunEvent
  /** Counts a retry towards the run's total. */
  countRetry: () => void
}

/** How a run ended, as the pipeline found it. */
export interface Outcome {
  status: Exclude<RunStatus, 'running' | 'interrupted'>
  error: string | null
  sqlstate?: string | null
}

/**
 * How a run ended, as recorded: when the final status could not be written, `interrupted` (what the database
 * says once the next run reaps it, so the console never shows Failed where Runs shows Interrupted) and the
 * error carries a note.
 */
export interface RunEnd {
  status: Exclude<RunStatus, 'running'>
  durationMs: number
  error: string | null
}

export interface FinishOptions {
  /** Bookkeeping the run still owes, written before (and retried with) the final status. */
  before?: () => Promise<void>
  /** The pipeline's closing log line(s), written before `run.finished` is emitted. */
  report: (end: RunEnd) => void
}

/**
 * One run's lifecycle, the same for both pipelines. `openRun` validates the retry settings, checks the database
 * (preflight), marks runs whose runner died as interrupted, lets the pipeline prepare, and records the run as
 * `running` on the run's own session, which holds the run's advisory lock until `finish` (that lock is how
 * anyone tells a live run from a dead one). Everything before the run is recorded is retried, so a connection
 * lost at start-up does not fail the run; refusals (not initialised, a bad --resume) throw at once.
 */
export class Run {
  /** What the run has done so far, as its row records it (heartbeat and finish write it). */
  readonly progress: Required<RunProgress> = { planned: [], done: [], skipped: [], failed: [], retries: 0 }
  private readonly started = performance.now()
  private lastProgress = performance.now()
  private readonly onAbort: () => void

  private constructor(
    readonly db: Db,
    readonly pipelineName: string,
    readonly hooks: RunHooks,
    readonly runId: string,
    readonly settings: RetrySettings,
    readonly logger: Logger,
    readonly emit: (event: RunEventInput) => RunEvent,
    /** The session the run is recorded and locked on (and, in a monthly run, works on). */
    readonly session: RunnerSession,
    private readonly progressIntervalMs: number,
  ) {
    // pg_cancel_backend on the run's session: the statement in flight fails and its transaction rolls back.
    this.onAbort = () => {
      const pid = session.pid
      if (pid !== undefined) db.cancel(pid).catch(() => undefined)
    }
    hooks.signal?.addEventListener('abort', this.onAbort)
  }

  /** Starts a run; throws (having cleaned up) when it could not be recorded. */
  static async open<P>(db: Db, hooks: RunHooks, spec: RunSpec<P>): Promise<{ run: Run; plan: P }> {
    const settings = parseRetrySettings(hooks.retry)
    throwIfAborted(hooks.signal)
    const runId = randomUUID()
    const { logger } = createRunLogger(db, hooks, { pipelineName: spec.pipelineName, runId, ...spec.logger })
    const session = new RunnerSession(db, runId, spec.worksOnRunSession)
    const run = new Run(
      db,
      spec.pipelineName,
      hooks,
      runId,
      settings,
      logger,
      runEmitter(runId, hooks.onEvent),
      session,
      spec.progressIntervalMs,
    )
    const retried = <T>(fn: () => Promise<T>) => withRetry(db, fn, settings, { signal: hooks.signal })
    try {
      const plan = await retried(async () => {
        await preflight(db, spec.pipeline)
        const reaped = await reapInterrupted(db, { graceMs: GONE_RUNNER_GRACE_MS })
        if (reaped.length > 0) logger.info(describeReaped(reaped), { reaped })
        return spec.prepare({ runId, logger, settings })
      })
      const record = spec.record(plan, settings)
      run.progress.planned = record.planned
      // startRun is idempotent: the insert may have committed before a lost connection hid the answer.
      await retried(() =>
        session.use((s) =>
          startRun(s, {
            runId,
            pipeline: spec.pipeline,
            pipelineName: spec.pipelineName,
            trigger: hooks.trigger,
            ...record,
          }),
        ),
      )
      session.noteRunLocked()
      run.emit({ type: 'run.started', pipeline: spec.pipeline, planned: record.planned, dryRun: false })
      return { run, plan }
    } catch (error) {
      await run.close()
      throw hooks.signal?.aborted ? new CancelledError() : error
    }
  }

  /** What the run's units share. */
  scope(): RunScope {
    return {
      db: this.db,
      runId: this.runId,
      pipelineName: this.pipelineName,
      settings: this.settings,
      signal: this.hooks.signal,
      logger: this.logger,
      emit: this.emit,
      countRetry: () => {
        this.progress.retries++
      },
    }
  }

  /** Writes the run's progress for consoles in other processes (events are live), at most every interval. */
  async heartbeat(): Promise<void> {
    if (performance.now() - this.lastProgress < this.progressIntervalMs) return
    await this.session
      .use((s) => recordProgress(s, this.runId, this.progress))
      .catch((error) => this.logger.debug(`could not record the run's progress: ${messageOf(error)}`))
    this.lastProgress = performance.now()
  }

  /**
   * Records the final status (releasing the run's lock), trying for as long as the retry budget allows: a
   * broken session is replaced (RunnerSession re-takes the lock). Bookkeeping skips the circuit breaker: the
   * run's outcome is worth one more knock. If the database never answers, the next run marks this one
   * interrupted. Then reports, emits `run.finished` and closes the run. Never throws.
   */
  async finish(outcome: Outcome, options: FinishOptions): Promise<RunEnd> {
    let lastError: unknown
    for (let attempt = 1; attempt <= this.settings.maxAttempts; attempt++) {
      try {
        await options.before?.()
        const detail = outcome.error
          ? { error: outcome.error, sqlstate: outcome.sqlstate ?? null }
          : undefined
        await this.session.use((s) => finishRun(s, this.runId, outcome.status, this.progress, detail))
        lastError = undefined
        break
      } catch (error) {
        lastError = error
        if (attempt < this.settings.maxAttempts)
          await new Promise((r) => setTimeout(r, backoffDelay(attempt, this.settings)))
      }
    }
    let error = outcome.error
    if (lastError) {
      const note = `the run's final status could not be recorded (${messageOf(lastError)}); the next run marks it interrupted`
      this.logger.error(note, { error: messageOf(lastError), status: outcome.status })
      error = error ? `${error}; ${note}` : note
    }
    const end: RunEnd = {
      status: lastError ? 'interrupted' : outcome.status,
      durationMs: Math.round(performance.now() - this.started),
      error,
    }
    try {
      options.report(end)
    } finally {
      this.emit({ type: 'run.finished', status: end.status, durationMs: end.durationMs, error })
      await this.close()
    }
    return end
  }

  /** Gives the session back (closed after a cancel: a cancel request in flight must not hit its next user). */
  private async close(): Promise<void> {
    this.hooks.signal?.removeEventListener('abort', this.onAbort)
    await this.session.release(!this.hooks.signal?.aborted)
    await this.logger.close()
  }
}
