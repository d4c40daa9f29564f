import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { RunEvent } from '../../../src-shared/pipeline.js'
import { backends, suiteScratch } from '../../test-support/scratch.js'
import { waitFor } from '../../test-support/wait.js'
import type { Session } from '../db/types.js'
import { completedStages, endCheckpoint, startCheckpoint } from './checkpoints.js'
import { getRun } from './read/runs.js'
import {
  activeRuns,
  finishRun,
  type NewRun,
  reapInterrupted,
  recordProgress,
  runEmitter,
  startRun,
} from './runs.js'

function newRun(extra: Partial<NewRun> = {}): NewRun {
  return {
    runId: randomUUID(),
    pipeline: 'reliable',
    pipelineName: 'reliable_gold_pipeline',
    trigger: 'cli',
    args: { resume: null },
    planned: ['product_performance', 'country_sales'],
    ...extra,
  }
}

/** The pid of a process that has just exited: a runner killed on this host. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await once(child, 'exit')
  return child.pid!
}

const progress = { done: ['product_performance'], skipped: [], failed: ['country_sales'], retries: 2 }

describe.each(backends)('ops on $name', ({ name, scratch }) => {
  const s = suiteScratch(scratch)

  it('records a run from start to finish', async () => {
    const session = await s.db.session()
    const run = newRun()
    try {
      await startRun(session, run)
      expect(await getRun(s.db, run.runId)).toMatchObject({
        status: 'running',
        pipelineName: 'reliable_gold_pipeline',
        trigger: 'cli',
        args: { resume: null },
        planned: run.planned,
        done: [],
        pid: process.pid,
        endedAt: null,
      })
      await recordProgress(s.db, run.runId, {
        done: ['product_performance'],
        skipped: [],
        failed: [],
        retries: 1,
      })
      expect(await getRun(s.db, run.runId)).toMatchObject({ done: ['product_performance'], retries: 1 })
      await finishRun(session, run.runId, 'failed', progress, { error: 'boom', sqlstate: '22012' })
      const done = await getRun(s.db, run.runId)
      expect(done).toMatchObject({ status: 'failed', error: 'boom', sqlstate: '22012', ...progress })
      expect(done?.durationMs).toBeGreaterThanOrEqual(0)
      expect(done?.endedAt).not.toBeNull()
    } finally {
      await session.release()
    }
  })

  it('reaps a run whose runner session died and leaves a live one alone', async () => {
    const dying = await s.db.session()
    const live = await s.db.session()
    const dead = newRun()
    const alive = newRun()
    await startRun(dying, dead)
    await startRun(live, alive)
    try {
      if (name === 'postgres') {
        // The runner's backend goes away (kill -9 of the runner, a network cut): its session-level lock dies with it.
        await s.db.query('SELECT pg_terminate_backend($1)', [dying.pid])
        await waitFor('the terminated backend to be gone', async () => {
          const { rows } = await s.db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1',
            [dying.pid],
          )
          return rows[0]?.n === 0
        })
        await dying.release(true)
      } else {
        // Embedded: the session ends without finishing its run (what a crash and reopen amount to).
        await dying.release()
      }
      expect(await reapInterrupted(s.db)).toEqual([dead.runId])
      expect(await getRun(s.db, dead.runId)).toMatchObject({
        status: 'interrupted',
        error: 'the runner stopped without finishing (process killed or connection lost)',
      })
      expect((await getRun(s.db, dead.runId))?.endedAt).not.toBeNull()
      expect((await getRun(s.db, alive.runId))?.status).toBe('running')
      // Reaping again finds nothing new; activeRuns lists only the live run.
      expect(await reapInterrupted(s.db)).toEqual([])
      expect((await activeRuns(s.db)).map((r) => r.runId)).toEqual([alive.runId])
      // The live runner still holds its lock: finishing works and releases it.
      await finishRun(live, alive.runId, 'completed', {
        done: alive.planned,
        skipped: [],
        failed: [],
        retries: 0,
      })
      expect((await getRun(s.db, alive.runId))?.status).toBe('completed')
      expect(await activeRuns(s.db)).toEqual([])
    } finally {
      await live.release()
    }
  })

  it('waits a bounded time for the session of a runner whose process on this host is gone, not for a live one', async () => {
    const gonePid = await exitedPid()
    const holder = await s.db.session()
    const liveHolder = await s.db.session()
    const gone = newRun()
    const live = newRun()
    await startRun(holder, gone)
    await startRun(liveHolder, live)
    // The runner process was killed, but its session (and so the run's lock) outlives it for a moment, as a
    // backend does until the server notices the client is gone.
    await s.db.query('UPDATE ops.pipeline_runs SET pid = $1 WHERE run_id = $2', [gonePid, gone.runId])
    try {
      expect(await reapInterrupted(s.db)).toEqual([]) // no grace: the held lock means "alive"
      let released = false
      const ending = new Promise<void>((resolve) =>
        setTimeout(() => {
          released = true
          void holder.release(true).then(resolve)
        }, 600),
      )
      const reaped = await reapInterrupted(s.db, { graceMs: 10_000 })
      expect(released).toBe(true)
      expect(reaped).toEqual([gone.runId])
      expect((await getRun(s.db, gone.runId))?.status).toBe('interrupted')
      await ending
      // A live runner (this process) holding its lock is neither waited for nor reaped.
      const started = performance.now()
      expect(await reapInterrupted(s.db, { graceMs: 10_000 })).toEqual([])
      expect(performance.now() - started).toBeLessThan(5000)
      expect((await getRun(s.db, live.runId))?.status).toBe('running')
      await finishRun(liveHolder, live.runId, 'completed', { done: [], skipped: [], failed: [], retries: 0 })
    } finally {
      await liveHolder.release()
    }
  })

  it('does not reap a finished run even though its lock is free', async () => {
    const session: Session = await s.db.session()
    const run = newRun()
    await startRun(session, run)
    await finishRun(session, run.runId, 'completed', { done: [], skipped: [], failed: [], retries: 0 })
    await session.release()
    expect(await reapInterrupted(s.db)).toEqual([])
    expect((await getRun(s.db, run.runId))?.status).toBe('completed')
  })

  it('checkpoints a stage atomically with its data: a rolled-back end leaves it in progress', async () => {
    const runId = randomUUID()
    const ref = { pipelineName: 'reliable_gold_pipeline', runId, stage: 'product_performance', key: 'gold.x' }
    await startCheckpoint(s.db, ref, { gold_table: 'gold.x' })
    await s.db
      .transaction(async (tx) => {
        await endCheckpoint(tx, ref, 'completed', '10', { attempts: 1 })
        throw new Error('the data change failed')
      })
      .catch(() => undefined)
    const read = async () =>
      (
        await s.db.query<{
          status: string
          checkpoint_value: string | null
          duration_ms: number | null
          metadata: object
        }>(
          'SELECT status, checkpoint_value, duration_ms, metadata FROM ops.pipeline_checkpoint WHERE run_id = $1',
          [runId],
        )
      ).rows
    expect(await read()).toEqual([
      {
        status: 'in_progress',
        checkpoint_value: null,
        duration_ms: null,
        metadata: { gold_table: 'gold.x' },
      },
    ])
    expect(await completedStages(s.db, runId)).toEqual(new Set())
    await new Promise((r) => setTimeout(r, 15))
    await s.db.transaction((tx) => endCheckpoint(tx, ref, 'completed', '10', { attempts: 2 }))
    const [row] = await read()
    expect(row).toMatchObject({
      status: 'completed',
      checkpoint_value: '10',
      metadata: { gold_table: 'gold.x', attempts: 2 },
    })
    expect(row?.duration_ms).toBeGreaterThanOrEqual(10)
    expect(await completedStages(s.db, runId)).toEqual(new Set(['product_performance']))
  })
})

describe('runEmitter', () => {
  it('stamps run id, a per-run sequence and the time, and survives a throwing listener', () => {
    const seen: RunEvent[] = []
    const emit = runEmitter('run-1', (event) => {
      seen.push(event)
      throw new Error('listener bug')
    })
    emit({ type: 'run.started', pipeline: 'reliable', planned: ['a'], dryRun: false })
    const second = emit({ type: 'unit.skipped', unit: 'a', reason: 'completed' })
    expect(seen.map((e) => [e.runId, e.seq, e.type])).toEqual([
      ['run-1', 1, 'run.started'],
      ['run-1', 2, 'unit.skipped'],
    ])
    expect(second.at).toMatch(/Z$/)
  })
})
