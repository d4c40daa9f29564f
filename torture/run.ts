/**
 * The torture suite: `npm run torture -- [--trials N] [--scale S] [--seed N] [--short] [--only a,b]
 * [--trial I] [--parallel N] [--json FILE] [--source demo|synthetic] [--verbose] [--variant NAME]`.
 * Repeats randomized fault trials against scratch copies of a template database and prints, per fault, how
 * many trials survived and how many mismatches, double-counted months, lost months and stuck runs were found.
 * Exit 0 when every trial survived, 1 otherwise, 2 on bad usage.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ensureBuilt } from '../src-main/test-support/built-cli.js'
import type { GoldTable } from './checks.js'
import { dropAllCreated, dropDatabase, dropOrphans, pool, sqlOf } from './db.js'
import { concurrent } from './faults/concurrent.js'
import { kill } from './faults/kill.js'
import { logOutage } from './faults/log-outage.js'
import { outage } from './faults/outage.js'
import { silverChange } from './faults/silver-change.js'
import { terminate } from './faults/terminate.js'
import { availableCommands, buildTemplate, computeReference, oracleDisagreements } from './fixture.js'
import { runTrial } from './harness.js'
import { formatFailures, formatTable, formatVariants, summarise, writeJson } from './report.js'
import { freshSeed } from './rng.js'
import { ROOT } from './runner.js'
import type { FaultFamily, Suite, TrialOutcome } from './trial.js'

export const FAMILIES: Record<string, FaultFamily> = {
  kill,
  terminate,
  outage,
  concurrent,
  logs: logOutage,
  silver: silverChange,
}

function usage(message: string): never {
  process.stderr.write(
    `torture: ${message}\nusage: npm run torture -- [--trials N] [--scale S] [--seed N] [--short] [--only ${Object.keys(FAMILIES).join(',')}] [--trial I] [--parallel N] [--json FILE] [--source demo|synthetic] [--verbose] [--variant NAME]\n`,
  )
  process.exit(2)
}

function options() {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse()
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error))
  }
  const v = parsed.values
  const short = Boolean(v.short)
  const number = (name: string, value: string | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isFinite(n) || n < min) usage(`--${name} must be a number ≥ ${min} (got "${value}")`)
    return n
  }
  const only = v.only ? v.only.split(',').map((name) => name.trim()) : Object.keys(FAMILIES)
  for (const name of only) if (!FAMILIES[name]) usage(`unknown fault family "${name}"`)
  const families = only.map((name) => FAMILIES[name]!)
  const source = v.source ?? 'demo'
  if (source !== 'demo' && source !== 'synthetic') usage('--source must be demo or synthetic')
  return {
    families,
    keys: only,
    trials: Math.floor(number('trials', v.trials, short ? 2 * families.length : 200, 1)),
    scale: number('scale', v.scale, short ? 0.01 : 0.02, 0.0001),
    seed: Math.floor(number('seed', v.seed, freshSeed(), 0)),
    trial: v.trial === undefined ? undefined : Math.floor(number('trial', v.trial, 0, 0)),
    parallel: Math.floor(number('parallel', v.parallel, 3, 1)),
    json: v.json,
    source: source as 'demo' | 'synthetic',
    short,
    verbose: Boolean(v.verbose),
    variant: v.variant,
  }
}

function parse() {
  return parseArgs({
    options: {
      trials: { type: 'string' },
      scale: { type: 'string' },
      seed: { type: 'string' },
      short: { type: 'boolean' },
      only: { type: 'string' },
      trial: { type: 'string' },
      parallel: { type: 'string' },
      json: { type: 'string' },
      source: { type: 'string' },
      verbose: { type: 'boolean' },
      variant: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  })
}

/** The migrations on disk: if they change during a run, the template is stale and later trials are invalid. */
function migrationsOnDisk(): string {
  const dir = join(ROOT, 'sql')
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => `${file}@${statSync(join(dir, file)).mtimeMs}`)
    .join(',')
}

