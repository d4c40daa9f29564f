import type { Command } from 'commander'
import { BOUNDS_TEXT } from '../../engine/bounds.js'
import type { UpsertCounts } from '../../engine/silver/build.js'
import { buildSilver } from '../../engine/silver/build.js'
import { action, addConnectionOptions, withCliDb } from '../context.js'

function counts(label: string, c: UpsertCounts): string {
  const n = (v: number) => v.toLocaleString('en')
  return `${label.padEnd(24)} ${n(c.total).padStart(9)} rows: ${n(c.inserted)} inserted, ${n(c.updated)} updated, ${n(c.unchanged)} unchanged`
}

const FULL_REASON = {
  asked: '--full',
  first: 'first build with change tracking',
  truncated: 'bronze was truncated',
  empty: 'silver was empty',
} as const

/** Defines `assay silver` on the command the registry created. */
export function defineSilver(command: Command): void {
  addConnectionOptions(
    command
      .option('--full', 're-aggregate all of bronze, not only the dates bronze changed since the last build')
      .option('--prune', 'also delete fact rows of dates that bronze no longer has at all (archived bronze)'),
  ).action(
    action(async (options: Record<string, unknown>) =>
      withCliDb(options, async (db) => {
        const report = await buildSilver(db, { prune: options.prune === true, full: options.full === true })
        if (report.mode === 'incremental' && report.changedDays === 0 && report.changedCodes === 0) {
          console.log(
            'bronze unchanged since the last build: no month changed (assay silver --full re-aggregates everything)',
          )
          return 0
        }
        console.log(
          report.mode === 'full'
            ? `full build (${FULL_REASON[report.reason ?? 'asked']})`
            : `incremental build: ${report.changedDays.toLocaleString('en')} changed date(s), ${report.changedCodes.toLocaleString('en')} changed stock code(s)`,
        )
        console.log(counts('silver.dim_date', report.dates))
        console.log(counts('silver.dim_product', report.products))
        console.log(counts('silver.fact_sales_daily', report.facts))
        if (report.pruned > 0)
          console.log(`deleted ${report.pruned} fact row(s) that bronze no longer implies`)
        if (report.orphans > 0) {
          console.log(
            `${report.orphans} fact row(s) are on dates bronze no longer has (kept; assay silver --prune deletes them)`,
          )
        }
        if (report.outOfBounds > 0)
          console.log(
            `left out ${report.outOfBounds.toLocaleString('en')} bronze line(s) outside the supported bounds (${BOUNDS_TEXT})`,
          )
        const months = report.changedMonths.map(
          (m) => `${Math.floor(m / 100)}-${String(m % 100).padStart(2, '0')}`,
        )
        console.log(
          months.length > 0
            ? `changed months (gold now stale): ${months.join(', ')} — next: assay monthly`
            : 'no month changed: gold stays fresh',
        )
        console.log(`done in ${report.seconds.toFixed(1)} s`)
        return 0
      }),
    ),
  )
}
