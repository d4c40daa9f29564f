import { sleep, waitFor } from '../runner.js'
import type { FaultFamily, Trial } from '../trial.js'
import { completedMonths, sleepingBackends, slowMonths, slowStages } from './common.js'

/**
 * 1. kill -9 of a runner at a random moment, then a normal rerun (the harness's final `assay monthly`).
 * Variants aim the kill: during start-up, at a uniformly random time, inside a month's transaction, or right
 * after a month's commit (before its log records are flushed, which the sink does every ~100 ms).
 */
const VARIANTS = ['startup', 'random', 'mid-tx', 'mid-tx-long', 'after-commit', 'twice'] as const

async function aimAndKill(trial: Trial, variant: string, delay: number): Promise<void> {
  const { rng } = trial
  const months = trial.suite.months.length
  const child = trial.monthly([], { faults: slowMonths(delay) })
  const alive = () => !child.running
  switch (variant) {
    case 'startup':
      await sleep(rng.int(0, 700))
      break
    case 'random':
    case 'twice':
      await sleep(rng.int(200, 400 + months * delay))
      break
    case 'mid-tx':
    case 'mid-tx-long': {
      const target = variant === 'mid-tx-long' ? rng.int(0, 1) : rng.int(0, Math.max(0, months - 2))
      await waitFor(async () => (await completedMonths(trial)) >= target, { timeoutMs: 30_000, until: alive })
      await waitFor(async () => (await sleepingBackends(trial)).length > 0, {
        timeoutMs: 30_000,
        until: alive,
      })
      await sleep(rng.int(0, Math.max(0, (variant === 'mid-tx-long' ? delay / 2 : delay) - 15)))
      break
    }
    case 'after-commit': {
      const target = rng.int(1, Math.max(1, months - 1))
      await waitFor(async () => (await completedMonths(trial)) >= target, {
        timeoutMs: 30_000,
        intervalMs: 2,
        until: alive,
      })
      break
    }
  }
  child.kill9()
  const result = await child.done
  trial.note(
    result.killed ? `killed after ${result.ms} ms` : `runner finished (${result.code}) before the kill`,
  )
  if (!result.killed) trial.expectExit('runner', result, [0])
}

/** kill -9 of `assay reliable` inside a stage; the final rerun (plain, or --resume of the killed run) finishes it. */
async function killReliable(trial: Trial): Promise<void> {
  const { rng } = trial
  trial.reliableOnly()
  const delay = rng.int(80, 300)
  const child = trial.reliableRun([], { faults: slowStages(delay) })
  await sleep(rng.int(300, 900 + 2 * delay))
  child.kill9()
  const result = await child.done
  trial.note(
    result.killed
      ? `reliable killed after ${result.ms} ms`
      : `reliable finished (${result.code}) before the kill`,
  )
  if (!result.killed) trial.expectExit('reliable runner', result, [0])
  if (result.killed && rng.chance(0.5)) {
    const [run] = await trial.sql<{ run_id: string; status: string }>(
      `SELECT run_id, status FROM ops.pipeline_runs WHERE pipeline = 'reliable' ORDER BY started_at DESC LIMIT 1`,
    )
    if (run) {
      const resumed = await trial.reliableRun(['--resume', run.run_id]).done
      trial.note(`--resume ${run.run_id.slice(0, 8)} (${run.status}) exited ${resumed.code}`)
      // Killed after recording its completion (while closing): a completed run is not resumable, a usage error;
      // the final plain rerun then finds nothing to do.
      trial.expectExit('reliable --resume', resumed, [run.status === 'completed' ? 2 : 0])
    }
  }
}

export const kill: FaultFamily = {
  name: 'kill -9',
  title: 'kill -9 of a runner at a random moment, then a normal rerun',
  async run(trial) {
    const variants = trial.suite.reliable ? [...VARIANTS, 'reliable'] : VARIANTS
    const variant = trial.pickVariant(variants)
    if (variant === 'reliable') return killReliable(trial)
    // mid-tx-long: a statement still running when the runner dies; the rerun starts before the server may have
    // noticed (client_connection_check_interval), so the month's lock can still be held by the dying backend.
    const delay = variant === 'mid-tx-long' ? trial.rng.int(800, 2500) : trial.rng.int(20, 80)
    await aimAndKill(trial, variant, delay)
    if (variant === 'twice') {
      // The recovering run killed too: recovery must survive being interrupted again.
      await aimAndKill(trial, 'random', delay)
    }
  },
}
