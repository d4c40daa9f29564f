/**
 * A child process that exports ops.pipeline_logs to a CSV file through `exportCsv`, so its peak RSS is the
 * export's alone. Prints one JSON line: seconds, bytes, peak and baseline RSS (KiB).
 * Usage: node --import tsx bench/export-child.ts '<PostgresConfig JSON>' <file>
 */
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { PgDb } from '../src-main/engine/db/pg.js'
import { exportCsv } from '../src-main/engine/logs/index.js'

const [config, file] = process.argv.slice(2)
if (!config || !file) throw new Error('usage: export-child.ts <config json> <file>')
const db = await PgDb.open(JSON.parse(config), { max: 2, applicationName: 'assay-bench-export' })
const baselineRssKb = process.resourceUsage().maxRSS
let bytes = 0
const t0 = performance.now()
await pipeline(
  exportCsv(db, 'logs', {}, { bom: true, onProgress: (p) => (bytes = p.bytes) }),
  createWriteStream(file),
)
const seconds = (performance.now() - t0) / 1000
await db.close()
process.stdout.write(
  `${JSON.stringify({ seconds, bytes, maxRssKb: process.resourceUsage().maxRSS, baselineRssKb })}\n`,
)
