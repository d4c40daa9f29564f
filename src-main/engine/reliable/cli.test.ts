import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type CliProcess, databaseUrl, spawnAssay } from '../../test-support/cli-process.js'
import { type Scratch, scratchPg } from '../../test-support/scratch.js'
import { SEED_LOG_COLUMNS } from '../../test-support/seed.js'
import { getRun } from '../ops/read/runs.js'
import { defaultFixture, loadFixture } from './fixture.js'

/** `assay reliable` end to end: exit codes, stdout JSON lines, the run left in the database. */
describe('assay reliable (CLI, PostgreSQL)', () => {
  let s: Scratch
  let url: string
  let logDir: string

  beforeAll(async () => {
    s = await scratchPg()
    url = databaseUrl(s.config!)
    logDir = mkdtempSync(join(tmpdir(), 'assay-cli-'))
  })
  afterAll(async () => {
    await s.dispose()
    rmSync(logDir, { recursive: true, force: true })
  })
  beforeEach(async () => {
    await loadFixture(s.db, defaultFixture())
  })

  /** `assay <command> <args>` from a scratch folder (no stray .env), logging there too. */
  function start(args: string[], env: Record<string, string> = {}, command = 'reliable'): CliProcess {
    const base = { HOME: logDir, DATABASE_URL: url, ASSAY_LOG_DIR: logDir, ASSAY_RETRY_BASE_MS: '10' }
    return spawnAssay([command, ...args], { ...base, ...env }, logDir)
  }
  const finish = (cli: CliProcess) => cli.done

  const assay = (args: string[], env?: Record<string, string>) => finish(start(args, env))
  const jsonLines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  const runIdOf = (stderr: string) => /run ([0-9a-f-]{36})/.exec(stderr)?.[1] ?? ''

  it('exits 0 on success and prints the seed-shaped JSON lines with --log-format json', async () => {
    const out = await assay(['--log-format', 'json'])
    expect(out.stderr).toMatch(/completed in/)
    expect(out.code).toBe(0)
    const lines = jsonLines(out.stdout)
    expect(lines.length).toBeGreaterThanOrEqual(6)
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(SEED_LOG_COLUMNS)
      expect(line.pipeline_name).toBe('reliable_gold_pipeline')
    }
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      message: 'Database connection established',
      metadata: { db_host: s.config?.host, db_port: s.config?.port },
    })
    expect(lines.some((l) => l.level === 'DEBUG')).toBe(false)
    expect((await getRun(s.db, runIdOf(out.stderr)))?.status).toBe('completed')
  })

  it('--verbose adds DEBUG lines', async () => {
    const out = await assay(['--log-format', 'json', '--verbose'])
    expect(out.code).toBe(0)
    expect(jsonLines(out.stdout).some((l) => l.level === 'DEBUG')).toBe(true)
  })

  it('exits 1 when a stage fails, names the resume command, and --resume then exits 0', async () => {
    const failed = await assay(['--log-format', 'json'], { ASSAY_FAULTS: 'stage:country_sales:permanent' })
    expect(failed.code).toBe(1)
    const runId = runIdOf(failed.stderr)
    expect(failed.stderr).toContain(`assay reliable --resume ${runId}`)
    expect(failed.stderr).toContain('[SQLSTATE 22012]')
    expect(jsonLines(failed.stdout).some((l) => l.level === 'ERROR')).toBe(true)

    const resumed = await assay(['--resume', runId, '--log-format', 'pretty'])
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toMatch(/completed in .*done: country_sales; skipped: product_performance/)
    expect(resumed.stdout).toMatch(/INFO +Stage product_performance skipped: completed in run/)
  })

  it('assay runs lists runs (newest first) and runs show gives a run with its checkpoints and errors', async () => {
    const failed = await assay(['--log-format', 'json'], { ASSAY_FAULTS: 'stage:country_sales:permanent' })
    const runId = runIdOf(failed.stderr)
    const list = await finish(start(['--json', '--limit', '1'], {}, 'runs'))
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout)).toMatchObject([{ runId, status: 'failed', sqlstate: '22012' }])
    const table = await finish(start([], {}, 'runs'))
    expect(table.stdout.split('\n')[0]).toMatch(/^RUN ID +PIPELINE +STATUS/)
    const show = await finish(start(['show', runId, '--json'], {}, 'runs'))
    expect(show.code).toBe(0)
    const shown = JSON.parse(show.stdout)
    expect(shown.run).toMatchObject({ runId, status: 'failed' })
    expect(shown.checkpoints.map((c: { stage: string; status: string }) => [c.stage, c.status])).toEqual([
      ['product_performance', 'completed'],
      ['country_sales', 'failed'],
    ])
    expect(shown.logs.map((l: { level: string }) => l.level)).toEqual(['ERROR', 'ERROR'])
    const missing = await finish(start(['show', '6f1c1a52-5a7e-4c34-9d4f-0e3a8d1b2c3d'], {}, 'runs'))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/no run 6f1c1a52-5a7e-4c34-9d4f-0e3a8d1b2c3d in ops.pipeline_runs/)
  })

  it.each([
    [['--resume', 'not-a-uuid'], /--resume expects a run id/],
    [['--resume', '6f1c1a52-5a7e-4c34-9d4f-0e3a8d1b2c3d'], /there is no such run/],
    [['--bogus'], /unknown option '--bogus'/],
    [['--log-format', 'xml'], /Allowed choices are json, pretty/],
    [['--retry-attempts', 'lots'], /--retry-attempts must be a whole number/],
    [['--retry-attempts', '0'], /--retry-attempts must be a whole number from 1 to 20/],
  ])('exits 2 on bad usage: %s', async (args, message) => {
    const out = await assay(args)
    expect(out.stderr).toMatch(message)
    expect(out.code).toBe(2)
  })

  it('exits 2 on a malformed ASSAY_FAULTS', async () => {
    const out = await assay([], { ASSAY_FAULTS: 'stage:x:explode' })
    expect(out.code).toBe(2)
    expect(out.stderr).toMatch(/invalid ASSAY_FAULTS entry/)
  })

  it('exits 130 on SIGINT while a stage is delayed, leaving the run cancelled', async () => {
    const { child, done } = start(['--log-format', 'json'], {
      ASSAY_FAULTS: 'stage:product_performance:delay:15000',
    })
    let buffer = ''
    await new Promise<void>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error('the stage never started')), 20_000)
      child.stdout?.on('data', (chunk) => {
        buffer += chunk
        if (buffer.includes('Stage product_performance started')) {
          clearTimeout(timer)
          resolvePromise()
        }
      })
    })
    const t0 = Date.now()
    child.kill('SIGINT')
    const out = await done
    expect(out.code).toBe(130)
    // Well under the 15 s delay: the in-flight statement was cancelled, not waited out.
    expect(Date.now() - t0).toBeLessThan(10_000)
    expect(out.stderr).toMatch(/SIGINT received; cancelling the run/)
    const run = await getRun(s.db, runIdOf(out.stderr))
    expect(run).toMatchObject({ status: 'cancelled', done: [] })
    const { rows } = await s.db.query('SELECT count(*)::int AS n FROM gold.fact_product_performance')
    expect(rows[0]).toEqual({ n: 0 })
  })
})
