/**
 * PostgreSQL-only behaviour that needs real processes and real connections: kill -9 of a runner mid-month,
 * two CLI runners at once, a backend terminated mid-month, and a database away longer than the retry budget.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LogRecord, RunEvent } from '../../../src-shared/pipeline.js'
import { databaseUrl, spawnAssay } from '../../test-support/cli-process.js'
import { scratchPg } from '../../test-support/scratch.js'
import { TcpProxy } from '../../test-support/tcp-proxy.js'
import { waitFor } from '../../test-support/wait.js'
import type { RunHooks } from '../api.js'
import type { PostgresConfig } from '../config.js'
import { PgDb } from '../db/pg.js'
import type { Db } from '../db/types.js'
import { faults } from '../faults.js'
import { monthStates, planMonthly, runMonthly } from './index.js'
import { expectedGold, FIXTURE_MONTHS, fixtureScratch, makeFixture, readGold } from './test-fixture.js'

const logDir = mkdtempSync(join(tmpdir(), 'assay-monthly-proc-logs-'))
const fixture = makeFixture()
const expected = expectedGold(fixture)
const ALL = FIXTURE_MONTHS.map((m) => `${m.year}-${String(m.month).padStart(2, '0')}`)

function hooks(extra: Partial<RunHooks> = {}): RunHooks {
  return {
    trigger: 'cli',
    stdout: 'none',
    logDir,
    retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    ...extra,
  }
}

async function inProgress(db: Db): Promise<string | undefined> {
  const { rows } = await db.query<{ month_key: string }>(
    `SELECT month_key FROM ops.processed_months WHERE status = 'in_progress' ORDER BY month_key LIMIT 1`,
  )
  return rows[0]?.month_key
}

describe('monthly pipeline with real processes and connections (PostgreSQL)', () => {
  const s = fixtureScratch(() => scratchPg(), fixture, logDir)
  let db: Db
  let config: PostgresConfig
  beforeAll(() => {
    db = s.db
    config = s.config!
  })

  it('a runner killed with kill -9 mid-month leaves no stuck month: the next run takes it over', async () => {
    const cli = spawnAssay(['monthly', '--database-url', databaseUrl(config)], {
      ASSAY_FAULTS: 'month:*:delay:1500',
      ASSAY_LOG_DIR: logDir,
    })
    const month = await waitFor('a month in progress', () => inProgress(db))
    cli.child.kill('SIGKILL')
    const result = await cli.done
    expect(result.signal).toBe('SIGKILL')
    // Nothing to clean up by hand: once the server has ended the dead runner's session, its lock is gone.
    const state = await waitFor('the month to show as interrupted', async () => {
      const m = (await monthStates(db)).find((x) => x.monthKey === month)
      return m?.status === 'interrupted' ? m : undefined
    })
    expect(state.runId).not.toBeNull()
    expect((await readGold(db)).some((g) => `${g.year}-${String(g.month).padStart(2, '0')}` === month)).toBe(
      false,
    )
    const plan = await planMonthly(db, { scope: { kind: 'pending' }, force: false, withDiff: false })
    expect(plan.items.find((i) => i.monthKey === month)?.reason).toBe('interrupted')

    const summary = await runMonthly(db, { scope: { kind: 'pending' }, force: false }, hooks())
    expect(summary.status).toBe('completed')
    expect(summary.done).toContain(month)
    const { rows } = await db.query<{ status: string }>(
      `SELECT status FROM ops.pipeline_runs WHERE run_id = $1`,
      [state.runId],
    )
    expect(rows[0]?.status).toBe('interrupted')
    expect(await readGold(db)).toEqual(expected)
    expect((await monthStates(db)).every((m) => m.status === 'completed')).toBe(true)
  })

  it('two CLI runners started at once never process the same month twice', async () => {
    const url = databaseUrl(config)
    const env = { ASSAY_FAULTS: 'month:*:delay:150', ASSAY_LOG_DIR: logDir }
    const a = spawnAssay(['monthly', '--database-url', url, '--log-format', 'json'], env)
    const b = spawnAssay(['monthly', '--database-url', url, '--log-format', 'json'], env)
    const [ra, rb] = await Promise.all([a.done, b.done])
    expect([ra.code, rb.code], `${ra.stderr}\n${rb.stderr}`).toEqual([0, 0])
    const { rows: runs } = await db.query<{ done: string[]; status: string }>(
      `SELECT done, status FROM ops.pipeline_runs ORDER BY started_at`,
    )
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed'])
    expect(runs.every((r) => r.done.length > 0)).toBe(true)
    expect(runs.flatMap((r) => r.done).sort()).toEqual(ALL)
    const { rows: twice } = await db.query(
      `SELECT checkpoint_key FROM ops.pipeline_checkpoint WHERE status = 'completed' GROUP BY 1 HAVING count(*) > 1`,
    )
    expect(twice).toEqual([])
    // each runner's summary is one JSON line at the end of its stdout
    const summaries = [ra, rb].map((r) => JSON.parse(r.stdout.trim().split('\n').at(-1)!).summary)
    const reasons = summaries.flatMap((x) => x.skipped.map((k: { reason: string }) => k.reason))
    for (const reason of reasons) expect(['running_elsewhere', 'up_to_date']).toContain(reason)
    expect(await readGold(db)).toEqual(expected)
  })

  it('a connection killed mid-month (pg_terminate_backend) is retried and the run completes', async () => {
    faults.set([{ target: 'month:2011-02', kind: 'delay', n: 800 }])
    const logs: LogRecord[] = []
    const running = runMonthly(
      db,
      { scope: { kind: 'pending' }, force: false },
      hooks({ onLog: (r) => logs.push(r) }),
    )
    const pid = await waitFor('the runner sleeping inside 2011-02', async () => {
      const { rows } = await db.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = current_database() AND state = 'active' AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()`,
      )
      return rows[0]?.pid
    })
    await db.query('SELECT pg_terminate_backend($1)', [pid])
    const summary = await running
    expect(summary.status).toBe('completed')
    expect(summary.retries).toBe(1)
    expect(summary.done).toEqual(ALL)
    const warning = logs.find((l) => l.level === 'WARNING')!
    expect(warning.message).toMatch(/^attempt 1 of 3 failed for 2011-02: admin shutdown \(57P01\)/)
    const { rows } = await db.query(
      `SELECT status, attempts FROM ops.processed_months WHERE month_key = '2011-02'`,
    )
    expect(rows[0]).toEqual({ status: 'completed', attempts: 2 })
    const { rows: runRow } = await db.query(
      `SELECT status, retries FROM ops.pipeline_runs WHERE run_id = $1`,
      [summary.runId],
    )
    expect(runRow[0]).toEqual({ status: 'completed', retries: 1 })
    expect(await readGold(db)).toEqual(expected)
  })

  it('a database away longer than the retry budget gives a clean failed run; a later run finishes', async () => {
    const proxy = await TcpProxy.start({ host: config.host, port: config.port })
    const viaProxy = await PgDb.open({ ...config, host: '127.0.0.1', port: proxy.port })
    const logs: LogRecord[] = []
    const events: RunEvent[] = []
    try {
      const summary = await runMonthly(
        viaProxy,
        { scope: { kind: 'pending' }, force: false },
        hooks({
          onLog: (r) => logs.push(r),
          onEvent: (e) => {
            events.push(e)
            if (e.type === 'unit.completed' && e.unit === '2011-01') void proxy.begin('refuse')
            // The outage outlasts the month's whole retry budget; the server is back for the bookkeeping.
            if (e.type === 'unit.failed') void proxy.end()
          },
        }),
      )
      expect(summary.status).toBe('failed')
      expect(summary.done).toEqual(['2010-12', '2011-01'])
      expect(summary.failed.map((f) => f.unit)).toEqual(['2011-02'])
      expect(summary.skipped.map((k) => k.reason)).toEqual(Array(10).fill('not_attempted'))
      const error = logs.find((l) => l.level === 'ERROR')!
      expect(error.message).toMatch(/^giving up on 2011-02 after 3 attempts \(retry budget exhausted\)/)
      expect(events.filter((e) => e.type === 'unit.retrying')).toHaveLength(2)
      const { rows: runRow } = await db.query(
        `SELECT status, failed, error FROM ops.pipeline_runs WHERE run_id = $1`,
        [summary.runId],
      )
      expect(runRow[0]).toMatchObject({ status: 'failed', failed: ['2011-02'] })
      const { rows: month } = await db.query<{ status: string; error: string }>(
        `SELECT status, error FROM ops.processed_months WHERE month_key = '2011-02'`,
      )
      expect(month[0]?.status).toBe('failed')
      expect(month[0]?.error).toContain('retry budget exhausted')
    } finally {
      await viaProxy.close()
    }
    // A later run (a new process would open a new pool; so do we) finishes the work.
    const later = await PgDb.open({ ...config, host: '127.0.0.1', port: proxy.port })
    try {
      const summary = await runMonthly(later, { scope: { kind: 'pending' }, force: false }, hooks())
      expect(summary.status).toBe('completed')
      expect(summary.done).toEqual(ALL.slice(2))
    } finally {
      await later.close()
      await proxy.close()
    }
    expect(await readGold(db)).toEqual(expected)
  })
})
