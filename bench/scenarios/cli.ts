/**
 * What users wait for: whole-process `assay` runs (the built CLI, spawned as a shell would), each interleaved
 * with a bare `node -e ''` in the same run, so Node's own start-up and the machine's load are visible beside it.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../../src-main/engine/db/types.js'
import { assayCli } from '../../src-main/test-support/built-cli.js'
import type { BenchContext } from '../context.js'
import { urlOf } from '../databases.js'
import { column, type MetricSpec } from '../results.js'
import { interleave, median, type Paired } from '../timing.js'
import { resetMonthly } from './pipeline-common.js'

const TIME = '/usr/bin/time'
const hasTime = existsSync(TIME)

/** CPU milliseconds (user + system) of each measured `assay` process, when /usr/bin/time is there to say. */
const cpuMs = new Map<string, number[]>()

/**
 * Milliseconds from spawn to exit of `node args…` (through /usr/bin/time where it exists, to also get the CPU
 * time: wall time on a loaded machine includes waiting for a core); a non-zero exit fails the benchmark.
 */
export function processMs(args: string[], cwd: string, cpuKey?: string): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
  for (const key of ['DATABASE_URL', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'ASSAY_DB', 'ASSAY_DATA_DIR'])
    delete env[key]
  const timeFile = join(cwd, 'time.txt')
  const [command, argv] =
    cpuKey && hasTime
      ? [TIME, ['-f', '%U %S', '-o', timeFile, process.execPath, ...args]]
      : [process.execPath, args]
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(command, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      const ms = performance.now() - t0
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`))
      if (cpuKey && hasTime) {
        const [user, system] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number)
        cpuMs.set(cpuKey, [...(cpuMs.get(cpuKey) ?? []), ((user ?? 0) + (system ?? 0)) * 1000])
      }
      resolve(ms)
    })
  })
}

const nothing = async () => undefined

/** `assay …args` against bare node, interleaved; records both medians and, where given, the target metric. */
export async function versusNode(
  ctx: BenchContext,
  args: string[],
  before: () => Promise<void> = nothing,
  budgetMs = 15_000,
): Promise<Paired> {
  return interleave(
    { before, measure: () => processMs([assayCli(), ...args], ctx.tmp, args.join(' ')) },
    { before: nothing, measure: () => processMs(['-e', ''], ctx.tmp, `node:${args.join(' ')}`) },
    { min: ctx.reps, max: ctx.tiny ? ctx.reps : ctx.reps * 4, budgetMs },
  )
}

export function record(
  ctx: BenchContext,
  id: string,
  spec: MetricSpec,
  col: string,
  run: Paired,
  value: number,
  args: string[],
): void {
  const key = args.join(' ')
  const cpu = cpuMs.get(key)
  const nodeCpu = cpuMs.get(`node:${key}`)
  cpuMs.delete(key)
  cpuMs.delete(`node:${key}`)
  ctx.results.record(id, spec, col, {
    value,
    samples: run.a.samples,
    detail:
      `assay ${Math.round(run.a.median)} ms, node -e '' ${Math.round(run.b.median)} ms (same run, interleaved)` +
      (cpu && nodeCpu
        ? `; CPU time: assay ${Math.round(median(cpu))} ms, node -e '' ${Math.round(median(nodeCpu))} ms`
        : ''),
  })
}

/** --version and --help: no database, so one column; the target is the extra time over bare node. */
export async function cliStartScenario(ctx: BenchContext): Promise<void> {
  const col = column('pg')
  for (const flag of ['--version', '--help']) {
    const run = await versusNode(ctx, [flag])
    record(
      ctx,
      `cli.${flag.slice(2)}`,
      {
        area: 'cli',
        label: `assay ${flag}: whole process, minus bare node`,
        unit: 'ms',
        target: { op: '<=', value: 80 },
      },
      col,
      run,
      run.a.median - run.b.median,
      [flag],
    )
  }
}

/** status, a no-op monthly and a full monthly, on the scale's pipeline database (PostgreSQL). */
export async function cliDatabaseScenario(
  ctx: BenchContext,
  db: Db,
  database: string,
  scale: number,
): Promise<void> {
  const col = column('pg', scale)
  const url = ['--database-url', urlOf(database)]
  const status = await versusNode(ctx, ['status', ...url])
  record(
    ctx,
    'cli.status',
    { area: 'cli', label: 'assay status: whole process', unit: 'ms', scales: true },
    col,
    status,
    status.a.median,
    ['status', ...url],
  )

  const full = await versusNode(ctx, ['monthly', ...url], () => resetMonthly(db), 60_000)
  record(
    ctx,
    'cli.monthly.all',
    {
      area: 'cli',
      label: 'assay monthly, all months from scratch: whole process (target at scale 1)',
      unit: 's',
      target: scale === 1 ? { op: '<=', value: 0.7 } : undefined,
      scales: true,
    },
    col,
    full,
    full.a.median / 1000,
    ['monthly', ...url],
  )

  // The last full run left every month completed: from here `assay monthly` has nothing to do.
  const noop = await versusNode(ctx, ['monthly', ...url])
  record(
    ctx,
    'cli.monthly.noop',
    {
      area: 'cli',
      label: 'assay monthly with nothing to do: whole process',
      unit: 'ms',
      target: { op: '<=', value: 300 },
    },
    col,
    noop,
    noop.a.median,
    ['monthly', ...url],
  )
}
