import type { OutageKind } from '../../src-main/test-support/tcp-proxy.js'
import { sleep, waitFor } from '../runner.js'
import type { FaultFamily } from '../trial.js'
import { completedMonths, retryBudgetMs, runRegistered, slowMonths } from './common.js'

/**
 * 3. A server restart seen through a loopback proxy: the port refuses (or resets, stalls, blackholes) for a
 * while. Shorter than the retry budget, the run must complete; longer, it must fail cleanly (exit 1 with a
 * message, no stack, no hang) — or, for a stall that heals, simply finish late — and the rerun must finish.
 */
const VARIANTS: { kind: OutageKind; long: boolean }[] = [
  { kind: 'refuse', long: false },
  { kind: 'refuse', long: true },
  { kind: 'reset', long: false },
  { kind: 'reset', long: true },
  { kind: 'stall', long: false },
  { kind: 'stall', long: true },
  { kind: 'blackhole', long: true },
]

export const outage: FaultFamily = {
  name: 'server outage (proxy)',
  title: 'server restart / network outage through a TCP proxy, shorter and longer than the retry budget',
  async run(trial) {
    const { rng } = trial
    const name = trial.pickVariant(VARIANTS.map(({ kind, long }) => `${kind}-${long ? 'long' : 'short'}`))
    const { kind, long } = VARIANTS.find((v) => `${v.kind}-${v.long ? 'long' : 'short'}` === name)!
    const budget = retryBudgetMs(trial)
    const duration = long ? budget * 2 + rng.int(500, 2500) : rng.int(50, Math.round(budget * 0.4))
    const delay = rng.int(30, 90)
    const proxy = await trial.proxy()
    const child = trial.monthly([], {
      faults: slowMonths(delay),
      databaseUrl: trial.url(proxy),
      // A runner that never notices a dead connection hangs: give up well before the trial timeout.
      timeoutMs: 45_000,
    })
    const gone = () => !child.running
    await waitFor(() => runRegistered(trial), { timeoutMs: 30_000, until: gone })
    // Start while work remains: after a random number of months, plus a random moment within the next one.
    const months = trial.suite.months.length
    const target = rng.int(0, Math.max(0, months - 3))
    await waitFor(async () => (await completedMonths(trial)) >= target, { timeoutMs: 30_000, until: gone })
    await sleep(rng.int(0, delay))
    const remaining = months - (await completedMonths(trial))
    await proxy.outage(kind, duration)
    const result = await child.done
    trial.note(
      `${kind} outage of ${duration} ms (budget ${budget} ms) with ${remaining} month(s) left; runner exited ${result.code} after ${result.ms} ms`,
    )
    // Short: absorbed by retries. A long refusal or reset must end the run cleanly; a stall that heals may
    // only delay it; a blackhole must be noticed (a retry on a new connection may then succeed).
    let codes = [0]
    if (long && (kind === 'refuse' || kind === 'reset')) codes = remaining > 1 ? [1] : [0, 1]
    else if (long) codes = [0, 1]
    trial.expectExit('runner', result, codes)
    if (result.code === 1 && !/error/i.test(result.stderr + result.stdout))
      trial.fail('runner failed without saying why')
  },
}
