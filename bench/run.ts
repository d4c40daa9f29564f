/**
 * `npm run bench -- [--scale S] [--embedded] [--json FILE] [--tiny] …`: measures Assay on scratch databases —
 * ingest, silver, the monthly and reliable pipelines against their floor (the same aggregations as bare SQL),
 * the log sink, the Logs view and its export over a million log rows, and live events — and prints a table
 * (also written to bench/RESULTS.md) and JSON. Every database it creates is dropped at the end.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PgDb } from '../src-main/engine/db/pg.js'
import { ensureBuilt } from '../src-main/test-support/built-cli.js'
import { type Area, type BenchOptions, PER_SCALE_AREAS, parseOptions, USAGE } from './args.js'
import type { BenchContext } from './context.js'
import { createDatabase, dropAll, dropDatabase, dropOrphans, open, scratchName, server } from './databases.js'
import { emptyTemplate } from './fixtures.js'
import { describeMachine, load } from './machine.js'
import { markdown, type RunInfo, writeJson } from './report.js'
import { column, Results } from './results.js'
import { cliDatabaseScenario, cliStartScenario } from './scenarios/cli.js'
import { embeddedScenario } from './scenarios/embedded.js'
import { explainScenario } from './scenarios/explain.js'
import { prepareScale, type ScaleData } from './scenarios/ingest.js'
import { liveScenario } from './scenarios/live.js'
import { sinkScenario } from './scenarios/log-sink.js'
import { fillLogs, logsScenario, searchIndexCost } from './scenarios/logs.js'
import { monthlyScenario } from './scenarios/monthly.js'
import { reliableScenario } from './scenarios/reliable.js'
import { silverScenario } from './scenarios/silver.js'
import { verifyScenario } from './scenarios/verify.js'

const log = (message: string) => process.stderr.write(`bench: ${message}\n`)

/** Runs a scenario, noting the load average before and after it. */
async function stage<T>(ctx: BenchContext, what: string, fn: () => Promise<T>): Promise<T> {
  const start = load()
  const t0 = performance.now()
  log(`${what} (load ${start[0]})`)
  try {
    return await fn()
  } finally {
    ctx.results.loads.push({
      what,
      start,
      end: load(),
      seconds: Math.round((performance.now() - t0) / 100) / 10,
    })
  }
}

/** The whole pipeline once (ingest → silver → monthly → reliable), from the medians, per column. */
function wholePipeline(results: Results, lines: Map<string, number>): void {
  const get = (id: string, col: string) => results.metrics.get(id)?.cells[col]?.value
  for (const [col, count] of lines) {
    const rate = get('ingest.csv', col)
    const silver = get('silver.build', col)
    const monthly = get('monthly.all', col)
    const reliable = get('reliable.all', col)
    if (rate === undefined || silver === undefined || monthly === undefined || reliable === undefined)
      continue
    results.record(
      'pipeline.whole',
      {
        area: 'whole',
        label: 'whole pipeline once: ingest → silver → monthly → reliable (sum of medians)',
        unit: 's',
        scales: true,
      },
      col,
      { value: count / rate + silver + monthly + reliable },
    )
  }
  // PGlite's whole pipeline against PostgreSQL's at the same scale (a target of #12).
  for (const col of lines.keys()) {
    if (!col.startsWith('pglite:')) continue
    const pg = `pg:${col.split(':')[1]}`
    const a = get('pipeline.whole', col)
    const b = get('pipeline.whole', pg)
    if (a === undefined || b === undefined) continue
    results.record(
      'pipeline.whole.pglite',
      {
        area: 'whole',
        label: `whole pipeline once, PGlite ÷ PostgreSQL (scale ${col.split(':')[1]})`,
        unit: '×',
        target: { op: '<=', value: 2 },
      },
      pg,
      { value: a / b, detail: `PGlite ${a.toFixed(1)} s, PostgreSQL ${b.toFixed(1)} s` },
    )
  }
}

async function perScale(
  ctx: BenchContext,
  options: BenchOptions,
  scale: number,
  data: ScaleData,
): Promise<void> {
  const wants = (a: Area) => options.areas.has(a)
  const col = column('pg', scale)
  if (wants('silver')) {
    // Its own clone: the scenario empties silver.
    const name = await createDatabase(scratchName(`silver_s${scale}`), {
      template: data.silver,
      large: scale >= 1,
    })
    const db = await open(name)
    try {
      await stage(ctx, `silver, scale ${scale}`, () => silverScenario(ctx, db, name, scale, col))
    } finally {
      await db.close()
      await dropDatabase(name)
    }
  }
  if (!(['monthly', 'reliable', 'verify', 'explain', 'sink', 'cli'] as const).some(wants)) return
  const name = await createDatabase(scratchName(`pipeline_s${scale}`), {
    template: data.silver,
    large: scale >= 1,
  })
  const db = await open(name)
  try {
    if (wants('cli'))
      await stage(ctx, `CLI whole-process, scale ${scale}`, () => cliDatabaseScenario(ctx, db, name, scale))
    if (wants('monthly')) await stage(ctx, `monthly, scale ${scale}`, () => monthlyScenario(ctx, db, col))
    if (wants('reliable')) await stage(ctx, `reliable, scale ${scale}`, () => reliableScenario(ctx, db, col))
    if (wants('verify')) await stage(ctx, `verify, scale ${scale}`, () => verifyScenario(ctx, db, col))
    if (wants('explain')) await stage(ctx, `explain, scale ${scale}`, () => explainScenario(ctx, db, col))
    if (wants('sink'))
      await stage(ctx, `log sink, scale ${scale}`, () => sinkScenario(ctx, db, col, options.sinkRecords))
  } finally {
    await db.close()
    await dropDatabase(name)
  }
}

