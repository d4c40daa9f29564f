import { sleep, waitFor } from '../runner.js'
import type { FaultFamily, Trial } from '../trial.js'
import { runRegistered, sleepingBackends, slowMonths, slowStages, terminateRunners } from './common.js'

/**
 * 2. The runner's connections killed from the server side (pg_terminate_backend): once at a random moment,
 * once inside a month's transaction, or repeatedly for a while. One loss is within the retry budget, so the
 * run must complete; repeated losses may exhaust it, and then the run must fail cleanly (exit 1, a message,
 * no stack) and the rerun finish the work.
 */
const VARIANTS = ['startup', 'once', 'in-tx', 'repeated'] as const

/**
 * Terminates the runner's first backend(s) as soon as they appear, before its run is registered: the
 * connection is lost while it plans or records the run. Returns how many were ended.
 */
async function terminateUntilRegistered(trial: Trial, gone: () => boolean): Promise<number> {
  let ended = 0
  await sleep(trial.rng.int(0, 300))
  await waitFor(
    async () => {
      ended += await terminateRunners(trial)
      return ended > 0 || (await runRegistered(trial))
    },
    { timeoutMs: 30_000, intervalMs: 2, until: gone },
  )
  return ended
}

/** One server-side termination inside a reliable stage or at its start: within the retry budget, so it must complete. */
async function terminateReliable(trial: Trial, atStartup: boolean): Promise<void> {
  trial.reliableOnly()
  const delay = trial.rng.int(150, 400)
  const child = trial.reliableRun([], { faults: slowStages(delay) })
  const gone = () => !child.running
  let terminated: number
  if (atStartup) terminated = await terminateUntilRegistered(trial, gone)
  else {
    await waitFor(async () => (await sleepingBackends(trial)).length > 0, { timeoutMs: 30_000, until: gone })
    await sleep(trial.rng.int(0, delay - 50))
    terminated = await terminateRunners(trial)
  }
  const result = await child.done
  trial.note(
    `${terminated} backend(s) terminated ${atStartup ? 'at start-up' : 'in a stage'}; reliable exited ${result.code} after ${result.ms} ms`,
  )
  trial.expectExit('reliable runner', result, [0])
}

export const terminate: FaultFamily = {
  name: 'pg_terminate_backend',
  title: 'runner connections terminated from the server side, once and repeatedly',
  async run(trial) {
    const { rng } = trial
    const variants = trial.suite.reliable ? [...VARIANTS, 'reliable', 'reliable-startup'] : VARIANTS
    const variant = trial.pickVariant(variants)
    if (variant === 'reliable' || variant === 'reliable-startup')
      return terminateReliable(trial, variant === 'reliable-startup')
    const delay = rng.int(20, 80)
    const child = trial.monthly([], { faults: slowMonths(delay) })
    const gone = () => !child.running
    if (variant !== 'startup') await waitFor(() => runRegistered(trial), { timeoutMs: 30_000, until: gone })
    let terminated = 0
    if (variant === 'startup') {
      // While the runner connects, plans and registers its run: still one loss, still within the budget.
      terminated = await terminateUntilRegistered(trial, () => !child.running)
    } else if (variant === 'once') {
      await sleep(rng.int(0, (trial.suite.months.length * delay) / 2))
      terminated = await terminateRunners(trial)
    } else if (variant === 'in-tx') {
      await waitFor(async () => (await sleepingBackends(trial)).length > 0, {
        timeoutMs: 30_000,
        until: gone,
      })
      await sleep(rng.int(0, Math.max(0, delay - 15)))
      terminated = await terminateRunners(trial, await sleepingBackends(trial))
    } else {
      const until = Date.now() + rng.int(300, 2500)
      const every = rng.int(60, 400)
      while (Date.now() < until && child.running) {
        terminated += await terminateRunners(trial)
        await sleep(every)
      }
    }
    const result = await child.done
    trial.note(`${terminated} backend(s) terminated; runner exited ${result.code} after ${result.ms} ms`)
    trial.expectExit('runner', result, variant === 'repeated' ? [0, 1] : [0])
  },
}
