import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LogRecord, RunEvent, RunSummary } from '../../../src-shared/pipeline.js'
import { backends } from '../../test-support/scratch.js'
import type { MonthlyInput, RunHooks } from '../api.js'
import type { Db } from '../db/types.js'
import { faults } from '../faults.js'
import { LOCK } from '../ops/locks.js'
import { monthStates, planMonthly, resetMonths, runMonthly } from './index.js'
import {
  expectedGold,
  FIXTURE_MONTHS,
  fixtureScratch,
  makeFixture,
  readGold,
  readGoldStamps,
  writeFingerprint,
} from './test-fixture.js'

const logDir = mkdtempSync(join(tmpdir(), 'assay-monthly-test-logs-'))
const fixture = makeFixture()
const expected = expectedGold(fixture)
const ALL = FIXTURE_MONTHS.map((m) => `${m.year}-${String(m.month).padStart(2, '0')}`)
const PENDING: MonthlyInput = { scope: { kind: 'pending' }, force: false }

interface Captured {
  logs: LogRecord[]
  events: RunEvent[]
  hooks: RunHooks
}

function capture(extra: Partial<RunHooks> = {}): Captured {
  const logs: LogRecord[] = []
  const events: RunEvent[] = []
  return {
    logs,
    events,
    hooks: {
      trigger: 'cli',
      stdout: 'none',
      logDir,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 },
      onLog: (r) => logs.push(r),
      onEvent: (e) => events.push(e),
      ...extra,
    },
  }
}

async function run(db: Db, input: MonthlyInput = PENDING, extra: Partial<RunHooks> = {}) {
  const c = capture(extra)
  const summary = await runMonthly(db, input, c.hooks)
  return { summary, ...c }
}

async function processedRows(db: Db) {
  const { rows } = await db.query<{ month_key: string; status: string; attempts: number | null }>(
    'SELECT month_key, status, attempts, error, sqlstate FROM ops.processed_months ORDER BY month_key',
  )
  return rows
}

