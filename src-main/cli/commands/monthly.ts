import type { Command } from 'commander'
import type { Db } from '../../engine/db/types.js'
import { describeScope, planMonthly, resetMonths, runMonthly } from '../../engine/monthly/index.js'
import { action, addConnectionOptions, withCliDb } from '../context.js'
import { addRetryOptions, RUN_EXIT, withCancelSignals } from '../run-options.js'
import { type MonthlyCommand, parseMonthlyOptions, type RunCommand } from './monthly-args.js'
import { MonthTable, renderPlan, renderReset, renderTable } from './monthly-output.js'

/** Defines `assay monthly` on the command the registry created. */
export function defineMonthly(command: Command): void {
  addConnectionOptions(
    addRetryOptions(
      command
        .option('--year <year>', 'only this year (four digits); with --month, one month')
        .option('--month <month>', 'only this month, 1–12 (needs --year)')
        .option('--from <YYYY-MM>', 'first month of a range (with --to)')
        .option('--to <YYYY-MM>', 'last month of a range (with --from)')
        .option('--force', 'reprocess months even when completed and up to date')
        .option('--dry-run', 'show what would be processed, why, and the exact gold change; write nothing')
        .option(
          '--reset',
          'clear processing state (all months, --year, or --year --month) so they are processed again; gold data is kept',
        ),
      'month',
    )
      .option('--log-format <format>', 'stdout format: pretty or json', 'pretty')
      .option('--verbose', 'DEBUG detail (plan, SQL timings) on stdout and in ops.pipeline_logs')
      .addHelpText(
        'after',
        `
Exit codes: 0 every month completed or was skipped (up to date, taken by another runner, no data);
1 a month failed; 2 bad usage; 130 cancelled (SIGINT/SIGTERM rolls back the month in flight).`,
      ),
  ).action(
    action(async (options: Record<string, unknown>) => {
      const command = parseMonthlyOptions(options)
      return withCliDb(options, (db) => execute(db, command))
    }),
  )
}

async function execute(db: Db, command: MonthlyCommand): Promise<number> {
  const json = command.output.format === 'json'
  if (command.mode === 'reset') {
    const text = describeScope(command.scope)
    const preview = await resetMonths(db, command.scope, { dryRun: true })
    if (!json) console.log(renderReset(preview, text, false))
    if (preview.months.length === 0) {
      if (json) console.log(JSON.stringify({ reset: preview }))
      return 0
    }
    const report = await resetMonths(db, command.scope, { dryRun: false })
    console.log(json ? JSON.stringify({ reset: report }) : renderReset(report, text, true))
    return 0
  }
  if (command.mode === 'dry-run') {
    const plan = await planMonthly(db, { scope: command.scope, force: command.force, withDiff: true })
    console.log(json ? JSON.stringify({ plan }) : renderPlan(plan, describeScope(command.scope)))
    return 0
  }
  return runWithSignals(db, command)
}

/** First SIGINT/SIGTERM rolls back the month in flight and records the run cancelled; a second exits at once. */
function runWithSignals(db: Db, command: RunCommand): Promise<number> {
  const table = new MonthTable()
  return withCancelSignals('rolling back the month in flight and stopping', async (signal) => {
    const summary = await runMonthly(
      db,
      { scope: command.scope, force: command.force },
      {
        trigger: 'cli',
        signal,
        retry: command.retry,
        stdout: command.output.format,
        logLevel: command.output.verbose ? 'DEBUG' : 'INFO',
        onEvent: (event) => table.apply(event),
      },
    )
    const lines = table.finish(summary)
    if (command.output.format === 'json') console.log(JSON.stringify({ summary, months: lines }))
    else console.log(`\n${renderTable(lines, summary)}`)
    return RUN_EXIT[summary.status]
  })
}
