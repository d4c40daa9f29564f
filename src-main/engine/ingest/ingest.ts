import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { assertMigrated } from '../db/migrate.js'
import type { Db, Queryable, Tx } from '../db/types.js'
import { AssayError } from '../errors.js'
import { LOCK } from '../ops/locks.js'
import { BronzeWriter } from './bronze-writer.js'
import { CsvSplitter } from './csv-splitter.js'
import { hashFile } from './file-hash.js'
import type { ColumnMap } from './header.js'
import { LineProcessor } from './processor.js'
import { formatOf, probeFile } from './sniff.js'
import { DEFAULT_BATCH_ROWS, type IngestOptions, type IngestReport } from './types.js'
import { readXlsx } from './xlsx-reader.js'

/** Advisory-lock namespace: two ingests of the same content wait for each other instead of both loading. */

interface Previous {
  file_name: string
  ingested_at: string
  rows_loaded: number
}

async function findIngested(db: Queryable, sha256: string): Promise<Previous | undefined> {
  const { rows } = await db.query<Previous>({
    name: 'ingest/find-file',
    text: 'SELECT file_name, ingested_at, rows_loaded FROM bronze.ingested_files WHERE file_sha256 = $1',
    values: [sha256],
  })
  return rows[0]
}

/**
 * Loads an Online Retail file (.csv or .xlsx) into bronze.raw_transactions. The file is identified by its
 * SHA-256: the same content is never loaded twice. Its lines, its rejected lines and its
 * bronze.ingested_files row commit in one transaction on one session, so a file lands whole or not at all.
 * Refusals (wrong header, undecidable dates, not a retail file…) throw AssayErrors and write nothing.
 */
export async function ingestFile(db: Db, path: string, options: IngestOptions = {}): Promise<IngestReport> {
  const started = performance.now()
  const format = formatOf(path)
  const fileName = basename(path).slice(0, 255)
  const probe = await probeFile(path, format)
  await assertMigrated(db)
  const total = probe.bytes
  // The hash pass is the first half of the progress, the load the second.
  const sha256 = await hashFile(path, (bytes) => options.onProgress?.(bytes / 2, total))
  const base = { fileName, sha256, bytes: total, format, groups: [], blankLines: 0, loaded: 0, rejected: 0 }
  const already = (previous: Previous): IngestReport => ({
    ...base,
    status: 'already_ingested',
    previous: {
      fileName: previous.file_name,
      ingestedAt: previous.ingested_at,
      rowsLoaded: previous.rows_loaded,
    },
    seconds: (performance.now() - started) / 1000,
  })
  const previous = await findIngested(db, sha256)
  if (previous) return already(previous)

  return db.transaction(async (session) => {
    await session.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [
      LOCK.ingest,
      Number.parseInt(sha256.slice(0, 8), 16) | 0,
    ])
    const again = await findIngested(session, sha256)
    if (again) return already(again)
    const report = await load(session, path, { ...base, options, total, columns: probe.columns })
    await session.query({
      name: 'ingest/record-file',
      text: `INSERT INTO bronze.ingested_files (file_sha256, file_name, file_bytes, rows_loaded, rows_rejected, date_layout)
             VALUES ($1, $2, $3, $4, $5, $6)`,
      values: [sha256, fileName, total, report.loaded, report.rejected, report.dateLayout ?? null],
    })
    return { ...report, seconds: (performance.now() - started) / 1000 }
  })
}

interface LoadInput {
  fileName: string
  sha256: string
  format: 'csv' | 'xlsx'
  total: number
  options: IngestOptions
  columns?: ColumnMap
}

async function load(session: Tx, path: string, input: LoadInput): Promise<IngestReport> {
  const { options, total } = input
  const forced = options.dateFormat && options.dateFormat !== 'auto' ? options.dateFormat : undefined
  const writer = new BronzeWriter(
    session,
    input.fileName,
    input.sha256,
    options.batchRows ?? DEFAULT_BATCH_ROWS,
  )
  const progress = (bytes: number) => options.onProgress?.(total / 2 + bytes / 2, total)
  let sheet: string | undefined
  let skippedSheets: string[] | undefined
  let processor: LineProcessor
  if (input.format === 'csv') {
    const columns = input.columns!
    processor = new LineProcessor(writer, columns, forced)
    const splitter = new CsvSplitter(columns.width, processor)
    const hash = createHash('sha256')
    let bytes = 0
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
      hash.update(chunk as Buffer)
      bytes += (chunk as Buffer).length
      splitter.push(chunk as Buffer)
      if (writer.full) await writer.flush()
      progress(bytes)
    }
    splitter.end()
    if (hash.digest('hex') !== input.sha256) {
      throw new AssayError(
        'file_changed',
        `${input.fileName} changed while it was being read; nothing was written`,
      )
    }
  } else {
    const result = await readXlsx(
      path,
      (columns) => new LineProcessor(writer, columns, forced),
      writer,
      progress,
    )
    sheet = result.sheet
    skippedSheets = result.skippedSheets
    processor = result.processor
  }
  processor.finish()
  if (processor.dataLines === 0) {
    throw new AssayError('no_data', `${input.fileName} has a header but no data lines; nothing was written`)
  }
  await writer.finish()
  const slash = forced !== undefined || processor.decided
  return {
    status: 'loaded',
    fileName: input.fileName,
    sha256: input.sha256,
    bytes: total,
    format: input.format,
    sheet,
    skippedSheets,
    dateLayout: slash ? processor.layout : input.format === 'xlsx' ? 'excel' : 'iso',
    loaded: processor.loaded,
    rejected: processor.rejected,
    blankLines: processor.blankLines,
    groups: [...processor.groups.values()].sort((a, b) => b.count - a.count),
    seconds: 0,
  }
}
