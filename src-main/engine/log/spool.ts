import { randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LogRecord } from '../../../src-shared/pipeline.js'
import type { Queryable } from '../db/types.js'
import { INSERT_SPOOLED, logColumns } from './insert.js'

/**
 * The log spool: records that could not be written to ops.pipeline_logs (the table dropped, unwritable, the disk
 * full) when their run ended, kept as JSON lines in `<log dir>/spool/`, one file per hand-over. Each record gets a
 * metadata.spool_id there, so the back-fill inserts it exactly once however often it is repeated (a unique index
 * skips the ones already in) and deletes a file only after its records are in.
 */

/** The spool folder beside the log file. */
export function spoolDir(logDir: string): string {
  return join(logDir, 'spool')
}

/** Writes records to a new spool file (whole, then renamed into place, so a back-fill never reads half a file). */
export function spoolRecords(dir: string, records: LogRecord[]): string {
  mkdirSync(dir, { recursive: true })
  const lines = records.map((record) =>
    JSON.stringify({ ...record, metadata: { ...record.metadata, spool_id: randomUUID() } }),
  )
  const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${randomUUID().slice(0, 8)}.jsonl`
  const path = join(dir, name)
  writeFileSync(`${path}.tmp`, `${lines.join('\n')}\n`)
  renameSync(`${path}.tmp`, path)
  return path
}

export interface BackfillReport {
  files: number
  /** Records inserted now. */
  inserted: number
  /** Records found already in the table (an earlier back-fill got them in but did not delete the file). */
  present: number
}

/** Inserts every spooled record not yet in ops.pipeline_logs, then deletes its file. Throws if the table refuses. */
export async function backfillSpool(db: Queryable, dir: string, batchSize = 2000): Promise<BackfillReport> {
  const report: BackfillReport = { files: 0, inserted: 0, present: 0 }
  let names: string[]
  try {
    names = readdirSync(dir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort()
  } catch {
    return report
  }
  for (const name of names) {
    const path = join(dir, name)
    const records = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogRecord)
    for (let i = 0; i < records.length; i += batchSize) {
      const batch = records.slice(i, i + batchSize)
      const { rowCount } = await db.query(INSERT_SPOOLED, logColumns(batch))
      report.inserted += rowCount
      report.present += batch.length - rowCount
    }
    rmSync(path, { force: true })
    report.files++
  }
  return report
}
