/**
 * CSV ingest into bronze (lines/s) and the silver build (seconds), on fresh databases: the demo data of the
 * scale, exported as an Online Retail CSV, ingested by `ingestFile` and modelled by `buildSilver`. The first
 * repetition's database becomes the silver template every later scenario of the scale clones.
 */
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ingestFile } from '../../src-main/engine/ingest/ingest.js'
import { buildSilver } from '../../src-main/engine/silver/build.js'
import { type BenchContext, heavyReps } from '../context.js'
import {
  createDatabase,
  dropDatabase,
  exists,
  renameDatabase,
  scratchName,
  withDatabase,
} from '../databases.js'
import { bronzeTemplate, emptyTemplate, exportBronzeCsv, templateName } from '../fixtures.js'
import { column, type MetricSpec } from '../results.js'
import { sampled, timeMs } from '../timing.js'

export const INGEST_SPEC = {
  area: 'ingest',
  label: 'CSV ingest into bronze (`ingestFile`: hash, parse, clean, COPY)',
  unit: 'lines/s',
  target: { op: '>=', value: 100_000 },
  scales: true,
} as const satisfies MetricSpec

export const SILVER_SPEC = {
  area: 'silver',
  label: 'silver build (`buildSilver`, from scratch)',
  unit: 's',
  scales: true,
} as const satisfies MetricSpec

export interface ScaleData {
  /** The silver template: bronze, silver and empty gold/ops, vacuumed and analysed. */
  silver: string
  /** The CSV of bronze (in the run's folder). */
  csv: string
  lines: number
}

/** Where the scale's CSV lives; exported from `source` (any database holding its bronze) when missing. */
export async function bronzeCsv(ctx: BenchContext, scale: number, source: string): Promise<string> {
  const file = join(ctx.tmp, `bronze-s${scale}.csv`)
  if (!existsSync(file)) await withDatabase(source, (db) => exportBronzeCsv(db, file))
  return file
}

/** Builds (or, with --keep, reuses) the scale's silver template, measuring ingest and silver on the way. */
export async function prepareScale(ctx: BenchContext, scale: number, measure: boolean): Promise<ScaleData> {
  const kept = templateName(ctx, 'silver', scale)
  if (ctx.keep && !measure && (await exists(kept))) {
    const csv = await bronzeCsv(ctx, scale, kept)
    const lines = await withDatabase(kept, async (db) => {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int8 AS n FROM bronze.raw_transactions',
      )
      return Number(rows[0]?.n)
    })
    ctx.log(`scale ${scale}: reusing template ${kept}`)
    return { silver: kept, csv, lines }
  }
  const col = column('pg', scale)
  const bronze = await bronzeTemplate(ctx, scale)
  if (bronze.seconds !== undefined) {
    ctx.results.record(
      'demo.load',
      { area: 'setup', label: 'demo data into bronze (COPY, for reference)', unit: 'lines/s', scales: true },
      col,
      { value: bronze.lines / bronze.seconds, detail: `${bronze.lines.toLocaleString('en')} lines, 1 run` },
    )
  }
  const csv = await bronzeCsv(ctx, scale, bronze.name)
  const megabytes = statSync(csv).size / 2 ** 20
  const empty = await emptyTemplate(ctx)
  const ingestRates: number[] = []
  const silverSeconds: number[] = []
  let first: string | undefined
  // Without `measure` (e.g. --only cli) one ingest builds the template and nothing is recorded.
  const reps = measure ? heavyReps(ctx, scale) : 1
  for (let rep = 0; rep < reps; rep++) {
    const name = await createDatabase(scratchName(`ingest_s${scale}`), { template: empty })
    await withDatabase(name, async (db) => {
      ctx.log(`scale ${scale}: ingest ${rep + 1}/${reps}`)
      let loaded = 0
      const ms = await timeMs(async () => {
        const report = await ingestFile(db, csv)
        if (report.rejected > 0 || report.loaded !== bronze.lines)
          throw new Error(
            `ingest loaded ${report.loaded} and rejected ${report.rejected} of ${bronze.lines} lines`,
          )
        loaded = report.loaded
      })
      ingestRates.push(loaded / (ms / 1000))
      ctx.log(`scale ${scale}: silver build ${rep + 1}/${reps}`)
      silverSeconds.push((await timeMs(() => buildSilver(db))) / 1000)
      if (rep === 0) await db.exec('VACUUM ANALYZE')
    })
    if (rep === 0) first = name
    else await dropDatabase(name)
  }
  if (measure) {
    const ingest = sampled(ingestRates)
    ctx.results.record('ingest.csv', INGEST_SPEC, col, {
      value: ingest.median,
      samples: ingest.samples,
      detail: `${bronze.lines.toLocaleString('en')} lines, ${megabytes.toFixed(0)} MB${reps !== ctx.reps ? `, ${reps} runs` : ''}`,
    })
    const silver = sampled(silverSeconds)
    ctx.results.record('silver.build', SILVER_SPEC, col, {
      value: silver.median,
      samples: silver.samples,
      detail: reps !== ctx.reps ? `${reps} runs` : undefined,
    })
  }
  if (!ctx.keep) await dropDatabase(bronze.name)
  if (ctx.keep) {
    if (await exists(kept)) await dropDatabase(kept)
    await renameDatabase(first!, kept, { keep: true })
    return { silver: kept, csv, lines: bronze.lines }
  }
  return { silver: first!, csv, lines: bronze.lines }
}
