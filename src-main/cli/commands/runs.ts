import type { Command } from 'commander'
import type { StoredLogRecord } from '../../../src-shared/contract.js'
import { RUN_STATES } from '../../../src-shared/ops-states.js'
import type { CheckpointRecord, RunRecord, RunStatus } from '../../../src-shared/pipeline.js'
import { AssayError, UsageError } from '../../engine/errors.js'
import { getRun, recentRuns, runCheckpoints, runProblems } from '../../engine/ops/read/index.js'
import { reapInterrupted } from '../../engine/ops/runs.js'
import { isRunId } from '../../engine/reliable/index.js'
import { action, addConnectionOptions, withCliDb } from '../context.js'

/** Defines `assay runs` on the command the registry created. */
export function defineRuns(command: Command): void {
  const runs = addConnectionOptions(
    command
      .option('--limit <n>', 'how many runs to list', '20')
      .option('--json', 'print JSON instead of a table'),
  ).action(
    action(async (options: Record<string, unknown>) => {
      const limit = Number(options.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw new UsageError(`--limit must be a whole number from 1 to 10000 (got "${options.limit}")`)
      }
      return withCliDb(options, async (db) => {
        await reapInterrupted(db)
        const list = await recentRuns(db, limit)
        if (options.json) console.log(JSON.stringify(list, null, 2))
        else printRuns(list)
        return 0
      })
    }),
  )
  addConnectionOptions(
    runs
      .command('show')
      .description("one run: its record, its stages' checkpoints, and its warnings and errors")
      .argument('<runId>', 'the run id (a UUID)')
      .option('--json', 'print JSON'),
  ).action(
    action(async (runId: string, _options: Record<string, unknown>, command: Command) => {
      // `runs` declares the same options, and commander lets a parent's options appear after the subcommand.
      const options = command.optsWithGlobals()
      if (!isRunId(runId)) throw new UsageError(`expected a run id (a UUID), got "${runId}"`)
      return withCliDb(options, async (db) => {
        await reapInterrupted(db)
        const run = await getRun(db, runId)
        if (!run)
          throw new AssayError('run_not_found', `no run ${runId} in ops.pipeline_runs`, { exitCode: 2 })
        const checkpoints = await runCheckpoints(db, runId)
        const problems = await runProblems(db, runId)
        if (options.json) console.log(JSON.stringify({ run, checkpoints, logs: problems }, null, 2))
        else printRun(run, checkpoints, problems)
        return 0
      })
    }),
  )
}

function duration(ms: number | null): string {
  return ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`
}

function table(rows: string[][]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? []
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
}

function printRuns(list: RunRecord[]): void {
  if (list.length === 0) {
    console.log('no runs yet')
    return
  }
  table([
    ['RUN ID', 'PIPELINE', 'STATUS', 'TRIGGER', 'STARTED (UTC)', 'DURATION', 'DONE', 'RETRIES', 'ERROR'],
    ...list.map((r) => [
      r.runId,
      r.pipelineName,
      r.status,
      r.trigger,
      r.startedAt.slice(0, 19).replace('T', ' '),
      duration(r.durationMs),
      `${r.done.length + r.skipped.length}/${r.planned.length}`,
      String(r.retries),
      (r.error ?? '').slice(0, 60),
    ]),
  ])
  console.log('')
  console.log(tally(list))
}

/** "3 completed, 1 failed, 1 cancelled (not failures)": how the listed runs ended, in the console's words. */
export function tally(list: readonly RunRecord[]): string {
  const counts = new Map<RunStatus, number>()
  for (const run of list) counts.set(run.status, (counts.get(run.status) ?? 0) + 1)
  const parts = (Object.keys(RUN_STATES) as RunStatus[])
    .filter((status) => counts.has(status))
    .map((status) => `${counts.get(status)} ${RUN_STATES[status].label.toLowerCase()}`)
  const stopped = list.some((r) => r.status === 'cancelled' || r.status === 'interrupted')
  return `${parts.join(', ')}${stopped ? ' (cancelled and interrupted runs are not failures)' : ''}`
}

function printRun(run: RunRecord, checkpoints: CheckpointRecord[], problems: StoredLogRecord[]): void {
  console.log(`run        ${run.runId}`)
  console.log(`pipeline   ${run.pipelineName} (${run.trigger}, ${run.host ?? '?'} pid ${run.pid ?? '?'})`)
  console.log(`status     ${run.status}${run.sqlstate ? ` [SQLSTATE ${run.sqlstate}]` : ''}`)
  console.log(`started    ${run.startedAt}   duration ${duration(run.durationMs)}   retries ${run.retries}`)
  if (run.resumedFrom) console.log(`resumes    ${run.resumedFrom}`)
  if (run.error) console.log(`error      ${run.error}`)
  if (run.pipeline === 'reliable' && RUN_STATES[run.status].resumable)
    console.log(`resume     assay reliable --resume ${run.runId}`)
  console.log('')
  if (checkpoints.length === 0) console.log('no checkpoints')
  else
    table([
      ['STAGE', 'STATUS', 'VALUE', 'DURATION', 'ATTEMPTS', 'ERROR'],
      ...checkpoints.map((c) => [
        c.stage,
        c.status,
        c.checkpointValue ?? '-',
        duration(c.durationMs),
        String(c.metadata?.attempts ?? '-'),
        String(c.metadata?.error ?? ''),
      ]),
    ])
  if (problems.length > 0) {
    console.log('')
    for (const p of problems) console.log(`${p.timestamp}  ${p.level.padEnd(8)} ${p.message}`)
  }
}
