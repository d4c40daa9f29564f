import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { DbConfig } from '../engine/config.js'
import { PgDb } from '../engine/db/pg.js'
import type { Db } from '../engine/db/types.js'
import { engine } from '../engine/engine.js'
import { faults } from '../engine/faults.js'
import { backends, itOn, type Scratch } from '../test-support/scratch.js'
import { Connection } from './connection.js'
import { engineSetup } from './engine-setup.js'
import { createHost, type Host } from './host.js'
import { recordEvents, type TestHost, testHost } from './test-host.js'

/** Never the user's own settings (a saved retry policy would change these runs). */
const settingsFile = join(mkdtempSync(join(tmpdir(), 'assay-host-test-')), 'settings.json')

/** The demo data covers Dec 2010 – Dec 2011. */
const DEMO_MONTHS = 13

/**
 * Each block has its own database, and each test sets up what it needs (a forced run, a processed month), so a
 * test passes alone (`-t`) as well as in file order.
 */
describe.each(backends)('host on $name', ({ name, scratch }) => {
  let s: Scratch
  let host: Host
  /** The test host: its events, and `call` (expects success, checks the value against the contract). */
  let events: TestHost
  const call: TestHost['call'] = (request, input) => events.call(request, input)

  /** Runs the monthly pipeline over one month (forced) and waits for the job to end. */
  async function runMonth(year: number, month: number): Promise<void> {
    const { jobId } = await call('runs:start', {
      pipeline: 'monthly',
      scope: { kind: 'month', year, month },
      force: true,
    })
    const done = await events.next('job:changed', (j) => j.jobId === jobId && j.status !== 'running')
    expect(done.status).toBe('completed')
  }

  afterEach(() => faults.set([]))

  describe('on an empty database', () => {
    beforeAll(async () => {
      s = await scratch({ migrated: false })
      events = await testHost(s)
      host = events.host
    })

    afterAll(async () => {
      await host.close()
      await s.dispose()
    })

    it('says which database it is connected to', async () => {
      const info = await call('db:info')
      expect(info.connected).toBe(true)
      expect(info.kind).toBe(name)
      expect(info.target).toBe(name === 'pglite' ? 'embedded' : `127.0.0.1:5432/${s.config?.database}`)
    })

    it('rejects bad input with a specific message and unknown requests by name', async () => {
      const month13 = await host.request('months:plan', {
        pipeline: 'monthly',
        scope: { kind: 'month', year: 2011, month: 13 },
        force: false,
      })
      expect(month13).toEqual({ ok: false, error: { code: 'invalid_input', message: 'month must be 1–12' } })
      const range = await host.request('runs:start', {
        pipeline: 'monthly',
        scope: { kind: 'range', from: { year: 2011, month: 5 }, to: { year: 2011, month: 2 } },
        force: false,
      })
      expect(range).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: expect.stringMatching(/starts after it ends/) },
      })
      expect(await host.request('logs:page', { limit: 5000 })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: 'limit must be at most 500' },
      })
      expect(await host.request('runs:cancel', 'nope')).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      })
      expect(await host.request('fs:read', {})).toEqual({
        ok: false,
        error: { code: 'unknown_request', message: 'unknown request "fs:read"' },
      })
    })

    it('walks the first-run flow: init, then demo data and silver, with progress', async () => {
      expect((await call('status:get')).next).toBe('init')
      const init = await call('setup:init')
      expect(init.applied.length).toBeGreaterThan(0)
      expect((await call('status:get')).next).toBe('demo')
      const demo = await call('setup:demo', { scale: 0.01 })
      expect(demo.bronzeRows).toBeGreaterThan(0)
      const status = await call('status:get')
      expect(status).toMatchObject({ initialised: true, next: 'run', demoAvailable: false })
      const steps = events
        .of('setup:progress')
        .filter((p) => p.phase === 'done')
        .map((p) => p.step)
      expect(steps).toEqual(['init', 'demo', 'silver'])
      const again = await host.request('setup:demo', { scale: 0.01 })
      expect(again).toMatchObject({ ok: false, error: { code: 'not_empty' } })
      const months = await events.next('months:changed', (m) => m.length === DEMO_MONTHS)
      expect(months.every((m) => m.status === 'pending')).toBe(true)
    })
  })

  describe('with demo data and one run', () => {
    beforeAll(async () => {
      s = await scratch({ migrated: false })
      events = await testHost(s)
      host = events.host
      await call('setup:init')
      await call('setup:demo', { scale: 0.01 })
      await runMonth(2011, 1)
    })

    afterAll(async () => {
      await host.close()
      await s.dispose()
    })

    it('previews a run without writing anything', async () => {
      const count = async () =>
        (await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ops.processed_months')).rows[0]?.n
      const before = await count()
      const dry = await call('months:plan', {
        pipeline: 'both',
        scope: { kind: 'year', year: 2011 },
        force: false,
      })
      // 2011 less January, which the block's run processed.
      expect(dry.monthly?.items.map((i) => i.monthKey)).toHaveLength(11)
      expect(dry.monthly?.items[0]?.diff?.action).toBe('insert')
      expect(dry.reliable?.tables).toContain('gold.fact_country_sales')
      expect(await count()).toBe(before)
    })

    it('runs a job, streams its progress in seq order, and pushes months, runs and logs from NOTIFY', async () => {
      events.clear()
      const { jobId, runId } = await call('runs:start', {
        pipeline: 'monthly',
        scope: { kind: 'pending' },
        force: true,
      })
      const busy = await host.request('runs:start', {
        pipeline: 'reliable',
        scope: { kind: 'pending' },
        force: false,
      })
      expect(busy).toMatchObject({ ok: false, error: { code: 'run_active' } })
      const finished = await events.next('job:changed', (j) => j.jobId === jobId && j.status !== 'running')
      expect(finished.status).toBe('completed')
      const runEvents = events.of('run:events').flat()
      expect(runEvents.map((e) => e.seq)).toEqual(runEvents.map((_, i) => i + 1))
      expect(runEvents.every((e) => e.runId === runId)).toBe(true)
      // Batched: far fewer pushes than events.
      expect(events.of('run:events').length).toBeLessThan(runEvents.length)
      const snapshot = await call('runs:snapshot')
      expect(snapshot?.runs[0]?.units.every((u) => u.state === 'completed')).toBe(true)
      await events.next('months:changed', (m) => m.every((x) => x.status === 'completed'))
      await events.next('log:records', (records) =>
        records.some((r) => r.message.startsWith('2011-12 processed')),
      )
      const overview = await events.next('runs:changed', (o) => o.recent.some((r) => r.runId === runId))
      expect(overview.active).toHaveLength(0)
    })

    it('runs both pipelines in order as one job', async () => {
      const { jobId } = await call('runs:start', {
        pipeline: 'both',
        scope: { kind: 'pending' },
        force: true,
      })
      const done = await events.next('job:changed', (j) => j.jobId === jobId && j.status !== 'running')
      expect(done.status).toBe('completed')
      expect(done.runs.map((r) => [r.pipeline, r.status])).toEqual([
        ['monthly', 'completed'],
        ['reliable', 'completed'],
      ])
      expect(done.runs[1]?.units.every((u) => u.state === 'completed')).toBe(true)
      const [gold] = (
        await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM gold.fact_country_sales')
      ).rows
      expect(gold?.n).toBeGreaterThan(0)
    })

    it('cancels a running job cleanly', async () => {
      events.clear()
      faults.set([{ target: 'month:*', kind: 'delay', n: 300 }])
      const config: DbConfig = s.config ?? { kind: 'pglite', dataDir: 'memory://', source: 'test' }
      // A second host over the same database, as a second console would be; it borrows the open db.
      const borrowed: Db = Object.assign(Object.create(s.db), { close: async () => undefined })
      const other = await createHost({
        connection: new Connection({ config, open: async () => borrowed }),
        engine,
        setup: engineSetup,
        settingsFile,
        timing: { batchMs: 20, debounceMs: 10 },
      })
      const seen = recordEvents(other)
      const envelope = await other.request('runs:start', {
        pipeline: 'both',
        scope: { kind: 'pending' },
        force: true,
      })
      if (!envelope.ok) throw new Error(envelope.error.message)
      const { jobId } = envelope.value as { jobId: string }
      // Runs started elsewhere show up in the first host through NOTIFY.
      await events.next('runs:changed', (o) => o.active.length === 1)
      expect(await other.request('runs:cancel', { jobId })).toEqual({ ok: true, value: { cancelled: true } })
      const done = await seen.next('job:changed', (j) => j.status !== 'running')
      expect(done.status).toBe('cancelled')
      expect(done.runs).toHaveLength(1)
      expect(done.runs[0]?.status).toBe('cancelled')
      expect(await other.request('runs:cancel', { jobId: 'other' })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      })
      await other.close()
    })

    it('resets with a preview first', async () => {
      await runMonth(2010, 12)
      events.clear()
      const preview = await call('months:reset', { scope: { kind: 'year', year: 2010 }, dryRun: true })
      expect(preview).toEqual({ scope: { kind: 'year', year: 2010 }, months: ['2010-12'], dryRun: true })
      const done = await call('months:reset', { scope: { kind: 'year', year: 2010 }, dryRun: false })
      expect(done.months).toEqual(['2010-12'])
      await events.next(
        'months:changed',
        (m) => m.find((x) => x.monthKey === '2010-12')?.status === 'pending',
      )
    })

    // Another runner needs another connection: on PGlite only one process can open the database at all.
    itOn(name, 'postgres')('refuses a month another runner is processing, naming the host', async () => {
      faults.set([{ target: 'month:2010-12', kind: 'delay', n: 1500 }])
      events.clear()
      const other = await PgDb.open(s.config!, { applicationName: 'other-runner' })
      try {
        const running = engine.runMonthly(
          other,
          { scope: { kind: 'month', year: 2010, month: 12 }, force: true },
          { trigger: 'cli', stdout: 'none', logDir: tmpdir() },
        )
        await events.next(
          'months:changed',
          (m) => m.find((x) => x.monthKey === '2010-12')?.status === 'in_progress',
        )
        const refused = await host.request('runs:start', {
          pipeline: 'monthly',
          scope: { kind: 'month', year: 2010, month: 12 },
          force: false,
        })
        expect(refused).toMatchObject({
          ok: false,
          error: {
            code: 'run_active',
            message: expect.stringMatching(
              /^a run is already active on 2010-12 from host \S+ \(run [0-9a-f]{8}/,
            ),
          },
        })
        // A refused start leaves no half-started job behind.
        expect((await call('runs:snapshot'))?.status).not.toBe('running')
        expect((await running).status).toBe('completed')
      } finally {
        await other.close()
      }
    })

    it('pages logs newest first with filters and a keyset cursor', async () => {
      const first = await call('logs:page', { limit: 5 })
      expect(first.records).toHaveLength(5)
      const ids = first.records.map((r) => r.id)
      expect([...ids].sort((a, b) => b - a)).toEqual(ids)
      const second = await call('logs:page', { limit: 5, before: first.nextBefore! })
      expect(second.records[0]!.id).toBeLessThan(ids[4]!)
      const errors = await call('logs:page', { limit: 50, level: 'ERROR' })
      expect(errors.records.every((r) => r.level === 'ERROR')).toBe(true)
      const facets = await call('logs:facets')
      expect(facets.pipelines).toContain('idempotent_gold_pipeline')
      const run = facets.runs[0]!
      const byRun = await call('logs:page', { limit: 500, runId: run.runId })
      expect(byRun.records.every((r) => r.run_id === run.runId)).toBe(true)
      expect(byRun.nextBefore).toBeNull()
    })

    it('lists months and runs in the contract shape', async () => {
      expect(await call('months:list')).toHaveLength(DEMO_MONTHS)
      const overview = await call('runs:active')
      expect(overview.recent.length).toBeGreaterThan(0)
    })
  })
})
