import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { LogRecord, RetrySettings, RunEvent } from '../../../src-shared/pipeline.js'
import { backends, describeOn, type Scratch } from '../../test-support/scratch.js'
import type { RunHooks } from '../api.js'
import type { Db } from '../db/types.js'
import { AssayError, UsageError } from '../errors.js'
import { faults, parseFaults } from '../faults.js'
import { getRun } from '../ops/read/runs.js'
import { resetBreaker } from '../retry.js'
import { expectedCountries, expectedProducts } from './expected-gold.js'
import { defaultFixture, loadFixture, readGold, type SilverFixture } from './fixture.js'
import { PIPELINE_NAME, runReliable } from './pipeline.js'

const FAST: RetrySettings = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 }

interface Checkpoint {
  stage: string
  checkpoint_key: string
  checkpoint_value: string | null
  status: string
  start_time: string | null
  end_time: string | null
  duration_ms: number | null
  metadata: Record<string, unknown>
}

describe.each(backends)('reliable pipeline on $name', ({ name, scratch }) => {
  let s: Scratch
  let logDir: string
  let fixture: SilverFixture

  beforeAll(async () => {
    s = await scratch()
    logDir = mkdtempSync(join(tmpdir(), 'assay-reliable-'))
  })
  afterAll(async () => {
    await s.dispose()
    rmSync(logDir, { recursive: true, force: true })
  })
  beforeEach(async () => {
    fixture = defaultFixture()
    await loadFixture(s.db, fixture)
    resetBreaker(s.db)
  })
  afterEach(() => {
    faults.set([])
  })

  /** Runs the pipeline, collecting its events and log records. */
  async function run(input: { resume?: string } = {}, extra: Partial<RunHooks> = {}) {
    const events: RunEvent[] = []
    const logs: LogRecord[] = []
    const summary = await runReliable(s.db, input, {
      trigger: 'cli',
      stdout: 'none',
      logDir,
      retry: FAST,
      onEvent: (event) => events.push(event),
      onLog: (record) => logs.push(record),
      ...extra,
    })
    return { summary, events, logs }
  }

  async function checkpoints(runId: string): Promise<Checkpoint[]> {
    const { rows } = await s.db.query<Checkpoint>(
      `SELECT stage, checkpoint_key, checkpoint_value, status, start_time, end_time, duration_ms, metadata
       FROM ops.pipeline_checkpoint WHERE run_id = $1 ORDER BY start_time, id`,
      [runId],
    )
    return rows
  }

  async function logRows(runId: string) {
    const { rows } = await s.db.query<LogRecord>(
      `SELECT timestamp, level, message, logger, pipeline_name, run_id, module, function, line, metadata
       FROM ops.pipeline_logs WHERE run_id = $1 ORDER BY id`,
      [runId],
    )
    return rows
  }

  async function updatedAt(): Promise<string[]> {
    const { rows } = await s.db.query<{ key: string }>(
      `SELECT 'p' || product_id || '@' || updated_at AS key FROM gold.fact_product_performance
       UNION ALL SELECT 'c' || country || '@' || updated_at FROM gold.fact_country_sales ORDER BY 1`,
    )
    return rows.map((r) => r.key)
  }

  it('fills gold exactly as the contract defines the metrics, with checkpoints, a run record and events', async () => {
    const { summary, events } = await run()
    expect(summary).toMatchObject({
      status: 'completed',
      done: ['product_performance', 'country_sales'],
      error: null,
    })

    const gold = await readGold(s.db)
    expect(gold.products).toEqual(expectedProducts(fixture))
    expect(gold.countries).toEqual(expectedCountries(fixture))
    // The edges the fixture was built for.
    expect(gold.countries.find((c) => c.country === 'France')?.top_product_id).toBe(1)
    expect(gold.products.find((p) => p.product_id === 6)?.avg_revenue_per_transaction).toBe('0.03')
    expect(gold.products.some((p) => p.product_id === 5)).toBe(false)

    const cps = await checkpoints(summary.runId)
    expect(cps.map((c) => [c.stage, c.checkpoint_key, c.status])).toEqual([
      ['product_performance', 'gold.fact_product_performance', 'completed'],
      ['country_sales', 'gold.fact_country_sales', 'completed'],
    ])
    expect(cps[0]?.checkpoint_value).toBe(String(expectedProducts(fixture).length))
    expect(cps[1]?.checkpoint_value).toBe(String(expectedCountries(fixture).length))
    for (const cp of cps) {
      expect(cp.duration_ms).toBeGreaterThanOrEqual(0)
      expect(cp.end_time! >= cp.start_time!).toBe(true)
      expect(cp.metadata).toMatchObject({ attempts: 1, rows_deleted: 0, gold_table: cp.checkpoint_key })
    }

    const record = await getRun(s.db, summary.runId)
    expect(record).toMatchObject({
      pipelineName: PIPELINE_NAME,
      pipeline: 'reliable',
      trigger: 'cli',
      status: 'completed',
      planned: ['product_performance', 'country_sales'],
      done: ['product_performance', 'country_sales'],
      retries: 0,
      error: null,
    })
    expect(record?.endedAt).not.toBeNull()
    expect(record?.args).toMatchObject({ resume: null, retry: FAST })

    expect(events.map((e) => `${e.type}${'unit' in e ? `:${e.unit}` : ''}`)).toEqual([
      'run.started',
      'unit.started:product_performance',
      'unit.completed:product_performance',
      'unit.started:country_sales',
      'unit.completed:country_sales',
      'run.finished',
    ])
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6])
    expect(events.every((e) => e.runId === summary.runId)).toBe(true)
    expect(events[0]).toMatchObject({ planned: ['product_performance', 'country_sales'] })
  })

  it('a rerun on unchanged silver touches no row; a silver change updates and prunes only what changed', async () => {
    await run()
    const before = await updatedAt()
    await new Promise((r) => setTimeout(r, 20))
    const rerun = await run()
    expect(rerun.summary.status).toBe('completed')
    expect(await updatedAt()).toEqual(before)
    const cps = await checkpoints(rerun.summary.runId)
    expect(cps.map((c) => c.checkpoint_value)).toEqual(['0', '0'])
    expect(cps[0]?.metadata).toMatchObject({ rows_inserted: 0, rows_updated: 0, rows_deleted: 0 })

    // Silver changes: one fact's revenue, and every EIRE row disappears (its only product, 2, keeps other sales).
    await s.db.query(
      `UPDATE silver.fact_sales_daily SET total_revenue = total_revenue + 1 WHERE date_id = 20101201 AND product_id = 3 AND country = 'France'`,
    )
    await s.db.query(`DELETE FROM silver.fact_sales_daily WHERE country = 'EIRE'`)
    const changed: SilverFixture = {
      products: fixture.products,
      facts: fixture.facts
        .filter((f) => f.country !== 'EIRE')
        .map((f) =>
          f.date === '2010-12-01' && f.productId === 3 && f.country === 'France'
            ? { ...f, revenue: (Number(f.revenue) + 1).toFixed(2) }
            : f,
        ),
    }
    const third = await run()
    const gold = await readGold(s.db)
    expect(gold.products).toEqual(expectedProducts(changed))
    expect(gold.countries).toEqual(expectedCountries(changed))
    expect(gold.countries.find((c) => c.country === 'France')?.top_product_id).toBe(3)
    const [product, country] = await checkpoints(third.summary.runId)
    // Product 3 (revenue) and product 2 (lost its EIRE sales) change; France changes, EIRE is deleted.
    expect(product?.metadata).toMatchObject({ rows_inserted: 0, rows_updated: 2, rows_deleted: 0 })
    expect(country?.metadata).toMatchObject({ rows_inserted: 0, rows_updated: 1, rows_deleted: 1 })
    expect(country?.checkpoint_value).toBe('2')
  })

  it('a permanent failure fails its stage and the run at once; --resume skips the completed stage', async () => {
    faults.set(parseFaults('stage:country_sales:permanent'))
    const failed = await run()
    expect(failed.summary).toMatchObject({
      status: 'failed',
      done: ['product_performance'],
      failed: [{ unit: 'country_sales', sqlstate: '22012' }],
      retries: 0,
    })
    const cps = await checkpoints(failed.summary.runId)
    expect(cps.map((c) => [c.stage, c.status])).toEqual([
      ['product_performance', 'completed'],
      ['country_sales', 'failed'],
    ])
    expect(cps[1]?.metadata).toMatchObject({ sqlstate: '22012', transient: false, attempts: 1 })
    expect(cps[1]?.metadata.error).toMatch(/injected permanent fault/)
    expect(cps[1]?.end_time).not.toBeNull()
    const record = await getRun(s.db, failed.summary.runId)
    expect(record).toMatchObject({ status: 'failed', sqlstate: '22012', failed: ['country_sales'] })
    expect((await readGold(s.db)).countries).toEqual([])
    expect(failed.logs.filter((l) => l.level === 'WARNING')).toEqual([])
    expect(failed.logs.some((l) => l.level === 'ERROR' && /not retried/.test(l.message))).toBe(true)

    // The fault is fixed: resume runs country_sales only.
    faults.set([])
    const resumed = await run({ resume: failed.summary.runId })
    expect(resumed.summary).toMatchObject({
      status: 'completed',
      done: ['country_sales'],
      skipped: [{ unit: 'product_performance', reason: `completed in run ${failed.summary.runId}` }],
    })
    expect(resumed.events.find((e) => e.type === 'unit.skipped')).toMatchObject({
      unit: 'product_performance',
    })
    expect((await checkpoints(resumed.summary.runId)).map((c) => c.stage)).toEqual(['country_sales'])
    expect(await getRun(s.db, resumed.summary.runId)).toMatchObject({
      resumedFrom: failed.summary.runId,
      skipped: ['product_performance'],
      done: ['country_sales'],
    })
    const gold = await readGold(s.db)
    expect(gold.products).toEqual(expectedProducts(fixture))
    expect(gold.countries).toEqual(expectedCountries(fixture))

    // A completed run cannot be resumed.
    await expect(run({ resume: resumed.summary.runId })).rejects.toThrow(
      /only failed, interrupted or cancelled/,
    )
  })

  it('marks a run whose runner died as interrupted when the next run starts (regression: torture kill -9)', async () => {
    // A run record nobody holds the lock of: what a runner killed with kill -9 leaves.
    const dead = '6f1c0c5e-1d2b-4c3a-9e8f-7a6b5c4d3e2f'
    await s.db.query(
      `INSERT INTO ops.pipeline_runs (run_id, pipeline_name, pipeline, trigger, args, status, started_at, planned)
       VALUES ($1, 'reliable_gold_pipeline', 'reliable', 'cli', '{}', 'running', CURRENT_TIMESTAMP, '[]')`,
      [dead],
    )
    const { summary, logs } = await run()
    expect(summary.status).toBe('completed')
    expect(await getRun(s.db, dead)).toMatchObject({ status: 'interrupted' })
    expect(logs.map((l) => l.message)).toContain(
      '1 earlier run(s) had stopped without finishing and are now marked interrupted; their work is taken over',
    )
  })

  it('resuming a resumed run still skips what the first run completed', async () => {
    faults.set(parseFaults('stage:country_sales:permanent'))
    const first = await run()
    const second = await run({ resume: first.summary.runId })
    expect(second.summary).toMatchObject({ status: 'failed', skipped: [{ unit: 'product_performance' }] })
    faults.set([])
    const third = await run({ resume: second.summary.runId })
    expect(third.summary).toMatchObject({
      status: 'completed',
      done: ['country_sales'],
      skipped: [{ unit: 'product_performance', reason: `completed in run ${first.summary.runId}` }],
    })
  })

  it('refuses --resume with a specific message for a malformed, unknown or wrong-status run id', async () => {
    await expect(run({ resume: 'not-a-run' })).rejects.toBeInstanceOf(UsageError)
    const unknown = '6f1c1a52-5a7e-4c34-9d4f-0e3a8d1b2c3d'
    const error = await run({ resume: unknown }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AssayError)
    expect((error as AssayError).exitCode).toBe(2)
    expect((error as AssayError).message).toBe(
      `cannot resume run ${unknown}: there is no such run in ops.pipeline_runs`,
    )
    const { rows } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ops.pipeline_runs')
    expect(rows[0]?.n).toBe(0)
  })

  it('refuses bad retry settings before recording a run, as the monthly pipeline does', async () => {
    const bad = { maxAttempts: 0, baseDelayMs: 10, maxDelayMs: 40 } as RetrySettings
    await expect(
      runReliable(s.db, {}, { trigger: 'cli', stdout: 'none', logDir, retry: bad }),
    ).rejects.toThrow(UsageError)
    const { rows } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ops.pipeline_runs')
    expect(rows[0]?.n).toBe(0)
  })

  it('retries a transient failure (40001 twice) with WARNING logs and completes on attempt 3', async () => {
    faults.set(parseFaults('stage:country_sales:transient:2'))
    const { summary, events, logs } = await run()
    expect(summary).toMatchObject({ status: 'completed', retries: 2 })
    const country = (await checkpoints(summary.runId)).find((c) => c.stage === 'country_sales')
    expect(country?.status).toBe('completed')
    expect(country?.metadata).toMatchObject({ attempts: 3 })
    expect(country?.metadata.retried_errors).toMatchObject([
      { attempt: 1, error_code: '40001' },
      { attempt: 2, error_code: '40001' },
    ])

    const warnings = (await logRows(summary.runId)).filter((l) => l.level === 'WARNING')
    expect(warnings.map((w) => w.message)).toEqual([
      // The same message and metadata keys as a month's retry (run/run-unit.ts).
      expect.stringMatching(
        /^attempt 1 of 4 failed for country_sales: serialization failure \(40001\): injected transient fault .*; retrying in \d+ ms$/,
      ),
      expect.stringMatching(/^attempt 2 of 4 failed for country_sales/),
    ])
    expect(warnings[0]?.metadata).toMatchObject({
      stage: 'country_sales',
      attempt: 1,
      max_attempts: 4,
      error_code: '40001',
      error_class: 'transient',
      sqlstate: '40001',
    })
    expect(warnings[0]?.metadata.delay_ms).toBeGreaterThanOrEqual(10)
    expect(warnings[1]?.metadata.delay_ms).toBeGreaterThanOrEqual(20)
    expect(logs.filter((l) => l.level === 'WARNING')).toHaveLength(2)

    const retrying = events.filter((e) => e.type === 'unit.retrying')
    expect(retrying).toHaveLength(2)
    expect(retrying[0]).toMatchObject({
      unit: 'country_sales',
      attempt: 1,
      maxAttempts: 4,
      sqlstate: '40001',
    })
    expect(events.filter((e) => e.type === 'unit.started' && e.unit === 'country_sales')).toHaveLength(3)
    expect((await getRun(s.db, summary.runId))?.retries).toBe(2)
  })

  it('gives up when retries are exhausted, with an ERROR that says "retry"', async () => {
    faults.set(parseFaults('stage:product_performance:transient:10'))
    const { summary } = await run({}, { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } })
    expect(summary).toMatchObject({ status: 'failed', done: [], retries: 2 })
    const [product, ...rest] = await checkpoints(summary.runId)
    expect(rest).toEqual([])
    expect(product?.metadata).toMatchObject({
      transient: true,
      attempts: 3,
      sqlstate: '40001',
      retries_exhausted: true,
    })
    const { rows } = await s.db.query<{ retry_exhaustion_count: number }>(
      `SELECT COUNT(*) as retry_exhaustion_count
FROM ops.pipeline_logs
WHERE message ILIKE '%retry%' AND level = 'ERROR';`,
    )
    expect(Number(rows[0]?.retry_exhaustion_count)).toBe(1)
  })

  it('cancels between attempts: the run is cancelled, the stage rolled back, later stages not run', async () => {
    const controller = new AbortController()
    const { summary } = await run(
      {},
      {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'unit.started' && event.unit === 'country_sales') controller.abort()
        },
      },
    )
    expect(summary).toMatchObject({ status: 'cancelled', done: ['product_performance'] })
    const [, country] = await checkpoints(summary.runId)
    expect(country).toMatchObject({ status: 'failed', metadata: { cancelled: true } })
    expect((await readGold(s.db)).countries).toEqual([])
    expect((await getRun(s.db, summary.runId))?.status).toBe('cancelled')
  })

  it('writes seed-shaped records for the run to ops.pipeline_logs, DEBUG only with --verbose', async () => {
    const quiet = await run()
    const rows = await logRows(quiet.summary.runId)
    expect(rows.length).toBeGreaterThanOrEqual(6)
    for (const row of rows) {
      expect(row).toMatchObject({
        logger: 'assay.reliable',
        pipeline_name: PIPELINE_NAME,
        run_id: quiet.summary.runId,
      })
      expect(row.module).toMatch(/^reliable\//)
    }
    expect(rows.some((r) => r.level === 'DEBUG')).toBe(false)
    const connected = rows.find((r) => r.message === 'Database connection established')
    if (name === 'postgres')
      expect(connected?.metadata).toMatchObject({ db_host: expect.any(String), db_port: 5432 })
    else expect(connected?.metadata).toMatchObject({ db_kind: 'pglite' })
    expect(rows.find((r) => /^Stage product_performance completed/.test(r.message))?.function).toBe(
      'runStage',
    )

    const verbose = await run({}, { logLevel: 'DEBUG' })
    const debug = (await logRows(verbose.summary.runId)).filter((r) => r.level === 'DEBUG')
    expect(debug.map((r) => r.message)).toContain('Upserted gold.fact_product_performance')
  })

  it('keeps running through a log store outage and writes the buffered records when it returns', async () => {
    await s.db.exec('ALTER TABLE ops.pipeline_logs RENAME TO pipeline_logs_away')
    let restored: Promise<void> | undefined
    const { summary } = await run(
      {},
      {
        onEvent: (event) => {
          if (event.type === 'run.finished')
            restored = s.db.exec('ALTER TABLE ops.pipeline_logs_away RENAME TO pipeline_logs')
        },
      },
    )
    await restored
    expect(summary.status).toBe('completed')
    const rows = await logRows(summary.runId)
    expect(rows.map((r) => r.message)).toContain('Database connection established')
    expect(rows.map((r) => r.message)).toContain(
      `Pipeline completed in ${(summary.durationMs / 1000).toFixed(1)} s`,
    )
  })

  it('stops hammering a database that refuses connections: the circuit opens and says until when', async () => {
    let sessions = 0
    // The run's own session exists; every new connection after it is refused, as when the server stops accepting.
    const refusing: Db = Object.create(s.db, {
      session: {
        value: async () => {
          if (++sessions === 1) return s.db.session()
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
        },
      },
    })
    const summary = await runReliable(
      refusing,
      {},
      {
        trigger: 'cli',
        stdout: 'none',
        logDir,
        retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 2 },
      },
    )
    expect(summary).toMatchObject({ status: 'failed', done: [], retries: 5 })
    expect(summary.error).toMatch(
      /^stage product_performance failed: circuit open: .* until \d{4}-\d\d-\d\dT/,
    )
    const [product, ...rest] = await checkpoints(summary.runId)
    expect(rest).toEqual([])
    expect(product?.metadata).toMatchObject({ circuit_open: true, transient: true, attempts: 5 })
    expect(Date.parse(String(product?.metadata.circuit_retry_at))).toBeGreaterThan(Date.now())
    const errors = (await logRows(summary.runId)).filter((l) => l.level === 'ERROR')
    expect(errors[0]?.message).toMatch(
      /^giving up on product_performance after 5 attempt\(s\): circuit open: .* until .*\(no further retry\)$/,
    )
    expect(sessions).toBe(6)
  })

  describeOn(name, 'postgres')('PostgreSQL only', () => {
    it('retries a stage whose connection is killed mid-transaction (57P01) and completes', async () => {
      faults.set(parseFaults('stage:product_performance:disconnect'))
      const { summary } = await run()
      expect(summary.status).toBe('completed')
      const [product] = await checkpoints(summary.runId)
      expect(product?.metadata).toMatchObject({
        attempts: 2,
        retried_errors: [{ attempt: 1, error_code: '57P01' }],
      })
      expect((await readGold(s.db)).products).toEqual(expectedProducts(fixture))
    })

    it('cancels the statement in flight (pg_cancel_backend) when aborted mid-stage', async () => {
      faults.set(parseFaults('stage:product_performance:delay:20000'))
      const controller = new AbortController()
      const t0 = Date.now()
      const { summary } = await run(
        {},
        {
          signal: controller.signal,
          onEvent: (event) => {
            if (event.type === 'unit.started') setTimeout(() => controller.abort(), 300)
          },
        },
      )
      expect(Date.now() - t0).toBeLessThan(5000)
      expect(summary).toMatchObject({ status: 'cancelled', done: [] })
      const [product, ...rest] = await checkpoints(summary.runId)
      expect(rest).toEqual([])
      expect(product).toMatchObject({ status: 'failed', metadata: { cancelled: true } })
      expect((await readGold(s.db)).products).toEqual([])
      // The cancelled backend is idle again, not still sleeping.
      const { rows } = await s.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep' AND state = 'active' AND pid <> pg_backend_pid()`,
      )
      expect(rows[0]?.n).toBe(0)
    })
  })
})
