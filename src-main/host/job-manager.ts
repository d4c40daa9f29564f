import { randomUUID } from 'node:crypto'
import type { JobSnapshot, JobStatus, RunOptions } from '../../src-shared/contract.js'
import type { PipelineKind, RetrySettings, RunEvent, RunSummary } from '../../src-shared/pipeline.js'
import { applyJobEvents } from '../../src-shared/run-progress.js'
import type { EngineApi, RunHooks } from '../engine/api.js'
import type { Db } from '../engine/db/types.js'
import { AssayError, CancelledError, messageOf } from '../engine/errors.js'
import { assertNotAllBusy } from './busy-months.js'
import { Batcher, type EventBus } from './event-bus.js'

export interface JobManagerDeps {
  engine: EngineApi
  db: () => Db
  bus: EventBus
  /** Progress batching interval (~10 batches a second). */
  batchMs?: number
  /** The retry policy runs started here use (Settings → retry policy); the engine's default without it. */
  retry?: () => RetrySettings
}

/** What a start may add to the run form's options. */
export interface StartExtras {
  /** A failed reliable run to resume: its completed stages are skipped. */
  resume?: string
}

interface ActiveJob {
  snapshot: JobSnapshot
  controller: AbortController
  done: Promise<void>
}

function pipelinesOf(options: RunOptions): PipelineKind[] {
  return options.pipeline === 'both' ? ['monthly', 'reliable'] : [options.pipeline]
}

function jobStatus(summary: RunSummary): JobStatus {
  return summary.status === 'running' ? 'failed' : summary.status
}

/**
 * Runs pipeline jobs through the engine, one at a time per host. A job is the run(s) one click started;
 * its snapshot is kept current from the engine's events, which go out in batches with their seq.
 */
export class JobManager {
  private job: ActiveJob | undefined

  constructor(private readonly deps: JobManagerDeps) {}

  /** The current or last job, for a renderer that has just (re)connected. */
  snapshot(): JobSnapshot | null {
    return this.job?.snapshot ?? null
  }

  /** Forgets a finished job: after a switch of database, its "last run" belongs to the other database. */
  forget(): void {
    if (!this.isRunning()) this.job = undefined
  }

  isRunning(): boolean {
    return this.job?.snapshot.status === 'running'
  }

  /** Starts a job; resolves once its first run has started (or rejects with the reason it could not). */
  async start(options: RunOptions, extras: StartExtras = {}): Promise<{ jobId: string; runId: string }> {
    if (this.isRunning()) {
      const current = this.job!.snapshot
      throw new AssayError(
        'run_active',
        `a ${current.options.pipeline} run started at ${current.startedAt.slice(11, 19)} UTC is still active in this console — wait for it or cancel it`,
      )
    }
    const db = this.deps.db()
    if (options.pipeline !== 'reliable')
      assertNotAllBusy(options.scope, await this.deps.engine.monthStates(db))
    if (this.isRunning()) throw new AssayError('run_active', 'a run was started in this console a moment ago')
    const previous = this.job
    const controller = new AbortController()
    const snapshot: JobSnapshot = {
      jobId: randomUUID(),
      options,
      status: 'running',
      cancelRequested: false,
      startedAt: new Date().toISOString(),
      endedAt: null,
      error: null,
      runs: [],
    }
    let resolveFirst!: (runId: string) => void
    let rejectFirst!: (error: unknown) => void
    const first = new Promise<string>((resolve, reject) => {
      resolveFirst = resolve
      rejectFirst = reject
    })
    const job: ActiveJob = { snapshot, controller, done: Promise.resolve() }
    this.job = job
    const batcher = new Batcher<RunEvent>(this.deps.batchMs ?? 100, (events) =>
      this.deps.bus.emit('run:events', events),
    )
    let announced = false
    const hooks: RunHooks = {
      trigger: 'console',
      signal: controller.signal,
      stdout: 'none',
      retry: this.deps.retry?.(),
      onEvent: (event) => {
        job.snapshot = applyJobEvents(job.snapshot, [event]).job
        // Consoles hear of the job once its first run exists (a start refused before that never shows up).
        if (!announced && event.type === 'run.started') {
          announced = true
          this.deps.bus.emit('job:changed', job.snapshot)
        }
        batcher.push(event)
        if (event.type === 'run.started') resolveFirst(event.runId)
      },
    }
    job.done = (async () => {
      let status: JobStatus = 'completed'
      let error: string | null = null
      try {
        for (const pipeline of pipelinesOf(options)) {
          if (controller.signal.aborted) {
            status = 'cancelled'
            break
          }
          const summary =
            pipeline === 'monthly'
              ? await this.deps.engine.runMonthly(db, { scope: options.scope, force: options.force }, hooks)
              : await this.deps.engine.runReliable(db, { resume: extras.resume }, hooks)
          resolveFirst(summary.runId)
          status = jobStatus(summary)
          error = summary.error
          if (status !== 'completed') break
        }
      } catch (caught) {
        status = caught instanceof CancelledError || controller.signal.aborted ? 'cancelled' : 'failed'
        error = messageOf(caught)
        if (job.snapshot.runs.length === 0) {
          // Nothing started: the caller gets the reason inline and the previous job stays the last one.
          this.job = previous
          rejectFirst(caught)
          return
        }
      }
      batcher.flush()
      job.snapshot = { ...job.snapshot, status, error, endedAt: new Date().toISOString() }
      this.deps.bus.emit('job:changed', job.snapshot)
    })()
    const runId = await first
    return { jobId: snapshot.jobId, runId }
  }

  /** Asks the running job to stop: the engine rolls back the unit in flight and records the run as cancelled. */
  cancel(jobId: string): { cancelled: boolean } {
    const job = this.job
    if (!job || job.snapshot.jobId !== jobId) {
      throw new AssayError('not_found', `no job ${jobId} in this console`)
    }
    if (job.snapshot.status !== 'running') return { cancelled: false }
    if (!job.snapshot.cancelRequested) {
      job.snapshot = { ...job.snapshot, cancelRequested: true }
      job.controller.abort('cancelled from the console')
      this.deps.bus.emit('job:changed', job.snapshot)
    }
    return { cancelled: true }
  }

  /** Cancels any running job and waits for it to stop (host shutdown). */
  async close(): Promise<void> {
    const job = this.job
    if (!job) return
    if (job.snapshot.status === 'running') job.controller.abort('the console is closing')
    await job.done.catch(() => undefined)
  }
}