async function logsAndLive(ctx: BenchContext, options: BenchOptions): Promise<void> {
  const wants = (a: Area) => options.areas.has(a)
  if (!wants('logs') && !wants('live')) return
  const name = await createDatabase(scratchName('logs'), { template: await emptyTemplate(ctx) })
  const db = await open(name)
  try {
    if (wants('logs')) {
      await stage(ctx, 'filling ops.pipeline_logs', () => fillLogs(ctx, db, options.logRows))
      await stage(ctx, 'logs view and export', () => logsScenario(ctx, db, name, options.logRows))
    }
    if (wants('live')) await stage(ctx, 'live events', () => liveScenario(ctx, db, name, options.liveEvents))
    if (wants('logs'))
      await stage(ctx, 'what search indexes cost the sink', () =>
        searchIndexCost(ctx, db, options.sinkRecords),
      )
  } finally {
    await db.close()
    await dropDatabase(name)
  }
}

/**
 * Replaces the generated part of RESULTS.md (between the markers), keeping the written text around it.
 * `--only cli` and `--only explain` have their own blocks, so a quick run of one area does not replace the full run's table.
 */
function writeResultsMarkdown(file: string, text: string, block: string): void {
  const START = `<!-- bench:${block}:start -->`
  const END = `<!-- bench:${block}:end -->`
  const generated = `${START}\n${text}\n${END}`
  const current = existsSync(file) ? readFileSync(file, 'utf8') : ''
  const start = current.indexOf(START)
  const end = current.indexOf(END)
  writeFileSync(
    file,
    start >= 0 && end > start
      ? `${current.slice(0, start)}${generated}${current.slice(end + END.length)}`
      : `${current}${current ? '\n' : ''}${generated}\n`,
  )
}

async function main(argv: string[]): Promise<number> {
  let options: BenchOptions | 'help'
  try {
    options = parseOptions(argv)
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : error}\n${USAGE}\n`)
    return 2
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  ensureBuilt()
  const started = performance.now()
  const startLoad = load()
  const tmp = mkdtempSync(join(tmpdir(), 'assay-bench-'))
  const results = new Results()
  const ctx: BenchContext = { results, reps: options.reps, tiny: options.tiny, keep: options.keep, tmp, log }
  const cleanup = async () => {
    await dropAll()
    rmSync(tmp, { recursive: true, force: true })
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      log(`${signal}: dropping the scratch databases`)
      void cleanup().finally(() => process.exit(130))
    })
  }
  // A closed pipe (`npm run bench | head`) must not kill the run before it has dropped its databases.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined)
  const orphans = await dropOrphans()
  if (orphans.length > 0)
    log(`dropped ${orphans.length} databases left by benchmark runs that died: ${orphans.join(', ')}`)
  const admin = await PgDb.open(server(), { max: 1, applicationName: 'assay-bench' })
  const machine = await describeMachine(admin)
  await admin.close()
  log(`${machine.cores} cores, ${machine.memoryGb} GB, ${machine.postgres}; load ${startLoad.join(' / ')}`)
  try {
    const embeddedScale = options.tiny ? Math.min(...options.scales) : 1
    const lines = new Map<string, number>()
    let embeddedData: ScaleData | undefined
    if (options.areas.has('cli')) await stage(ctx, 'CLI start-up', () => cliStartScenario(ctx))
    const scales = PER_SCALE_AREAS.some((a) => options.areas.has(a)) ? options.scales : []
    for (const scale of scales) {
      const data = await stage(ctx, `data for scale ${scale}`, () =>
        prepareScale(ctx, scale, options.areas.has('ingest')),
      )
      lines.set(column('pg', scale), data.lines)
      if (scale === embeddedScale) embeddedData = data
      await perScale(ctx, options, scale, data)
    }
    await logsAndLive(ctx, options)
    if (options.embedded) {
      embeddedData ??= await stage(ctx, `data for scale ${embeddedScale}`, () =>
        prepareScale(ctx, embeddedScale, false),
      )
      const data = embeddedData
      lines.set(column('pglite', embeddedScale), data.lines)
      await stage(ctx, `PGlite, scale ${embeddedScale}`, () =>
        embeddedScenario(ctx, embeddedScale, data.csv, data.lines),
      )
    }
    wholePipeline(results, lines)
  } finally {
    await cleanup()
  }
  if (options.tiny)
    results.note(
      '--tiny checks that the harness works: at scale 0.01 fixed costs dominate, so the targets mean nothing here',
    )
  results.note(
    `load average (1 min) around each stage: ${results.loads.map((l) => `${l.what} ${l.start[0]}→${l.end[0]}`).join('; ')}`,
  )
  const info: RunInfo = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    command: `npm run bench -- ${argv.join(' ')}`.trim(),
    reps: options.reps,
    machine,
    pglite: options.embedded ? '0.5.16 (PostgreSQL 18, WASM)' : undefined,
    load: { start: startLoad, end: load() },
    seconds: (performance.now() - started) / 1000,
  }
  const text = markdown(results, info)
  process.stdout.write(`\n${text}\n`)
  const json =
    options.json ?? join('bench', 'results', `${info.date.slice(0, 10)}${options.tiny ? '-tiny' : ''}.json`)
  mkdirSync(join(json, '..'), { recursive: true })
  writeJson(json, results, info)
  log(`JSON written to ${json}`)
  if (options.markdown) {
    // A run of one small area has its own block, so it does not replace the full run's table.
    const only = options.areas.size === 1 ? [...options.areas][0] : undefined
    const block = options.block ?? (only === 'cli' || only === 'explain' ? only : 'results')
    writeResultsMarkdown(join('bench', 'RESULTS.md'), text, block)
    log('table written to bench/RESULTS.md')
  }
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(
      `bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`,
    )
    process.exit(1)
  },
)
