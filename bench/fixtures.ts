/**
 * The data every scale's scenarios share, built once: a migrated empty database, a bronze template (demo data),
 * the CSV exported from it, and a silver template. With --keep the templates survive the run (named by the
 * migrations' checksum, so a schema change builds new ones).
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { loadMigrations, migrate } from '../src-main/engine/db/migrate.js'
import type { Db } from '../src-main/engine/db/types.js'
import { loadDemo } from '../src-main/engine/demo/demo.js'
import type { BenchContext } from './context.js'
import { createDatabase, exists, scratchName, withDatabase } from './databases.js'

const schemaHash = createHash('sha256')
  .update(
    loadMigrations()
      .map((m) => m.checksum)
      .join(','),
  )
  .digest('hex')
  .slice(0, 8)

function scaleTag(scale: number): string {
  return String(scale).replace('.', 'p')
}

/** A template's name: kept templates are shared between runs, others are this run's. */
export function templateName(ctx: BenchContext, kind: string, scale?: number): string {
  const suffix = `${kind}${scale === undefined ? '' : `_s${scaleTag(scale)}`}`
  return ctx.keep ? `assay_bench_tpl_${suffix}_${schemaHash}` : scratchName(`tpl_${suffix}`)
}

let empty: Promise<string> | undefined

/** A migrated, empty database to clone (ingest reps, the log-table database). */
export function emptyTemplate(ctx: BenchContext): Promise<string> {
  empty ??= (async () => {
    const name = templateName(ctx, 'empty')
    if (ctx.keep && (await exists(name))) return name
    await createDatabase(name, { keep: ctx.keep })
    await withDatabase(name, (db) => migrate(db))
    return name
  })()
  return empty
}

/** A database with the demo data of `scale` in bronze; the load's seconds are returned when it was built now. */
export async function bronzeTemplate(
  ctx: BenchContext,
  scale: number,
): Promise<{ name: string; lines: number; seconds?: number }> {
  const name = templateName(ctx, 'bronze', scale)
  if (ctx.keep && (await exists(name))) {
    const lines = await withDatabase(name, async (db) => {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int8 AS n FROM bronze.raw_transactions',
      )
      return Number(rows[0]?.n)
    })
    return { name, lines }
  }
  await createDatabase(name, { template: await emptyTemplate(ctx), keep: ctx.keep })
  ctx.log(`loading demo data at scale ${scale} into bronze`)
  const report = await withDatabase(name, (db) => loadDemo(db, { scale, seed: 42 }))
  return { name, lines: report.lines, seconds: report.seconds }
}

/** Bronze as an Online Retail CSV (the header ingest expects, ISO dates), written through COPY TO STDOUT. */
export async function exportBronzeCsv(db: Db, file: string): Promise<void> {
  const stream = db.copyOut(
    `COPY (SELECT invoiceno AS "InvoiceNo", stockcode AS "StockCode", description AS "Description",
                  quantity AS "Quantity", to_char(invoicedate, 'YYYY-MM-DD HH24:MI:SS') AS "InvoiceDate",
                  unitprice AS "UnitPrice", customerid AS "CustomerID", country AS "Country"
           FROM bronze.raw_transactions ORDER BY id) TO STDOUT (FORMAT csv, HEADER)`,
  )
  await pipeline(stream, createWriteStream(file))
}
