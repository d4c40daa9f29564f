import type { Command } from 'commander'
import { describeScope } from '../../engine/monthly/index.js'
import { type ValueDiff, type VerifyReport, verifyGold } from '../../engine/verify/verify.js'
import { action, addConnectionOptions, withCliDb } from '../context.js'
import { parseScopeOptions } from './monthly-args.js'

function change(c: ValueDiff): string {
  return `${c.column} ${c.stored ?? 'NULL'} → ${c.expected ?? 'NULL'}${c.delta ? ` (${c.delta})` : ''}`
}

/** The report for people: one block per finding, then the verdict and the command that repairs it. */
export function formatVerify(report: VerifyReport): string[] {
  const out = [
    `checked ${report.monthsChecked} month(s) in ${report.scope.kind === 'pending' ? 'all months' : describeScope(report.scope)} in ${report.ms} ms`,
  ]
  for (const m of report.months) {
    out.push(`${m.kind.toUpperCase().padEnd(8)} ${m.monthKey}: ${m.reasons.join('; ')}`)
    for (const c of m.changes) out.push(`           stored → expected: ${change(c)}`)
  }
  for (const t of report.tables) {
    out.push(`DRIFTED  ${t.table}: ${t.differing} row(s) differ, ${t.missing} missing, ${t.extra} extra`)
    for (const e of t.examples)
      out.push(
        `           ${e.key} ${e.kind}${e.changes.length ? `: ${e.changes.map(change).join(', ')}` : ''}`,
      )
  }
  if (report.clean) {
    out.push('clean: gold equals silver')
    return out
  }
  if (report.marked.length > 0) out.push(`marked drifted: ${report.marked.join(', ')}`)
  const next: string[] = []
  if (report.months.some((m) => m.kind !== 'orphan')) next.push('assay monthly')
  if (report.tables.length > 0) next.push('assay reliable')
  if (next.length > 0) out.push(`next: ${next.join(', then ')}   (recomputes what differs)`)
  if (report.months.some((m) => m.kind === 'orphan'))
    out.push(
      'orphan months: restore their silver rows, or delete those gold rows; Assay never deletes gold months',
    )
  return out
}

/** Defines `assay verify` on the command the registry created. */
export function defineVerify(command: Command): void {
  addConnectionOptions(
    command
      .option('--year <year>', 'only this year (four digits); with --month, one month')
      .option('--month <month>', 'only this month, 1–12 (needs --year)')
      .option('--from <YYYY-MM>', 'first month of a range (with --to)')
      .option('--to <YYYY-MM>', 'last month of a range (with --from)')
      .option('--json', 'print a machine-readable object')
      .addHelpText(
        'after',
        `
Recomputes every gold column of every month in scope from silver and compares it with gold, the fingerprint
recorded when the month was processed, and silver's tracking; recomputes the reliable stages' tables too.
Drifted months are marked, so a plain \`assay monthly\` repairs them.
Exit codes: 0 gold equals silver; 1 drift found (or months still pending); 2 bad usage.`,
      ),
  ).action(
    action(async (options: Record<string, unknown>) => {
      const scope = parseScopeOptions(options)
      return withCliDb(options, async (db) => {
        const report = await verifyGold(db, scope)
        if (options.json) console.log(JSON.stringify(report, null, 2))
        else for (const line of formatVerify(report)) console.log(line)
        return report.clean ? 0 : 1
      })
    }),
  )
}
