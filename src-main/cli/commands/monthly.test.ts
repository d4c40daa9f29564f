/**
 * `assay monthly`: exit codes and output through `main()` in this process (fast), and as a real process where
 * only a process will do (the binary's exit code, SIGINT). PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Db } from '../../engine/db/types.js'
import { faults } from '../../engine/faults.js'
import {
  expectedGold,
  makeFixture,
  readGold,
  resetFixture,
  writeFingerprint,
} from '../../engine/monthly/test-fixture.js'
import { databaseUrl, spawnAssay } from '../../test-support/cli-process.js'
import { type Scratch, scratchPg } from '../../test-support/scratch.js'
import { waitFor } from '../../test-support/wait.js'
import { main } from '../main.js'

const logDir = mkdtempSync(join(tmpdir(), 'assay-monthly-cli-logs-'))
const fixture = makeFixture(undefined, 60)
const expected = expectedGold(fixture)
process.env.ASSAY_LOG_DIR = logDir

/** Runs `assay <args>` through main() with stdout/stderr captured; the exit code is what the process would exit with. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const capture = (sink: 'out' | 'err') => (chunk: string | Uint8Array) => {
    if (sink === 'out') stdout += String(chunk)
    else stderr += String(chunk)
    return true
  }
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation(capture('out') as typeof process.stdout.write)
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation(capture('err') as typeof process.stderr.write)
  // vitest routes console.log around process.stdout, so catch it separately
  const log = vi.spyOn(console, 'log').mockImplementation((...items: unknown[]) => {
    stdout += `${items.join(' ')}\n`
  })
  process.exitCode = undefined
  try {
    await main(['node', 'assay', ...args])
  } finally {
    out.mockRestore()
    err.mockRestore()
    log.mockRestore()
  }
  const code = Number(process.exitCode ?? 0)
  process.exitCode = undefined
  return { code, stdout, stderr }
}

describe('assay monthly (CLI process)', () => {
  let s: Scratch
  let db: Db
  let url: string
  beforeAll(async () => {
    s = await scratchPg()
    db = s.db
    url = databaseUrl(s.config!)
  })
  afterAll(async () => {
    rmSync(logDir, { recursive: true, force: true })
    await s?.dispose()
  })
  beforeEach(async () => {
    faults.set([])
    await resetFixture(db, fixture)
  })

  const assay = (args: string[]) => inProcess(['monthly', '--database-url', url, ...args])

  it('bad usage exits 2 with a specific message, before touching the database', async () => {
    const cases: [string[], string][] = [
      [['--month', '3'], 'error: --month needs --year'],
      [['--year', 'abc'], 'error: --year must be a four-digit year such as 2011 (got "abc")'],
      [['--year', '2011', '--month', '13'], 'error: --month must be a month number 1–12 (got "13")'],
      [['--from', '2011-06', '--to', '2011-01'], 'error: the range is backwards'],
      [['--reset', '--dry-run'], 'error: conflicting flags: --reset clears processing state'],
      [['--no-such-flag'], "error: unknown option '--no-such-flag'"],
    ]
    const before = await writeFingerprint(db)
    for (const [args, message] of cases) {
      const result = await assay(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toContain(message)
      expect(result.stderr).toContain('usage: assay monthly [options]')
    }
    // the real binary exits with that code too
    const real = await spawnAssay(['monthly', '--database-url', url, '--year', 'abc'], {
      ASSAY_LOG_DIR: logDir,
    }).done
    expect(real.code).toBe(2)
    expect(real.stderr).toContain('error: --year must be a four-digit year such as 2011 (got "abc")')
    expect(await writeFingerprint(db)).toEqual(before)
  })

  it('runs, prints progress and a summary table, exits 0; dry-run and reset print what they would do', async () => {
    const dry = await assay(['--dry-run', '--year', '2011', '--month', '3'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('dry run (2011-03): nothing is written')
    expect(dry.stdout).toMatch(/2011-03 {2}new +\d+ silver rows {2}gold row inserted/)
    const march = expected.find((g) => g.year === 2011 && g.month === 3)!
    expect(dry.stdout).toMatch(new RegExp(`total_revenue +— → ${march.total_revenue}`))

    const first = await assay([])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/INFO +run started: 13 month\(s\) to process/)
    expect(first.stdout).toMatch(/INFO +2011-03 processed: \d+ silver rows/)
    expect(first.stdout).toMatch(/^month +status +rows +attempts +duration +note$/m)
    expect(first.stdout).toMatch(/^2011-03 +completed +\d+ +1 +\d+ ms$/m)
    expect(first.stdout).toMatch(/completed in \d+ ms: 13 processed, 0 skipped, 0 failed, 0 retries/)
    expect(await readGold(db)).toEqual(expected)

    const reset = await assay(['--reset', '--year', '2010'])
    expect(reset.code).toBe(0)
    expect(reset.stdout).toContain(
      'reset will clear the processing state of 1 month(s) (every month of 2010): 2010-12',
    )
    expect(reset.stdout).toContain('cleared 1 month(s)')

    const json = await assay(['--log-format', 'json'])
    expect(json.code).toBe(0)
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      logger: 'assay.monthly',
      pipeline_name: 'idempotent_gold_pipeline',
    })
    expect(lines.at(-1).summary).toMatchObject({ status: 'completed', done: ['2010-12'] })
  })

  /** `assay monthly` in a child process, once it is inside 2011-01 (held there 5 s by a fault). */
  async function monthlyHeldIn201101() {
    const cli = spawnAssay(['monthly', '--database-url', url], {
      ASSAY_LOG_DIR: logDir,
      ASSAY_FAULTS: 'month:2011-01:delay:5000',
    })
    await waitFor('2011-01 in progress', async () => {
      const { rows } = await db.query(
        `SELECT 1 FROM ops.processed_months WHERE month_key = '2011-01' AND status = 'in_progress'`,
      )
      return rows.length > 0
    })
    return cli
  }

  it('a failed month exits 1; SIGINT or SIGTERM rolls back the month in flight, records the run cancelled, exits 130', async () => {
    faults.set([{ target: 'month:2011-02', kind: 'permanent', n: 1 }])
    const failed = await assay(['--year', '2011', '--month', '2'])
    faults.set([])
    expect(failed.code).toBe(1)
    expect(failed.stdout).toMatch(/ERROR +2011-02 failed with a permanent error \(not retried\)/)

    const cli = await monthlyHeldIn201101()
    const t0 = Date.now()
    cli.child.kill('SIGINT')
    const result = await cli.done
    expect(result.code).toBe(130)
    expect(Date.now() - t0).toBeLessThan(3000)
    expect(result.stderr).toContain('SIGINT received; rolling back the month in flight')
    expect(result.stdout).toMatch(/^2011-01 +cancelled .*rolled back$/m)
    const { rows: runs } = await db.query<{ status: string }>(
      `SELECT status FROM ops.pipeline_runs WHERE status = 'cancelled'`,
    )
    expect(runs).toHaveLength(1)
    const { rows } = await db.query<{ month_key: string; status: string }>(
      `SELECT month_key, status FROM ops.processed_months ORDER BY month_key`,
    )
    // 2010-12 completed before the signal; 2011-01 had no row and has none; 2011-02 keeps its failure
    expect(rows).toEqual([
      { month_key: '2010-12', status: 'completed' },
      { month_key: '2011-02', status: 'failed' },
    ])
    expect((await readGold(db)).map((g) => `${g.year}-${g.month}`)).toEqual(['2010-12'])
    // SIGTERM (a service manager stopping the job) does the same
    const term = await monthlyHeldIn201101()
    term.child.kill('SIGTERM')
    expect((await term.done).code).toBe(130)
    const { rows: cancelled } = await db.query(`SELECT 1 FROM ops.pipeline_runs WHERE status = 'cancelled'`)
    expect(cancelled).toHaveLength(2)
    expect((await readGold(db)).map((g) => `${g.year}-${g.month}`)).toEqual(['2010-12'])
    const { rows: sleeping } = await db.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()`,
    )
    expect(sleeping).toEqual([])
  })
})
