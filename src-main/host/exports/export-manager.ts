import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { pipeline, type Readable } from 'node:stream'
import { pipeline as pipelineAsync } from 'node:stream/promises'
import type { ExplainTarget } from '../../../src-shared/explain.js'
import type {
  ExportFilter,
  ExportProgress,
  ExportRequest,
  ExportStarted,
  ExportState,
} from '../../../src-shared/export.js'
import type { Db } from '../../engine/db/types.js'
import { AssayError, CancelledError, messageOf } from '../../engine/errors.js'
import { explainCount, explainCsv } from '../../engine/explain/index.js'
import { checkExportFilter, countExport } from '../../engine/logs/export-scope.js'
import { exportCsv } from '../../engine/logs/index.js'
import { PRIVATE_FILE_MODE, privatiseFile } from '../../engine/private-files.js'
import type { EventBus } from '../event-bus.js'
import type { Shell } from '../shell.js'
import { CsvCounter } from './csv-counter.js'

interface Job {
  id: string
  request: ExportRequest
  filename: string
  totalRows: number
  controller: AbortController
  state: ExportState
  expiry?: ReturnType<typeof setTimeout>
}

/** What the browser twin's HTTP endpoint streams to the browser. */
export interface Download {
  filename: string
  stream: Readable
}

/** An 'explain' export is one level, named in the filter's `explain` and nothing else. */
function explainTarget(filter: ExportFilter): ExplainTarget {
  const other = Object.entries(filter).find(([k, v]) => k !== 'explain' && v !== undefined && v !== '')
  if (other) throw new AssayError('export_filter', `an explain export cannot be filtered by ${other[0]}`)
  if (!filter.explain) throw new AssayError('export_filter', 'an explain export needs the level to export')
  return filter.explain
}

/** An export prepared for the browser must be fetched within this time. */
const OPEN_WITHIN_MS = 60_000

function fileName(request: ExportRequest): string {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
  const explain = request.filter.explain
  if (explain) return `assay-explain-${explain.of}-${explain.level}-${stamp}.csv`
  const filtered = Object.values(request.filter).some((v) => v !== undefined && v !== '')
  return `assay-${request.table}${filtered ? '-filtered' : ''}-${stamp}.csv`
}

/**
 * CSV exports, streamed from the database (the engine's COPY … TO STDOUT) with progress and cancel. In the
 * desktop app the host writes the file the save dialog chose; in the browser twin the export waits for the
 * browser to fetch it from the server's download endpoint. Progress goes out as `export:progress` events.
 */
export class ExportManager {
  private readonly jobs = new Map<string, Job>()

  constructor(private readonly deps: { db: () => Db; bus: EventBus; shell: Shell }) {}

  count(request: Pick<ExportRequest, 'table' | 'filter'>): Promise<number> {
    if (request.table === 'explain') return explainCount(this.deps.db(), explainTarget(request.filter))
    return countExport(this.deps.db(), request.table, request.filter)
  }

  async start(input: ExportRequest): Promise<ExportStarted> {
    const request =
      input.table === 'explain'
        ? { ...input, filter: { explain: explainTarget(input.filter) } }
        : { ...input, filter: checkExportFilter(input.table, input.filter) }
    const totalRows = await this.count(request)
    const filename = fileName(request)
    const dialog = this.deps.shell.saveDialog
    if (dialog) {
      const path = await dialog(filename)
      if (!path) return { exportId: null, filename, destination: 'file', path: null, totalRows }
      const job = this.create(request, filename, totalRows)
      void this.toFile(job, path)
      return { exportId: job.id, filename, destination: 'file', path, totalRows }
    }
    const job = this.create(request, filename, totalRows)
    job.expiry = setTimeout(
      () => this.finish(job, 'cancelled', 0, 0, 'the download was never started'),
      OPEN_WITHIN_MS,
    )
    job.expiry.unref?.()
    return { exportId: job.id, filename, destination: 'download', path: null, totalRows }
  }

