/**
 * The embedded database (PGlite, on a data directory as users run it): the whole pipeline at one scale — CSV
 * ingest, silver, monthly (with its floor), reliable (with its floor) — in this process, for its ratio to
 * PostgreSQL.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { migrate } from '../../src-main/engine/db/migrate.js'
import { PgliteDb } from '../../src-main/engine/db/pglite.js'
import { ingestFile } from '../../src-main/engine/ingest/ingest.js'
import { buildSilver } from '../../src-main/engine/silver/build.js'
import type { BenchContext } from '../context.js'
import { column } from '../results.js'
import { timeMs } from '../timing.js'
import { INGEST_SPEC, SILVER_SPEC } from './ingest.js'
import { monthlyScenario } from './monthly.js'
import { reliableScenario } from './reliable.js'

export async function embeddedScenario(
  ctx: BenchContext,
  scale: number,
  csv: string,
  lines: number,
): Promise<void> {
  const col = column('pglite', scale)
  const dataDir = join(ctx.tmp, 'pglite')
  let db: PgliteDb | undefined
  const openMs = await timeMs(async () => {
    db = await PgliteDb.open({ kind: 'pglite', dataDir, source: 'bench' })
    await migrate(db)
  })
  ctx.results.note(
    `PGlite: creating the data directory and migrating took ${(openMs / 1000).toFixed(1)} s (not in the table)`,
  )
  try {
    ctx.log(`PGlite: ingest at scale ${scale}`)
    const ingestMs = await timeMs(async () => {
      const report = await ingestFile(db!, csv)
      if (report.loaded !== lines) throw new Error(`PGlite ingest loaded ${report.loaded} of ${lines} lines`)
    })
    ctx.results.record('ingest.csv', INGEST_SPEC, col, {
      value: lines / (ingestMs / 1000),
      detail: '1 run',
    })
    ctx.log(`PGlite: silver build at scale ${scale}`)
    const silverMs = await timeMs(() => buildSilver(db!))
    ctx.results.record('silver.build', SILVER_SPEC, col, {
      value: silverMs / 1000,
      detail: '1 run',
    })
    await db!.exec('VACUUM ANALYZE')
    ctx.log('PGlite: monthly')
    await monthlyScenario(ctx, db!, col)
    ctx.log('PGlite: reliable')
    await reliableScenario(ctx, db!, col)
  } finally {
    await db?.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
