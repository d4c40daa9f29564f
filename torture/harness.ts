import { checkState, diffGold, isInflated, runsByPid, snapshotGold } from './checks.js'
import { createDatabase, dropDatabase, newName, pool, sqlOf } from './db.js'
import { Rng } from './rng.js'
import { sleep } from './runner.js'
import { type FaultFamily, type Suite, Trial, type TrialOutcome } from './trial.js'

/** A trial that takes longer than this is stopped and counted as a failure (a hang somewhere). */
const TRIAL_TIMEOUT_MS = 150_000

/**
 * Runs one trial: a fresh copy of the template, the family's fault, a normal `assay monthly` rerun, then the
 * checks. The copy is dropped whatever happens.
 */
export async function runTrial(
  suite: Suite,
  template: string,
  family: FaultFamily,
  index: number,
): Promise<TrialOutcome> {
  const started = Date.now()
  const rng = Rng.forTrial(suite.seed, index)
  const database = await createDatabase(newName(`t${index}`), template)
  const p = pool(database)
  const trial = new Trial(suite, index, rng, database, p, sqlOf(p))
  const outcome: TrialOutcome = {
    index,
    family: family.name,
    variant: '',
    seed: suite.seed,
    ms: 0,
    survived: false,
    mismatches: 0,
    doubleCounted: 0,
    lost: 0,
    stuck: 0,
    failures: trial.failures,
    notes: trial.notes,
  }
  try {
    const timedOut = Symbol('timeout')
    // The family's own failure is a finding, not a harness crash, even if it comes after the timeout.
    const running = family.run(trial).then(
      () => undefined,
      (error: unknown) =>
        trial.fail(`fault phase error: ${error instanceof Error ? error.message : String(error)}`),
    )
    const result = await Promise.race([running, sleep(TRIAL_TIMEOUT_MS).then(() => timedOut)])
    if (result === timedOut) trial.fail(`the fault phase did not finish within ${TRIAL_TIMEOUT_MS / 1000} s`)
    await trial.cleanup()
    outcome.variant = trial.variant
    if (!trial.skipFinalRerun) {
      if (trial.monthlyPipeline) trial.expectExit('final rerun', await trial.monthly().done, [0])
      if (trial.reliable) trial.expectExit('final reliable rerun', await trial.reliableRun().done, [0])
    }
    await judge(trial, outcome)
  } catch (error) {
    trial.fail(`harness error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  } finally {
    await trial.cleanup().catch(() => undefined)
    await p.end().catch(() => undefined)
    await dropDatabase(database).catch((error) => trial.note(`could not drop ${database}: ${error}`))
  }
  outcome.variant = trial.variant
  outcome.ms = Date.now() - started
  outcome.survived =
    trial.failures.length === 0 &&
    outcome.mismatches === 0 &&
    outcome.doubleCounted === 0 &&
    outcome.lost === 0 &&
    outcome.stuck === 0
  return outcome
}

/** The end-of-trial checks, counted into `outcome`; details go to the trial's failures. */
async function judge(trial: Trial, outcome: TrialOutcome): Promise<void> {
  const state = await checkState(trial.sql, {
    allowed: (month) => 1 + (trial.extraCompletions.get(month) ?? 0),
  })
  if (!trial.monthlyPipeline) state.notCompleted = []
  const gold = await snapshotGold(trial.sql, trial.tables)
  const reference = trial.reference ?? trial.suite.reference
  const expected = Object.fromEntries(trial.tables.map((table) => [table, reference[table] ?? new Map()]))
  const differences = diffGold(expected, gold)
  const doubled = new Set<string>()
  const lost = new Set<string>()
  for (const difference of differences) {
    const monthly = difference.table === 'gold.fact_sales_monthly'
    if (monthly && isInflated(difference)) doubled.add(difference.key)
    if (monthly && difference.kind === 'missing') lost.add(difference.key)
    const columns = Object.entries(difference.columns)
      .slice(0, 4)
      .map(([column, [want, got]]) => `${column} ${want} → ${got}`)
      .join(', ')
    trial.fail(
      `gold mismatch ${difference.table} ${difference.key}: ${difference.kind}${columns ? ` (${columns})` : ''}`,
    )
  }
  for (const { month, completions, allowed } of state.processedTwice) {
    doubled.add(month)
    trial.fail(`month ${month} processed ${completions} times (allowed ${allowed})`)
  }
  for (const { month, status } of state.notCompleted) {
    lost.add(month)
    trial.fail(`month ${month} has silver rows but is ${status ?? 'not recorded'} after the final rerun`)
  }
  for (const month of state.stale) trial.fail(`month ${month} is still stale after the final rerun`)
  for (const runId of state.stuckRuns) trial.fail(`run ${runId} is still 'running' after the final rerun`)
  await checkRunRecords(trial)
  outcome.mismatches = differences.length
  outcome.doubleCounted = doubled.size
  outcome.lost = lost.size
  outcome.stuck = state.stuckRuns.length
}

/**
 * Each run record must tell the truth about its runner: exit 0 = completed with nothing failed, exit 1 =
 * failed (or interrupted, when the database was away as it gave up and the next run reaped it).
 */
async function checkRunRecords(trial: Trial): Promise<void> {
  const runs = await runsByPid(trial.sql)
  for (const child of trial.children) {
    const [command, ...rest] = child.args
    if (
      (command !== 'monthly' && command !== 'reliable') ||
      rest.includes('--reset') ||
      rest.includes('--dry-run')
    )
      continue
    const result = await child.done
    if (result.killed || result.hung || result.code === null) continue
    const run = runs.get(child.pid)
    const label = `assay ${child.args.slice(0, 3).join(' ')} (pid ${child.pid}, exit ${result.code})`
    if (!run) {
      if (result.code === 0) trial.fail(`${label} left no run record`)
      continue
    }
    if (result.code === 0 && (run.status !== 'completed' || run.failed.length > 0))
      trial.fail(
        `${label}: its run ${run.runId} says ${run.status} (failed: ${run.failed.join(', ') || 'none'})`,
      )
    if (result.code === 1 && !['failed', 'interrupted'].includes(run.status))
      trial.fail(`${label}: its run ${run.runId} says ${run.status}`)
  }
}