  /** The CSV of a prepared download, once; the stream fails if the export is cancelled or the database fails. */
  open(exportId: string): Download {
    const job = this.jobs.get(exportId)
    if (job?.state !== 'waiting')
      throw new AssayError(
        'not_found',
        `no export ${exportId} waiting to be downloaded (each link works once)`,
      )
    clearTimeout(job.expiry)
    return { filename: job.filename, stream: this.produce(job) }
  }

  cancel(exportId: string): { cancelled: boolean } {
    const job = this.jobs.get(exportId)
    if (!job || (job.state !== 'waiting' && job.state !== 'running')) return { cancelled: false }
    if (job.state === 'waiting') this.finish(job, 'cancelled', 0, 0, 'cancelled')
    job.controller.abort()
    return { cancelled: true }
  }

  close(): void {
    for (const job of this.jobs.values()) this.cancel(job.id)
  }

  private create(request: ExportRequest, filename: string, totalRows: number): Job {
    const job: Job = {
      id: randomUUID(),
      request,
      filename,
      totalRows,
      controller: new AbortController(),
      state: 'waiting',
    }
    this.jobs.set(job.id, job)
    return job
  }

  /** The export through a row counter; `finishOnEnd` false leaves "done" to the caller (a file is done once closed). */
  private produce(job: Job, finishOnEnd = true): CsvCounter {
    const { table, filter, bom } = job.request
    job.state = 'running'
    this.emit(job, 0, 0, null, null)
    const options = { bom, signal: job.controller.signal }
    const source =
      table === 'explain'
        ? explainCsv(this.deps.db(), filter.explain, options)
        : exportCsv(this.deps.db(), table, filter, options)
    const counter = new CsvCounter((rows, bytes) => this.emit(job, rows, bytes, null, null))
    // The reader going away (a cancelled browser download) stops the statement too.
    counter.once('close', () => {
      if (job.state === 'running' && !counter.readableEnded) job.controller.abort()
    })
    if (finishOnEnd) counter.once('end', () => this.finish(job, 'done', counter.rows, counter.bytes, null))
    pipeline(source, counter, (error) => {
      if (!error || job.state !== 'running') return
      const cancelled = error instanceof CancelledError || job.controller.signal.aborted
      this.finish(
        job,
        cancelled ? 'cancelled' : 'failed',
        counter.rows,
        counter.bytes,
        cancelled ? 'cancelled' : messageOf(error),
      )
    })
    return counter
  }

  private async toFile(job: Job, path: string): Promise<void> {
    const counter = this.produce(job, false)
    try {
      // An export is business data: this user's alone, whether the file is new or overwritten.
      await pipelineAsync(counter, createWriteStream(path, { mode: PRIVATE_FILE_MODE }))
      privatiseFile(path)
      this.finish(job, 'done', counter.rows, counter.bytes, null, path)
    } catch (error) {
      // A half-written file must not look like an export.
      await unlink(path).catch(() => undefined)
      this.finish(job, 'failed', counter.rows, counter.bytes, `could not write ${path}: ${messageOf(error)}`)
    }
  }

  private finish(
    job: Job,
    state: ExportState,
    rows: number,
    bytes: number,
    message: string | null,
    path: string | null = null,
  ): void {
    if (job.state === 'done' || job.state === 'failed' || job.state === 'cancelled') return
    clearTimeout(job.expiry)
    job.state = state
    this.emit(job, rows, bytes, message, path)
    // Kept a little so a late cancel or second open gets a clear answer, then forgotten.
    setTimeout(() => this.jobs.delete(job.id), 60_000).unref?.()
  }

  private emit(job: Job, rows: number, bytes: number, message: string | null, path: string | null): void {
    const progress: ExportProgress = {
      exportId: job.id,
      state: job.state,
      bytes,
      rows,
      totalRows: job.totalRows,
      message,
      path,
    }
    this.deps.bus.emit('export:progress', progress)
  }
}
