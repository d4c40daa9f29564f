import type { Rng } from '../rng.js'
import type { ChildResult } from '../runner.js'
import { sleep, waitFor } from '../runner.js'
import type { FaultFamily, Trial } from '../trial.js'
import { runRegistered, slowMonths, terminateRunners } from './common.js'

/**
 * 4. Two to four runners started together with overlapping scopes, sometimes with a reset among them. No month
 * may be processed twice; a runner that loses a month reports it as taken, never as failed (exit 0); a reset
 * that meets an active run is refused with a message, or, if it ran alone, its months may be reprocessed once.
 */
interface Scope {
  label: string
  args: string[]
  months: (all: string[]) => string[]
}

function scopes(rng: Rng, months: string[]): Scope[] {
  const years = [...new Set(months.map((month) => month.slice(0, 4)))]
  const [from, to] = rng.sample(months, 2).sort()
  const one = rng.pick(months)
  const year = rng.pick(years)
  return [
    { label: 'pending', args: [], months: (all) => all },
    { label: `year ${year}`, args: ['--year', year], months: (all) => all.filter((m) => m.startsWith(year)) },
    {
      label: `${from}..${to}`,
      args: ['--from', from!, '--to', to!],
      months: (all) => all.filter((m) => m >= from! && m <= to!),
    },
    {
      label: one,
      args: ['--year', one.slice(0, 4), '--month', String(Number(one.slice(5)))],
      months: (all) => all.filter((m) => m === one),
    },
  ]
}

function resetScope(rng: Rng, months: string[]): Scope {
  const one = rng.pick(months)
  return rng.pick<Scope>([
    { label: 'reset all', args: ['--reset'], months: (all) => all },
    {
      label: `reset ${one.slice(0, 4)}`,
      args: ['--reset', '--year', one.slice(0, 4)],
      months: (all) => all.filter((m) => m.startsWith(one.slice(0, 4))),
    },
    {
      label: `reset ${one}`,
      args: ['--reset', '--year', one.slice(0, 4), '--month', String(Number(one.slice(5)))],
      months: (all) => all.filter((m) => m === one),
    },
  ])
}

interface MonthLine {
  month: string
  status: string
  note: string
}

/** The month lines of `assay monthly --log-format json`'s final summary. */
function summaryLines(stdout: string): MonthLine[] | undefined {
  const line = stdout.split('\n').find((text) => text.startsWith('{"summary"'))
  if (!line) return undefined
  try {
    return (JSON.parse(line) as { months: MonthLine[] }).months
  } catch {
    return undefined
  }
}

async function judgeRunners(
  trial: Trial,
  runners: { scope: Scope; result: ChildResult; pid: number }[],
): Promise<void> {
  const runs = await trial.sql<{
    pid: string
    done: string[]
    failed: string[]
    status: string
    skipped: string[]
  }>(`SELECT pid::text, done, failed, status, skipped FROM ops.pipeline_runs WHERE pid IS NOT NULL`)
  const byPid = new Map(runs.map((run) => [Number(run.pid), run]))
  const doneBy = new Map<string, number>()
  for (const run of runs) for (const month of run.done) doneBy.set(month, (doneBy.get(month) ?? 0) + 1)
  for (const { scope, result, pid } of runners) {
    const label = `runner [${scope.label}]`
    if (result.killed) continue
    trial.expectExit(label, result, [0])
    const run = byPid.get(pid)
    if (!run) {
      trial.fail(`${label} left no run record`)
      continue
    }
    if (run.failed.length > 0) trial.fail(`${label} reported failed months: ${run.failed.join(', ')}`)
    if (run.status !== 'completed') trial.fail(`${label} exited 0 but its run is '${run.status}'`)
    // Months it planned but another runner did must be reported as skipped (taken / running elsewhere /
    // already done), never as failed.
    const lines = summaryLines(result.stdout)
    if (!lines) {
      trial.fail(`${label} printed no JSON summary`)
      continue
    }
    for (const line of lines) {
      if (line.status === 'failed') trial.fail(`${label} reported ${line.month} failed: ${line.note}`)
      const byOthers = !run.done.includes(line.month) && (doneBy.get(line.month) ?? 0) > 0
      if (byOthers && line.status !== 'skipped')
        trial.fail(`${label} lost ${line.month} to another runner but reported it ${line.status}`)
      else if (byOthers && !/taken|running_elsewhere|up_to_date/.test(line.note))
        trial.fail(`${label} lost ${line.month} to another runner but says "${line.note}"`)
    }
  }
}

export const concurrent: FaultFamily = {
  name: 'concurrent runners',
  title: '2–4 runners started together with overlapping scopes, sometimes with a reset',
  async run(trial) {
    const { rng } = trial
    const months = trial.suite.months
    const total = rng.int(2, 4)
    const withReset = total >= 3 && rng.chance(0.5)
    const picks = Array.from({ length: withReset ? total - 1 : total }, () => rng.pick(scopes(rng, months)))
    // At least one wide scope, so runners do collide.
    if (!picks.some((scope) => scope.months(months).length > 1)) picks[0] = scopes(rng, months)[0]!
    const reset = withReset ? resetScope(rng, months) : undefined
    trial.variant = `${total} processes${reset ? ' + reset' : ''}`
    const delay = rng.int(20, 70)
    const children = picks.map((scope) => ({
      scope,
      child: trial.monthly(scope.args, { faults: slowMonths(delay) }),
    }))
    const resetChild = reset ? trial.spawn(['monthly', ...reset.args]) : undefined
    // Sometimes one runner dies (kill -9) or every runner loses its connection once, mid-work: the others
    // must take over or carry on, and never double-process what the dead one committed.
    const disturb = rng.pick(['none', 'none', 'kill', 'terminate'] as const)
    if (disturb !== 'none') {
      trial.variant += ` + ${disturb}`
      await waitFor(() => runRegistered(trial), { timeoutMs: 30_000 })
      await sleep(rng.int(0, months.length * delay))
      if (disturb === 'kill') rng.pick(children).child.kill9()
      else trial.note(`${await terminateRunners(trial)} backend(s) terminated`)
    }
    const runners = await Promise.all(
      children.map(async ({ scope, child }) => ({ scope, result: await child.done, pid: child.pid })),
    )
    trial.note(
      runners.map(({ scope, result }) => `[${scope.label}] exit ${result.code} ${result.ms} ms`).join(', '),
    )
    if (reset && resetChild) {
      const result = await resetChild.done
      trial.expectExit(`reset [${reset.label}]`, result, [0, 1])
      if (result.code === 0) {
        // It ran when no run was active: its months may legitimately be processed once more.
        for (const month of reset.months(months)) trial.allowExtra(month)
        trial.note(`${reset.label} succeeded`)
      } else if (
        disturb === 'terminate' &&
        /terminating connection|Connection terminated/i.test(result.stderr)
      ) {
        // The trial terminated every client backend, the reset's too: a lost connection, reported as such.
        trial.note(`${reset.label} lost its connection to the terminate`)
      } else if (!/run|active|progress|busy/i.test(result.stderr)) {
        trial.fail(`reset refused without saying a run is active: ${result.stderr.trim().slice(-300)}`)
      } else trial.note(`${reset.label} refused`)
    }
    await judgeRunners(trial, runners)
  },
}