async function main(): Promise<number> {
  const opts = options()
  ensureBuilt()
  const started = Date.now()
  const migrations = migrationsOnDisk()
  const log = (message: string) => process.stderr.write(`${message}\n`)
  log(
    `torture: seed ${opts.seed}, scale ${opts.scale}, ${opts.trials} trial(s), ${opts.parallel} in parallel`,
  )
  const orphans = await dropOrphans()
  if (orphans.length > 0) log(`torture: dropped ${orphans.length} database(s) left by earlier runs`)
  const commands = await availableCommands()
  if (!commands.has('monthly')) {
    log(
      'torture: `assay monthly` is not available yet (src-main/engine/monthly is being written); nothing to torture',
    )
    return 1
  }
  const template = await buildTemplate(opts.scale, opts.seed, commands, opts.source)
  const tables: GoldTable[] = commands.has('reliable')
    ? ['gold.fact_sales_monthly', 'gold.fact_product_performance', 'gold.fact_country_sales']
    : ['gold.fact_sales_monthly']
  const reference = await computeReference(template.name, tables)
  log(
    `torture: template ${template.name} (${template.source} silver, ${template.silverRows} rows, ${template.months.length} months) ready in ${Date.now() - started} ms`,
  )
  const p = pool(template.name, 1)
  const disagreements = await oracleDisagreements(sqlOf(p), reference).finally(() => p.end())
  if (disagreements.length > 0) {
    log(
      `torture: the clean reference disagrees with the contract's sums over silver:\n  ${disagreements.join('\n  ')}`,
    )
  }
  const suite: Suite = {
    seed: opts.seed,
    scale: opts.scale,
    template: template.name,
    retry: { attempts: 5, baseMs: 50, maxMs: 400 },
    tables,
    reference,
    months: template.months,
    reliable: commands.has('reliable'),
    variant: opts.variant,
  }
  const indices = opts.trial === undefined ? Array.from({ length: opts.trials }, (_, i) => i) : [opts.trial]
  const outcomes: TrialOutcome[] = []
  let next = 0
  const lane = async () => {
    while (next < indices.length) {
      const index = indices[next++]!
      const family = opts.families[index % opts.families.length]!
      const outcome = await runTrial(suite, template.name, family, index)
      outcomes.push(outcome)
      const status = outcome.survived ? 'ok' : `FAILED (${outcome.failures[0] ?? 'see below'})`
      log(
        `[${String(outcomes.length).padStart(String(indices.length).length)}/${indices.length}] #${index} ${family.name}/${outcome.variant} ${(outcome.ms / 1000).toFixed(1)} s ${status}`,
      )
      if (opts.verbose) for (const note of outcome.notes) log(`      ${note}`)
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.parallel, indices.length) }, lane))
  await dropDatabase(template.name)
  outcomes.sort((a, b) => a.index - b.index)
  const names = opts.families.map((family) => family.name)
  const summary = summarise(outcomes, names)
  const seconds = Math.round((Date.now() - started) / 100) / 10
  const ok = outcomes.every((outcome) => outcome.survived) && disagreements.length === 0
  console.log(
    `\nTorture: seed ${opts.seed}, scale ${opts.scale} (${template.source} silver, ${template.months.length} months), ${seconds} s\n`,
  )
  console.log(formatTable(summary))
  console.log(`\nvariants:\n${formatVariants(outcomes, names)}`)
  const only =
    (opts.keys.length === Object.keys(FAMILIES).length ? '' : ` --only ${opts.keys.join(',')}`) +
    (opts.variant ? ` --variant ${opts.variant}` : '')
  const failures = formatFailures(
    outcomes,
    (outcome) =>
      `npm run torture -- --seed ${opts.seed} --scale ${opts.scale}${only} --trial ${outcome.index}`,
  )
  if (failures) console.log(`\nfailed trials:\n${failures}`)
  if (disagreements.length > 0) console.log(`\nreference vs contract sums:\n  ${disagreements.join('\n  ')}`)
  if (migrationsOnDisk() !== migrations)
    console.log(
      '\nWARNING: sql/ migrations changed during this run; trials after the change ran against a stale template — rerun',
    )
  console.log(ok ? '\nOK: every trial survived' : '\nFAILED')
  if (opts.json) {
    writeJson(opts.json, {
      seed: opts.seed,
      scale: opts.scale,
      startedAt: new Date(started).toISOString(),
      seconds,
      summary,
      trials: outcomes,
      ok,
    })
  }
  return ok ? 0 : 1
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `torture: unhandled rejection (harness bug): ${reason instanceof Error ? reason.stack : reason}\n`,
  )
  process.exitCode = 1
})

let stopping = false
process.on('SIGINT', () => {
  if (stopping) process.exit(130)
  stopping = true
  process.stderr.write('\ntorture: interrupted; dropping scratch databases\n')
  void dropAllCreated().finally(() => process.exit(130))
})

main()
  .then(async (code) => {
    await dropAllCreated()
    process.exit(code)
  })
  .catch(async (error) => {
    process.stderr.write(`torture: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`)
    await dropAllCreated()
    process.exit(1)
  })
