import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { faults, parseFaults } from '../engine/faults.js'
import { backends, type Scratch } from '../test-support/scratch.js'
import { type TestHost, testHost } from './test-host.js'

describe.each(backends)('console history on $name', ({ scratch }) => {
  let s: Scratch
  let t: TestHost

  beforeAll(async () => {
    s = await scratch()
    t = await testHost(s)
    await t.call('setup:demo', { scale: 0.01 })
    await t.call('settings:save', { retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 } })
  })

  afterAll(async () => {
    faults.set([])
    await t.host.close()
    await s.dispose()
  })

  async function runToEnd(start: Promise<{ jobId: string; runId: string }>) {
    const { jobId, runId } = await start
    const job = await t.next('job:changed', (j) => j.jobId === jobId && j.status !== 'running', 30_000)
    return { job, runId }
  }

  it('shows a failed run stage by stage: the error, SQLSTATE, classification and every attempt', async () => {
    await runToEnd(t.call('runs:start', { pipeline: 'monthly', scope: { kind: 'pending' }, force: false }))
    faults.set(parseFaults('stage:product_performance:transient:1,stage:country_sales:permanent'))
    const { job, runId } = await runToEnd(
      t.call('runs:start', { pipeline: 'reliable', scope: { kind: 'pending' }, force: false }),
    )
    expect(job.status).toBe('failed')
    const detail = await t.call('runs:detail', { runId })
    expect(detail.resumable).toBe(true)
    expect(detail.run.args.retry).toEqual({ maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 })
    const [product, country] = detail.units
    expect(product).toMatchObject({ unit: 'product_performance', status: 'completed', transient: null })
    expect(product?.attempts.map((a) => [a.attempt, a.outcome, a.code])).toEqual([
      [1, 'failed', '40001'],
      [2, 'completed', null],
    ])
    expect(product?.attempts[0]?.delayMs).toBeGreaterThanOrEqual(20)
    expect(country).toMatchObject({
      unit: 'country_sales',
      status: 'failed',
      sqlstate: '22012',
      transient: false,
      error: expect.stringContaining('injected permanent fault'),
    })
    expect(country?.attempts).toHaveLength(1)

    const page = await t.call('runs:list', { status: 'failed', limit: 10 })
    expect(page.runs.map((r) => r.runId)).toEqual([runId])
    const cps = await t.call('checkpoints:page', { runId, status: 'failed', limit: 10 })
    expect(cps.records.map((c) => c.stage)).toEqual(['country_sales'])
  })

  it('resumes the failed run: the completed stage is skipped, the failed one runs again', async () => {
    const failed = (await t.call('runs:list', { status: 'failed', limit: 1 })).runs[0]!
    faults.set([])
    const { job, runId } = await runToEnd(t.call('runs:resume', { runId: failed.runId }))
    expect(job.status).toBe('completed')
    const detail = await t.call('runs:detail', { runId })
    expect(detail.run.resumedFrom).toBe(failed.runId)
    expect(detail.units.map((u) => [u.unit, u.status])).toEqual([
      ['product_performance', 'skipped'],
      ['country_sales', 'completed'],
    ])
    expect((await t.call('runs:detail', { runId: failed.runId })).resumedBy).toEqual([runId])
    // A monthly run cannot be resumed; re-run repeats its scope.
    const monthly = (await t.call('runs:list', { pipeline: 'idempotent_gold_pipeline', limit: 1 })).runs[0]!
    const refused = await t.host.request('runs:resume', { runId: monthly.runId })
    expect(refused).toMatchObject({ ok: false, error: { code: 'resume_refused' } })
  })

  it('pages runs with a keyset cursor and no repeats', async () => {
    const all = (await t.call('runs:list', { limit: 100 })).runs.map((r) => r.runId)
    const first = await t.call('runs:list', { limit: 2 })
    const second = await t.call('runs:list', { limit: 2, before: first.next! })
    expect([...first.runs, ...second.runs].map((r) => r.runId)).toEqual(all.slice(0, 4))
  })

  it('summarises health, reconciles gold with silver, and charts recent stages', async () => {
    const overview = await t.call('overview:get')
    expect(overview.layers.every((l) => l.ok)).toBe(true)
    expect(overview.months.length).toBeGreaterThan(0)
    expect(overview.months.every((m) => m.reconciled)).toBe(true)
    expect(overview.failuresByStage).toEqual([
      expect.objectContaining({ stage: 'country_sales', failures: 1 }),
    ])
    expect(overview.health.map((h) => h.pipelineName).sort()).toEqual([
      'idempotent_gold_pipeline',
      'reliable_gold_pipeline',
    ])
    expect(overview.stageRuns).toHaveLength(2)
    expect(overview.breaker.state).toBe('closed')
    // A cancelled stage (stored failed, metadata.cancelled) is counted as cancelled, not as a failure.
    const reliable = overview.health.find((h) => h.pipelineName === 'reliable_gold_pipeline')!
    await s.db.query(
      `INSERT INTO ops.pipeline_checkpoint (pipeline_name, run_id, stage, status, start_time, metadata)
       VALUES ('reliable_gold_pipeline', 'cancelled-run', 'country_sales', 'failed', now(), '{"cancelled": true}')`,
    )
    const cancelled = await t.call('overview:get')
    expect(cancelled.health.find((h) => h.pipelineName === 'reliable_gold_pipeline')).toMatchObject({
      failed: reliable.failed,
      cancelled: reliable.cancelled + 1,
    })
    expect(cancelled.failuresByStage).toEqual(overview.failuresByStage)
    // Gold drifting from silver shows on that month's badge.
    const month = overview.months[0]!
    await s.db.query(
      'UPDATE gold.fact_sales_monthly SET total_quantity = total_quantity + 1 WHERE year = $1 AND month = $2',
      [month.year, month.month],
    )
    const after = await t.call('overview:get')
    expect(after.months.find((m) => m.monthKey === month.monthKey)).toMatchObject({
      reconciled: false,
      quantity: month.quantity + 1,
      silverQuantity: month.quantity,
    })
    expect((await t.call('breaker:reset')).state).toBe('closed')
  })

  it('previews and applies log retention in batches', async () => {
    await s.db.query(
      `UPDATE ops.pipeline_logs SET timestamp = timestamp - interval '40 days' WHERE id IN (SELECT id FROM ops.pipeline_logs ORDER BY id LIMIT 5)`,
    )
    const preview = await t.call('retention:preview', { days: 30 })
    expect(preview).toMatchObject({ days: 30, logs: 5, checkpoints: 0 })
    expect(await t.call('retention:apply', { days: 30 })).toEqual({ logs: 5, checkpoints: 0 })
    expect((await t.call('retention:preview', { days: 30 })).logs).toBe(0)
  })

  it('refuses fault injection unless the host runs with ASSAY_ALLOW_FAULTS=1', async () => {
    expect(await t.host.request('faults:set', { spec: 'stage:x:permanent' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
  })
})