describe.each(backends)('monthly pipeline on $name', ({ name, scratch }) => {
  const s = fixtureScratch(scratch, fixture, logDir)
  let db: Db
  beforeAll(() => {
    db = s.db
  })

  it('processes every month; gold equals the contract computed independently; all marked completed', async () => {
    const { summary, logs } = await run(db)
    expect(summary.status).toBe('completed')
    expect(summary.done).toEqual(ALL)
    expect(await readGold(db)).toEqual(expected)
    const rows = await processedRows(db)
    expect(rows.map((r) => r.status)).toEqual(ALL.map(() => 'completed'))
    const states = await monthStates(db)
    expect(states.map((m) => m.status)).toEqual(ALL.map(() => 'completed'))
    const march = states.find((m) => m.monthKey === '2011-03')!
    const marchRows = fixture.filter((r) => Math.floor(r.date_id / 100) === 201103)
    expect(march.fingerprint).toMatchObject({
      rows: marchRows.length,
      quantity: marchRows.reduce((a, r) => a + r.total_quantity, 0),
      transactions: marchRows.reduce((a, r) => a + r.total_transactions, 0),
    })
    // INFO per month with the seed's metadata, and a summary line
    const perMonth = logs.filter((l) => l.level === 'INFO' && l.metadata.month === '2011-03')
    expect(perMonth[0]?.metadata).toMatchObject({ month: '2011-03', rows: marchRows.length, attempts: 1 })
    expect(perMonth[0]?.metadata).toHaveProperty('duration_ms')
    expect(perMonth[0]?.metadata).toHaveProperty('revenue')
    expect(logs.at(-1)?.message).toMatch(/^run completed in \d+ ms: 13 processed/)
    // checkpoints: one completed per month, in the seed's shape
    const { rows: cps } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ops.pipeline_checkpoint
       WHERE pipeline_name = 'idempotent_gold_pipeline' AND stage = 'monthly_aggregate' AND status = 'completed'
         AND checkpoint_value LIKE 'rows=%' AND end_time IS NOT NULL AND duration_ms >= 0`,
    )
    expect(cps[0]?.n).toBe(13)
    const { rows: runs } = await db.query(
      'SELECT status, pipeline_name, done, failed FROM ops.pipeline_runs WHERE run_id = $1',
      [summary.runId],
    )
    expect(runs[0]).toMatchObject({
      status: 'completed',
      pipeline_name: 'idempotent_gold_pipeline',
      failed: [],
    })
    // the runner's logs reached ops.pipeline_logs
    const { rows: stored } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM ops.pipeline_logs WHERE run_id = $1',
      [summary.runId],
    )
    expect(stored[0]?.n).toBeGreaterThanOrEqual(15)
  })

  it('is idempotent: a second run processes 0 months and changes no gold row or updated_at', async () => {
    await run(db)
    const gold = await readGold(db)
    const stamps = await readGoldStamps(db)
    const { rows: before } = await db.query('SELECT * FROM ops.processed_months ORDER BY month_key')
    const { summary } = await run(db)
    expect(summary.status).toBe('completed')
    expect(summary.done).toEqual([])
    expect(summary.skipped).toEqual([])
    expect(await readGold(db)).toEqual(gold)
    expect(await readGoldStamps(db)).toEqual(stamps)
    const { rows: after } = await db.query('SELECT * FROM ops.processed_months ORDER BY month_key')
    expect(after).toEqual(before)
    // Speed of the no-op rerun is the benchmark's job (npm run bench), not a timed assertion here.
    const plan = await planMonthly(db, { ...PENDING, withDiff: false })
    expect(plan.items).toEqual([])
  })

  it('a forced rerun on unchanged silver processes every month but changes no updated_at', async () => {
    await run(db)
    const stamps = await readGoldStamps(db)
    const { summary, logs } = await run(db, { scope: { kind: 'pending' }, force: true })
    expect(summary.done).toEqual(ALL)
    expect(await readGoldStamps(db)).toEqual(stamps)
    expect(logs.find((l) => l.metadata.month === '2011-01' && l.level === 'INFO')?.metadata.action).toBe(
      'unchanged',
    )
    const plan = await planMonthly(db, { scope: { kind: 'year', year: 2011 }, force: true, withDiff: false })
    expect(plan.items.map((i) => i.reason)).toEqual(Array(12).fill('forced'))
  })

  it('reset + rerun gives identical gold', async () => {
    await run(db)
    const gold = await readGold(db)
    const report = await resetMonths(db, { kind: 'all' }, { dryRun: false })
    expect(report.months).toEqual(ALL)
    expect(await processedRows(db)).toEqual([])
    expect(await readGold(db)).toEqual(gold) // reset never touches gold
    const { summary } = await run(db)
    expect(summary.done).toEqual(ALL)
    expect(await readGold(db)).toEqual(gold)
    expect(await readGold(db)).toEqual(expected)
  })

  it('a month set (picked in the grid) plans, runs and resets exactly its months', async () => {
    await run(db)
    const set = {
      kind: 'months' as const,
      months: [
        { year: 2011, month: 2 },
        { year: 2011, month: 7 },
        { year: 2010, month: 12 },
      ],
    }
    const plan = await planMonthly(db, { scope: set, force: true, withDiff: false })
    expect(plan.items.map((i) => i.monthKey).sort()).toEqual(['2010-12', '2011-02', '2011-07'])
    const dry = await resetMonths(db, set, { dryRun: true })
    expect(dry.months).toEqual(['2010-12', '2011-02', '2011-07'])
    const done = await resetMonths(db, set, { dryRun: false })
    expect(done.months).toEqual(['2010-12', '2011-02', '2011-07'])
    expect((await processedRows(db)).length).toBe(10)
    const { summary } = await run(db, { scope: set, force: false })
    expect([...summary.done].sort()).toEqual(['2010-12', '2011-02', '2011-07'])
  })

  it('scoped reset lists then clears only its months, and is refused while a run is active', async () => {
    await run(db)
    const dry = await resetMonths(db, { kind: 'year', year: 2010 }, { dryRun: true })
    expect(dry).toEqual({ scope: { kind: 'year', year: 2010 }, months: ['2010-12'], dryRun: true })
    expect((await processedRows(db)).length).toBe(13)
    const one = await resetMonths(db, { kind: 'month', year: 2011, month: 4 }, { dryRun: false })
    expect(one.months).toEqual(['2011-04'])
    expect((await processedRows(db)).map((r) => r.month_key)).not.toContain('2011-04')
    const plan = await planMonthly(db, { ...PENDING, withDiff: false })
    expect(plan.items.map((i) => [i.monthKey, i.reason])).toEqual([['2011-04', 'new']])

    // a live run (its lock held by a session) blocks reset, with a message naming it
    const session = await db.session()
    try {
      const { startRun } = await import('../ops/runs.js')
      await startRun(session, {
        runId: 'live-run-1',
        pipeline: 'reliable',
        pipelineName: 'reliable_gold_pipeline',
        trigger: 'console',
        args: {},
        planned: [],
      })
      await expect(resetMonths(db, { kind: 'all' }, { dryRun: false })).rejects.toThrow(
        /cannot reset all months while a run is active: reliable_gold_pipeline run live-run-1 \(console on .+, pid \d+/,
      )
    } finally {
      await session.release(true)
    }
    await expect(resetMonths(db, { kind: 'month', year: 2011, month: 13 }, { dryRun: true })).rejects.toThrow(
      'month must be 1–12',
    )
  })

  it('detects a stale month after one silver row changes, and reprocesses only that month', async () => {
    await run(db)
    const stamps = await readGoldStamps(db)
    await db.query(
      `UPDATE silver.fact_sales_daily SET total_revenue = total_revenue + 10
       WHERE id = (SELECT min(id) FROM silver.fact_sales_daily WHERE date_id BETWEEN 20110601 AND 20110631)`,
    )
    const states = await monthStates(db)
    expect(states.filter((m) => m.status === 'stale').map((m) => m.monthKey)).toEqual(['2011-06'])
    const plan = await planMonthly(db, { ...PENDING, withDiff: true })
    expect(plan.items.map((i) => [i.monthKey, i.reason])).toEqual([['2011-06', 'stale']])
    const change = plan.items[0]!.diff!
    expect(change.action).toBe('update')
    const old = expected.find((g) => g.year === 2011 && g.month === 6)!
    expect(change.changes).toContainEqual({
      column: 'total_revenue',
      old: old.total_revenue,
      new: (Number(old.total_revenue) + 10).toFixed(2),
    })
    const { summary } = await run(db)
    expect(summary.done).toEqual(['2011-06'])
    const after = await readGoldStamps(db)
    expect(after.filter((a, i) => a.updated_at !== stamps[i]!.updated_at).map((a) => a.key)).toEqual([
      '2011-06',
    ])
    const rows = await db.query<Parameters<typeof expectedGold>[0][number]>(
      `SELECT date_id, product_id, country, customer_id, total_transactions, total_quantity, total_revenue, avg_unit_price
       FROM silver.fact_sales_daily`,
    )
    expect(await readGold(db)).toEqual(expectedGold(rows.rows))
    expect((await monthStates(db)).every((m) => m.status === 'completed')).toBe(true)
  })

  it('reports an explicitly asked month that has no silver rows, and never marks it completed', async () => {
    const { summary } = await run(db, { scope: { kind: 'month', year: 2009, month: 5 }, force: false })
    expect(summary.status).toBe('completed')
    expect(summary.done).toEqual([])
    expect(summary.skipped).toEqual([{ unit: '2009-05', reason: 'no_data' }])
    // a known month whose silver rows were all deleted
    await db.query('DELETE FROM silver.fact_sales_daily WHERE date_id BETWEEN 20110201 AND 20110231')
    const again = await run(db, {
      scope: { kind: 'range', from: { year: 2011, month: 1 }, to: { year: 2011, month: 3 } },
      force: true,
    })
    expect(again.summary.done).toEqual(['2011-01', '2011-03'])
    expect(again.summary.skipped).toEqual([{ unit: '2011-02', reason: 'no_data' }])
    const rows = await processedRows(db)
    expect(rows.map((r) => r.month_key)).toEqual(['2011-01', '2011-03'])
    expect((await monthStates(db)).find((m) => m.monthKey === '2011-02')?.status).toBe('no_data')
  })

  it('dry-run shows each month, why, its silver rows and the exact gold diff, and writes nothing', async () => {
    await run(db, {
      scope: { kind: 'range', from: { year: 2010, month: 12 }, to: { year: 2011, month: 2 } },
      force: false,
    })
    await db.query(
      `UPDATE ops.processed_months SET status = 'failed', error = 'boom' WHERE month_key = '2011-01'`,
    )
    await db.query(
      `UPDATE silver.fact_sales_daily SET total_quantity = total_quantity + 1
       WHERE id = (SELECT min(id) FROM silver.fact_sales_daily WHERE date_id BETWEEN 20110201 AND 20110231)`,
    )
    const before = await writeFingerprint(db)
    const plan = await planMonthly(db, { scope: { kind: 'year', year: 2011 }, force: false, withDiff: true })
    expect(await writeFingerprint(db)).toEqual(before)
    const byKey = new Map(plan.items.map((i) => [i.monthKey, i]))
    expect(byKey.get('2011-01')).toMatchObject({
      reason: 'failed',
      diff: { action: 'unchanged', changes: [] },
    })
    expect(byKey.get('2011-02')).toMatchObject({ reason: 'stale', diff: { action: 'update' } })
    expect(byKey.get('2011-02')!.diff!.changes.map((c) => c.column)).toContain('total_quantity')
    const march = byKey.get('2011-03')!
    const exp = expected.find((g) => g.year === 2011 && g.month === 3)!
    expect(march.reason).toBe('new')
    expect(march.silverRows).toBe(fixture.filter((r) => Math.floor(r.date_id / 100) === 201103).length)
    expect(march.diff).toEqual({
      action: 'insert',
      changes: [
        { column: 'total_revenue', old: null, new: exp.total_revenue },
        { column: 'total_quantity', old: null, new: exp.total_quantity },
        { column: 'total_transactions', old: null, new: exp.total_transactions },
        { column: 'total_products', old: null, new: exp.total_products },
        { column: 'total_countries', old: null, new: exp.total_countries },
        { column: 'avg_revenue_per_transaction', old: null, new: exp.avg_revenue_per_transaction },
        { column: 'avg_quantity_per_transaction', old: null, new: exp.avg_quantity_per_transaction },
        { column: 'unique_customers', old: null, new: exp.unique_customers },
      ],
    })
    expect(plan.items.map((i) => i.monthKey)).toEqual(ALL.slice(1))
  })

  it('retries a transient failure: WARNING per retry with its metadata, then completes', async () => {
    faults.set([{ target: 'month:2011-03', kind: 'transient', n: 2 }])
    const { summary, logs, events } = await run(db)
    expect(summary.status).toBe('completed')
    expect(summary.retries).toBe(2)
    const warnings = logs.filter((l) => l.level === 'WARNING')
    expect(warnings).toHaveLength(2)
    expect(warnings[0]!.message).toMatch(
      /^attempt 1 of 3 failed for 2011-03: serialization failure \(40001\): injected transient fault .*; retrying in \d+ ms$/,
    )
    expect(warnings[1]!.metadata).toMatchObject({ attempt: 2, max_attempts: 3, error_code: '40001' })
    expect(typeof warnings[1]!.metadata.delay_ms).toBe('number')
    expect(events.filter((e) => e.type === 'unit.retrying').length).toBe(2)
    const march = (await processedRows(db)).find((r) => r.month_key === '2011-03')
    expect(march).toMatchObject({ status: 'completed', attempts: 3 })
    expect(await readGold(db)).toEqual(expected)
  })

  it('gives up after the retry budget with an ERROR that mentions retry; the month is failed', async () => {
    faults.set([{ target: 'month:2011-03', kind: 'transient', n: 10 }])
    const { summary, logs } = await run(db)
    expect(summary.status).toBe('failed')
    expect(summary.failed.map((f) => f.unit)).toEqual(['2011-03'])
    expect(summary.done).toHaveLength(12)
    const errors = logs.filter((l) => l.level === 'ERROR')
    expect(errors[0]!.message).toMatch(
      /^giving up on 2011-03 after 3 attempts \(retry budget exhausted\): serialization failure/,
    )
    // The run's summary is logged at its own level (ERROR for a failed run), not INFO.
    expect(logs.at(-1)).toMatchObject({
      level: 'ERROR',
      message: expect.stringMatching(/^run failed in \d+ ms/),
    })
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ops.pipeline_logs WHERE message ILIKE '%retry%' AND level = 'ERROR'`,
    )
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1)
    expect((await processedRows(db)).find((r) => r.month_key === '2011-03')).toMatchObject({
      status: 'failed',
      attempts: 3,
      sqlstate: '40001',
    })
  })

  it('fails a permanent error at once (no retry), records it, and the next run picks the month up', async () => {
    faults.set([{ target: 'month:2011-03', kind: 'permanent', n: 1 }])
    const { summary, logs, events } = await run(db)
    expect(summary.status).toBe('failed')
    expect(summary.retries).toBe(0)
    expect(summary.failed).toEqual([
      { unit: '2011-03', error: expect.stringContaining('permanent error (not retried)'), sqlstate: '22012' },
    ])
    const error = logs.find((l) => l.level === 'ERROR')!
    expect(error.metadata).toMatchObject({
      month: '2011-03',
      sqlstate: '22012',
      attempts: 1,
      transient: false,
    })
    expect(events.find((e) => e.type === 'unit.failed')).toMatchObject({
      unit: '2011-03',
      attempts: 1,
      transient: false,
    })
    expect((await processedRows(db)).find((r) => r.month_key === '2011-03')).toMatchObject({
      status: 'failed',
      attempts: 1,
      sqlstate: '22012',
    })
    const { rows: cp } = await db.query<{ status: string; metadata: Record<string, unknown> }>(
      `SELECT status, metadata FROM ops.pipeline_checkpoint WHERE checkpoint_key = '2011-03' AND run_id = $1`,
      [summary.runId],
    )
    expect(cp[0]).toMatchObject({
      status: 'failed',
      metadata: { sqlstate: '22012', transient: false, attempts: 1 },
    })
    expect(await readGold(db)).toEqual(expected.filter((g) => !(g.year === 2011 && g.month === 3)))
    const { rows: runRow } = await db.query(
      'SELECT status, failed, sqlstate FROM ops.pipeline_runs WHERE run_id = $1',
      [summary.runId],
    )
    expect(runRow[0]).toMatchObject({ status: 'failed', failed: ['2011-03'], sqlstate: '22012' })

    faults.set([])
    const plan = await planMonthly(db, { ...PENDING, withDiff: false })
    expect(plan.items.map((i) => [i.monthKey, i.reason])).toEqual([['2011-03', 'failed']])
    const next = await run(db)
    expect(next.summary.done).toEqual(['2011-03'])
    expect(await readGold(db)).toEqual(expected)
  })

  it('takes over a month left in_progress by a runner that died (interrupted), without manual cleanup', async () => {
    await run(db, { scope: { kind: 'year', year: 2011 }, force: false })
    await db.query(
      `INSERT INTO ops.pipeline_runs (run_id, pipeline_name, pipeline, trigger, status) VALUES ('dead-run', 'idempotent_gold_pipeline', 'monthly', 'cli', 'running')`,
    )
    await db.query(
      `INSERT INTO ops.processed_months (month_key, year, month, status, run_id, started_at, host)
       VALUES ('2010-12', 2010, 12, 'in_progress', 'dead-run', CURRENT_TIMESTAMP, 'gone-host')`,
    )
    const states = await monthStates(db)
    expect(states.find((m) => m.monthKey === '2010-12')).toMatchObject({
      status: 'interrupted',
      runId: 'dead-run',
    })

    // while a live runner holds the month's lock it shows in_progress and is skipped as running elsewhere
    const holder = await db.session()
    try {
      expect(await holder.tryLock(LOCK.month, 201012)).toBe(true)
      expect((await monthStates(db)).find((m) => m.monthKey === '2010-12')?.status).toBe('in_progress')
      const busy = await planMonthly(db, { ...PENDING, withDiff: false })
      expect(busy.skipped).toEqual([
        {
          monthKey: '2010-12',
          reason: 'running_elsewhere',
          detail: 'being processed by run dead-run on gone-host',
        },
      ])
    } finally {
      // Unlock explicitly: closing the connection frees the lock only once the server has noticed, and a
      // pooled PostgreSQL connection would keep its session-level lock.
      await holder.unlock(LOCK.month, 201012)
      await holder.release(true)
    }

    const plan = await planMonthly(db, { ...PENDING, withDiff: false })
    expect(plan.items.map((i) => [i.monthKey, i.reason])).toEqual([['2010-12', 'interrupted']])
    const { summary } = await run(db)
    expect(summary.done).toEqual(['2010-12'])
    const { rows } = await db.query(`SELECT status FROM ops.pipeline_runs WHERE run_id = 'dead-run'`)
    expect(rows[0]).toMatchObject({ status: 'interrupted' })
    expect(await readGold(db)).toEqual(expected)
  })

  it('two runners started at once never process the same month twice (plain and forced)', async () => {
    faults.set([{ target: 'month:*', kind: 'delay', n: 30 }])
    for (const force of [false, true]) {
      const [a, b] = await Promise.all([run(db, { ...PENDING, force }), run(db, { ...PENDING, force })])
      for (const r of [a, b]) expect(r.summary.status).toBe('completed')
      const done = [...a.summary.done, ...b.summary.done].sort()
      expect([...new Set(done)]).toEqual(ALL)
      // Never twice at once: a month done by both runs is right only when forced and one run had finished it
      // before the other run began (that run was asked to redo everything, and did). Which one starts first is
      // up to the scheduler, so the test checks the rule rather than a count.
      const { rows } = await db.query<{ checkpoint_key: string }>(
        `SELECT c.checkpoint_key FROM ops.pipeline_checkpoint c
         JOIN ops.pipeline_checkpoint d ON d.checkpoint_key = c.checkpoint_key AND d.stage = c.stage
           AND d.run_id <> c.run_id AND d.status = 'completed' AND d.end_time >= c.end_time
         JOIN ops.pipeline_runs later ON later.run_id = d.run_id
         WHERE c.status = 'completed' AND c.run_id = ANY($1::varchar[]) AND d.run_id = ANY($1::varchar[])
           AND NOT ($2::bool AND c.end_time < later.started_at)`,
        [[a.summary.runId, b.summary.runId], force],
      )
      expect(rows).toEqual([])
      if (!force) expect(done).toEqual(ALL)
      const skippedReasons = new Set([...a.summary.skipped, ...b.summary.skipped].map((x) => x.reason))
      for (const reason of skippedReasons) expect(['running_elsewhere', 'up_to_date']).toContain(reason)
    }
    expect(await readGold(db)).toEqual(expected)
  })

  it('cancellation rolls back the month in flight, restores its row and records the run cancelled', async () => {
    await run(db, { scope: { kind: 'month', year: 2011, month: 2 }, force: false })
    const { rows: priorRows } = await db.query(
      `SELECT * FROM ops.processed_months WHERE month_key = '2011-02'`,
    )
    const stamps = await readGoldStamps(db)
    faults.set([{ target: 'month:2011-03', kind: 'delay', n: 1500 }])
    const controller = new AbortController()
    const t0 = performance.now()
    let abortedAt = 0
    const { summary } = await run(
      db,
      { scope: { kind: 'range', from: { year: 2011, month: 1 }, to: { year: 2011, month: 4 } }, force: true },
      {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'unit.started' && e.unit === '2011-03') {
            // PostgreSQL: cancel the statement in flight (pg_cancel_backend). PGlite cannot be interrupted
            // mid-statement, so abort at once: the month stops at its next statement boundary.
            const abort = () => {
              abortedAt = performance.now()
              controller.abort()
            }
            if (name === 'postgres') setTimeout(abort, 300)
            else abort()
          }
        },
      },
    )
    const stoppedAfter = performance.now() - abortedAt
    expect(summary.status).toBe('cancelled')
    expect(summary.done).toEqual(['2011-01', '2011-02'])
    if (name === 'postgres') expect(stoppedAfter).toBeLessThan(1000)
    expect(performance.now() - t0).toBeGreaterThan(0)
    const { rows } = await db.query(`SELECT status, error FROM ops.pipeline_runs WHERE run_id = $1`, [
      summary.runId,
    ])
    expect(rows[0]).toMatchObject({ status: 'cancelled', error: 'cancelled' })
    // 2011-03 had no row before this run: it has none now; gold has no March row
    const pm = await processedRows(db)
    expect(pm.map((r) => r.month_key)).toEqual(['2011-01', '2011-02'])
    expect((await readGold(db)).some((g) => g.year === 2011 && g.month === 3)).toBe(false)
    const { rows: cp } = await db.query(
      `SELECT status, checkpoint_value FROM ops.pipeline_checkpoint WHERE run_id = $1 AND checkpoint_key = '2011-03'`,
      [summary.runId],
    )
    expect(cp[0]).toMatchObject({ status: 'failed', checkpoint_value: 'cancelled' })
    // the forced months before the cancel kept their gold timestamps (same values)
    expect((await readGoldStamps(db)).find((x) => x.key === '2011-02')).toEqual(
      stamps.find((x) => x.key === '2011-02'),
    )
    const { rows: febAfter } = await db.query(
      `SELECT status, silver_version FROM ops.processed_months WHERE month_key = '2011-02'`,
    )
    expect(febAfter[0]).toMatchObject({ status: 'completed', silver_version: priorRows[0]!.silver_version })

    // a cancelled month whose row existed before goes back to its previous state
    const { rows: beforeSecond } = await db.query(
      `SELECT * FROM ops.processed_months WHERE month_key = '2011-02'`,
    )
    faults.set([{ target: 'month:2011-02', kind: 'delay', n: 1500 }])
    const again = new AbortController()
    const second = await run(
      db,
      { scope: { kind: 'month', year: 2011, month: 2 }, force: true },
      {
        signal: again.signal,
        onEvent: (e) => {
          if (e.type === 'unit.started') {
            if (name === 'postgres') setTimeout(() => again.abort(), 200)
            else again.abort()
          }
        },
      },
    )
    expect(second.summary.status).toBe('cancelled')
    const { rows: restored } = await db.query(
      `SELECT * FROM ops.processed_months WHERE month_key = '2011-02'`,
    )
    expect(restored).toEqual(beforeSecond)
  })

  it('emits events in order: run.started, unit.started/completed, run.finished, seq increasing', async () => {
    const { events, summary } = await run(db, {
      scope: { kind: 'month', year: 2011, month: 5 },
      force: false,
    })
    expect(events.map((e) => e.type)).toEqual([
      'run.started',
      'unit.started',
      'unit.completed',
      'run.finished',
    ])
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(events.every((e) => e.runId === summary.runId)).toBe(true)
    expect(events[0]).toMatchObject({ planned: ['2011-05'], pipeline: 'monthly', dryRun: false })
    expect(events[2]).toMatchObject({ unit: '2011-05', attempts: 1 })
    expect(events[3]).toMatchObject({ status: 'completed', error: null })
    const again = await run(db, { scope: { kind: 'month', year: 2011, month: 5 }, force: false })
    expect(again.events.map((e) => e.type)).toEqual(['run.started', 'unit.skipped', 'run.finished'])
    expect(again.summary.skipped).toEqual([{ unit: '2011-05', reason: 'up_to_date' }])
  })

  it('rejects invalid scopes and retry settings with specific messages', async () => {
    await expect(
      runMonthly(db, { scope: { kind: 'month', year: 2011, month: 13 }, force: false }, capture().hooks),
    ).rejects.toThrow('month must be 1–12')
    await expect(
      planMonthly(db, {
        scope: { kind: 'range', from: { year: 2011, month: 5 }, to: { year: 2011, month: 1 } },
        force: false,
        withDiff: false,
      }),
    ).rejects.toThrow('the range starts after it ends')
    await expect(
      runMonthly(db, PENDING, {
        ...capture().hooks,
        retry: { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 },
      }),
    ).rejects.toThrow(/retry settings/)
    const summaries: RunSummary[] = []
    expect(summaries).toEqual([])
  })
})
